#!/usr/bin/python3
"""Reference phones for the phonemizer tests, made with Debian's espeak-ng itself.

Runs the same pipeline as Amphion's G2P (models/tts/maskgct/g2p): the text clean-up of
english.py / french.py / german.py, Python `inflect` for English numbers, and the
Python `phonemizer` espeak backend's handling (espeak_TextToPhonemes with '_' between
phones, punctuation cut out and restored, stress and language flags removed, '|' and
'|_|' separators), calling libespeak-ng through ctypes the way phonemizer does.

    flock /tmp/apt.lock apt-get install -y espeak-ng python3-inflect
    /usr/bin/python3 scripts/reference/phonemizer-fixtures.py > test/fixtures/text/phonemizer-espeak.json

Debian's packages only; CI never runs this, it reads the committed JSON.
"""
import ctypes
import ctypes.util
import json
import re
import subprocess
import sys

import inflect

# ---------------------------------------------------------------- espeak-ng via ctypes


class Espeak:
    def __init__(self):
        self.lib = ctypes.cdll.LoadLibrary(ctypes.util.find_library('espeak-ng') or 'libespeak-ng.so.1')
        # AUDIO_OUTPUT_SYNCHRONOUS, no buffer, default data path, no options (as phonemizer).
        if self.lib.espeak_Initialize(0x02, 0, None, 0) <= 0:
            raise RuntimeError('espeak_Initialize failed')
        self.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        self.voices = self._voices_by_language()

    def _voices_by_language(self):
        class Voice(ctypes.Structure):
            _fields_ = [('name', ctypes.c_char_p), ('languages', ctypes.c_char_p), ('identifier', ctypes.c_char_p),
                        ('gender', ctypes.c_ubyte), ('age', ctypes.c_ubyte), ('variant', ctypes.c_ubyte),
                        ('xx1', ctypes.c_ubyte), ('score', ctypes.c_int), ('spare', ctypes.c_void_p)]
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(Voice))
        voices = self.lib.espeak_ListVoices(None)
        by_language = {}
        i = 0
        while voices[i]:
            voice = voices[i].contents
            language = voice.languages[1:].decode()  # first byte is the priority
            by_language.setdefault(language, voice.identifier.decode())
            i += 1
        return by_language

    def set_language(self, language):
        if self.lib.espeak_SetVoiceByName(self.voices[language].encode()) != 0:
            raise RuntimeError(f'cannot set voice for {language}')

    def text_to_phonemes(self, text):
        pointer = ctypes.pointer(ctypes.c_char_p(text.encode('utf8')))
        mode = ord('_') << 8 | 0x02  # IPA, '_' between phonemes
        parts = []
        while pointer.contents.value is not None:
            phonemes = self.lib.espeak_TextToPhonemes(pointer, 1, mode)
            if phonemes:
                parts.append(phonemes.decode())
        return ' '.join(parts)


# ---------------------------------------------------------------- phonemizer's espeak backend

MARKS = ",.?!;:'…"
MARKS_RE = re.compile(r'(\s*[' + re.escape(MARKS) + r']+\s*)+')
STRESS_RE = re.compile(r"[ˈˌ'-]+")
PHONE, WORD = '|', '|_|'


def preserve(line):
    matches = list(MARKS_RE.finditer(line))
    if not matches:
        return [line], []
    if len(matches) == 1 and matches[0].group() == line:
        return [], [(line, 'A')]
    marks = []
    for match in matches:
        position = 'I'
        if match == matches[0] and line.startswith(match.group()):
            position = 'B'
        elif match == matches[-1] and line.endswith(match.group()):
            position = 'E'
        marks.append((match.group(), position))
    chunks = []
    for mark, _ in marks:
        prefix, _, line = line.partition(mark)
        chunks.append(prefix)
    return [c for c in chunks + [line] if c], marks


def restore(text, marks):
    if not marks:
        return text
    if not text:
        return [''.join(re.sub(r'\s', WORD, m) for m, _ in marks)]
    (mark, position), rest = marks[0], marks[1:]
    if text[0].endswith(WORD):
        text[0] = text[0][:-len(WORD)]
    mark = re.sub(r'\s', WORD, mark)
    if position == 'B':
        return restore([mark + text[0]] + text[1:], rest)
    if position == 'E':
        return [text[0] + mark] + restore(text[1:], rest)
    if position == 'A':
        return [mark] + restore(text, rest)
    if len(text) == 1:
        return restore([text[0] + mark], rest)
    return restore([text[0] + mark + text[1]] + text[2:], rest)


def postprocess(line):
    line = line.strip().replace('\n', ' ').replace('  ', ' ')
    line = re.sub(r'_+', '_', line)
    line = re.sub(r'_ ', ' ', line)
    line = re.sub(r'\(.+?\)', '', line)  # language_switch='remove-flags'
    if not line:
        return ''
    return WORD.join(STRESS_RE.sub('', word.strip()).replace('_', PHONE) for word in line.split(' '))


def amphion_tokenizer(espeak, text, language):
    """Amphion's TextTokenizer.__call__ for one string."""
    for a, b in [('，', ','), ('。', '.'), ('！', '!'), ('？', '?'), ('；', ';'), ('：', ':'), ('、', ','),
                 ('‘', "'"), ('’', "'"), ('⋯', '…'), ('···', '…'), ('・・・', '…'), ('...', '…')]:
        text = text.strip().replace(a, b)
    text = re.sub(r'[^\w\s_,\.\?!;:\'…]', '', text)
    text = re.sub(r'\s*([,\.\?!;:\'…])\s*', r'\1', text)
    text = re.sub(r'\s+', ' ', text)
    chunks, marks = preserve(text)
    espeak.set_language(language)
    phonemized = [postprocess(espeak.text_to_phonemes(chunk)) for chunk in chunks]
    restored = [line for line in restore(phonemized, marks) if line]
    out = '\n'.join(restored)
    out = re.sub(r'([,\.\?!;:\'…])', r'|\1|', out)
    out = re.sub(r'\|+', '|', out)
    return out.rstrip('|')


# ---------------------------------------------------------------- Amphion's English clean-up

_inflect = inflect.engine()
ABBREVIATIONS = [(re.compile(r'\b%s\b' % a, re.IGNORECASE), b) for a, b in [
    ('mrs', 'misess'), ('mr', 'mister'), ('dr', 'doctor'), ('st', 'saint'), ('co', 'company'), ('jr', 'junior'),
    ('maj', 'major'), ('gen', 'general'), ('drs', 'doctors'), ('rev', 'reverend'), ('lt', 'lieutenant'),
    ('hon', 'honorable'), ('sgt', 'sergeant'), ('capt', 'captain'), ('esq', 'esquire'), ('ltd', 'limited'),
    ('col', 'colonel'), ('ft', 'fort'), ('etc', 'et cetera'), ('btw', 'by the way')]]
SPECIAL_MAP = [('t|ɹ', 'tɹ'), ('d|ɹ', 'dɹ'), ('t|s', 'ts'), ('d|z', 'dz'), ('ɪ|ɹ', 'ɪɹ'), ('ɐ', 'ɚ'), ('ᵻ', 'ɪ'),
               ('əl', 'l'), ('x', 'k'), ('ɬ', 'l'), ('ʔ', 't'), ('n̩', 'n'), ('oː|ɹ', 'oːɹ')]


def expand_dollars(m):
    parts = m.group(1).split('.')
    if len(parts) > 2:
        return ' ' + m.group(1) + ' dollars '
    dollars = int(parts[0]) if parts[0] else 0
    cents = int(parts[1]) if len(parts) > 1 and parts[1] else 0
    if dollars and cents:
        return ' %s %s, %s %s ' % (dollars, 'dollar' if dollars == 1 else 'dollars', cents, 'cent' if cents == 1 else 'cents')
    if dollars:
        return ' %s %s ' % (dollars, 'dollar' if dollars == 1 else 'dollars')
    if cents:
        return ' %s %s ' % (cents, 'cent' if cents == 1 else 'cents')
    return ' zero dollars '


def expand_fraction(m):
    n, d = int(m.group(1)), int(m.group(2))
    if n == 1 and d == 2:
        return ' one half '
    if n == 1 and d == 4:
        return ' one quarter '
    if d == 2:
        return ' ' + _inflect.number_to_words(n) + ' halves '
    if d == 4:
        return ' ' + _inflect.number_to_words(n) + ' quarters '
    return ' ' + _inflect.number_to_words(n) + ' ' + _inflect.ordinal(_inflect.number_to_words(d)) + ' '


def expand_number(m):
    num = int(m.group(0))
    if 1000 < num < 3000:
        if num == 2000:
            return ' two thousand '
        if 2000 < num < 2010:
            return ' two thousand ' + _inflect.number_to_words(num % 100) + ' '
        if num % 100 == 0:
            return ' ' + _inflect.number_to_words(num // 100) + ' hundred '
        return ' ' + _inflect.number_to_words(num, andword='', zero='oh', group=2).replace(', ', ' ') + ' '
    return ' ' + _inflect.number_to_words(num, andword='') + ' '


def normalize_english(text):
    for pattern, long in ABBREVIATIONS:
        text = pattern.sub(long, text)
    text = re.sub(r'([0-9][0-9\,]+[0-9])', lambda m: m.group(1).replace(',', ''), text)
    text = re.sub(r'£([0-9\,]*[0-9]+)', r'\1 pounds', text)
    text = re.sub(r'\$([0-9\.\,]*[0-9]+)', expand_dollars, text)
    text = re.sub(r'([0-9]+)/([0-9]+)', expand_fraction, text)
    text = re.sub(r'([0-9]+\.[0-9]+)', lambda m: m.group(1).replace('.', ' point '), text)
    text = re.sub(r'([0-9\.\,]*[0-9]+%)', lambda m: m.group(1).replace('%', ' percent '), text)
    text = re.sub(r'[0-9]+(st|nd|rd|th)', lambda m: ' ' + _inflect.number_to_words(m.group(0)) + ' ', text)
    return re.sub(r'[0-9]+', expand_number, text)


def special_map(text):
    for a, b in SPECIAL_MAP:
        pattern = r'(^|[_|])%s([_|]|$)' % a.replace('|', r'\|')
        while re.search(pattern, text):
            text = re.sub(pattern, r'\g<1>%s\g<2>' % b, text)
    return text


def english(espeak, text):
    phones = amphion_tokenizer(espeak, normalize_english(text), 'en-us')
    if phones and phones[-1] in 'p⁼ʰmftnlkxʃs`ɹaoəɛɪeɑʊŋiuɥwæjː':
        phones += '|_'
    return special_map(phones)


# ---------------------------------------------------------------- French / German clean-up

REP_MAP = {'：': ',', '；': ',', '，': ',', '。': '.', '！': '!', '？': '?', '\n': '.', '·': ',', '、': ',', '...': '.',
           '…': '.', '$': '.', '“': '', '”': '', '‘': '', '’': '', '（': '', '）': '', '(': '', ')': '', '《': '',
           '》': '', '【': '', '】': '', '[': '', ']': '', '—': '', '～': '-', '~': '-', '「': '', '」': '', '¿': '', '¡': ''}


def clean_european(text, ampersand=None):
    text = re.compile('|'.join(re.escape(p) for p in REP_MAP)).sub(lambda m: REP_MAP[m.group()], text)
    text = text.replace(';', ',').replace('-', ' ').replace(':', ',')
    if ampersand:
        text = text.replace('&', ampersand)
    text = re.sub(r'[\<\>\(\)\[\]\"\«\»]+', '', text)
    text = re.sub(r'^[,.!?]+', '', text)
    return re.sub(r'\s+', ' ', text).strip()


# The French abbreviation list applies to words these fixtures avoid; clean-up only.
def french(espeak, text):
    return amphion_tokenizer(espeak, clean_european(text, ' et '), 'fr-fr')


def german(espeak, text):
    return amphion_tokenizer(espeak, clean_european(text), 'de')


def korean(espeak, text):
    text = re.sub('[\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u3005\u3007\u3021-\u3029\u3038-\u303A\u303B'
                  '\u3400-\u4DB5\u4E00-\u9FC3\uF900-\uFA2D\uFA30-\uFA6A\uFA70-\uFAD9]', '', text.strip())
    return amphion_tokenizer(espeak, text.lower(), 'ko')


# ---------------------------------------------------------------- the fixture

CASES = {
    'en': [
        'Hello, world!', 'The quick brown fox jumps over the lazy dog.', 'How are you today?',
        'She sells sea shells by the sea shore.', 'Speech synthesis turns text into audio.',
        'I have 3 apples and 12 oranges.', 'Mr. Smith paid $5.50 for lunch.', 'It happened in 1984; we were there.',
        'The little bottle is better than the big one.', 'Please call Dr. Jones at 10 am.',
        'We sold 1,234 tickets, about 45% of them online.', 'Water boils at 100 degrees.',
        'Is it 3.5 or 2/3 of the total?', 'The 21st century began in 2001.', 'Wait... what?',
        'Tree, dream, cats and dogs.',
    ],
    'fr': [
        'Bonjour le monde.', 'Comment allez-vous aujourd\'hui?', 'Le chat dort sur le canapé.',
        'Je voudrais un café, s\'il vous plaît.', 'La synthèse vocale transforme le texte en parole.',
    ],
    'de': [
        'Guten Tag, wie geht es dir?', 'Das Wetter ist heute schön.', 'Ich möchte einen Kaffee, bitte.',
        'Die Sprachsynthese verwandelt Text in Sprache.', 'Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.',
    ],
    'ko': ['안녕하세요.', '감사합니다!', '오늘 날씨가 좋네요.'],
}


def main():
    espeak = Espeak()
    version = subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True).stdout.strip()
    run = {'en': english, 'fr': french, 'de': german, 'ko': korean}
    fixture = {
        'generator': 'scripts/reference/phonemizer-fixtures.py',
        'espeak': version,
        'inflect': getattr(inflect, '__version__', 'unknown'),
        'cases': [{'language': lang, 'text': text, 'phones': run[lang](espeak, text)}
                  for lang, texts in CASES.items() for text in texts],
        'englishNormalization': [{'text': text, 'normalized': normalize_english(text)} for text in CASES['en']] + [
            {'text': t, 'normalized': normalize_english(t)} for t in [
                '0', '7', '13', '21', '100', '101', '115', '999', '1000', '1005', '1100', '1905', '1999', '2000',
                '2005', '2010', '2999', '3000', '10001', '123456', '1000000', '1234567890', '1st 2nd 3rd 4th 11th 12th 21st 100th 112th',
                '1/2 1/4 3/4 5/2 2/3 7/8', '£3', '$0.01', '$1', '$1.01', '$2.5.1', '99.9%', '3.14159', 'St. Mary, Ltd., Capt. Hook etc.']],
    }
    json.dump(fixture, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
