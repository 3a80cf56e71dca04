#!/usr/bin/python3
"""Reference phone ids for MaskGCT's route tests: what Amphion's G2P gives the T2S model.

Follows Amphion's models/tts/maskgct/g2p (open-mmlab/Amphion d3de90f), re-expressed here:

- `g2p_` in maskgct_utils.py: `zh` and `en` go through `chn_eng_g2p` (runs of Han
  characters and Latin letters, anything else stays with the run it follows), fr/de/ko
  through their own cleaner. Each run's phone string is split at `|` and every piece found
  in g2p/vocab.json becomes an id; a final English run loses its last id when its phones
  end in the word blank `_`.
- en/fr/de/ko: the text clean-up and phonemizer espeak backend of scripts/reference/
  phonemizer-fixtures.py (Debian's libespeak-ng through ctypes, as phonemizer calls it);
  its French skips the abbreviation list and its Korean the Latin-to-Hangul table, which
  no text here needs.
- Mandarin (g2p/mandarin.py): numbers would go through cn2an (not reproduced: digits are
  refused), `normalization`, jieba.lcut (Debian's python3-jieba 0.42.1, the version
  Amphion's requirements pin), merge_yi / merge_bu / merge_er, one reading per syllable,
  the 3-3, 不, 一 and 儿 sandhi, tone-1 marks, latin_to_bopomofo (nothing Latin survives
  normalisation), the bopomofo→IPA table and the apical-vowel and punctuation regexes.
  Readings: Amphion reads a word from sources/chinese_lexicon.txt (not in the snapshot
  we can fetch) and sends a polyphonic character outside a lexicon word to a BERT
  classifier; pypinyin is not installable. Here a character's reading is its only reading in
  go-pinyin's dictionary (Debian's golang-github-mozillazg-go-pinyin-dev: the Unihan-derived
  table pypinyin ships too); a word with a polyphonic character must be in WORD_READINGS
  below (dictionary readings, written down), else the script stops rather than guess.
  pinyin → bopomofo uses Amphion's sources/pinyin_2_bpmf.txt.

    flock /tmp/apt.lock apt-get install -y espeak-ng python3-inflect python3-jieba golang-github-mozillazg-go-pinyin-dev
    /usr/bin/python3 scripts/reference/maskgct-phone-ids.py --amphion /path/to/Amphion \
        > plugins/maskgct/test/fixtures/phone-ids.json

The fixture carries Amphion's vocab.json too, so a test can install the real table.
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import unicodedata

import jieba

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('espeak_reference', os.path.join(HERE, 'phonemizer-fixtures.py'))
espeak_reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(espeak_reference)

G2P = 'models/tts/maskgct/g2p'
GO_PINYIN_DICT = '/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go'

# ---------------------------------------------------------------- Mandarin readings

# Words (as jieba cuts them) with a character of more than one dictionary reading: the
# word's reading in these sentences, as a dictionary gives it. It stands in for Amphion's
# lexicon and, for a lone polyphonic character, its BERT; the script stops on any other.
WORD_READINGS = {
    '你好': 'ni3 hao3',
    '我们': 'wo3 men5',
    '欢迎': 'huan1 ying2',
    '合成': 'he2 cheng2',
    '语音': 'yu3 yin1',
    '今天天气': 'jin1 tian1 tian1 qi4',
    '好': 'hao3',
    '有': 'you3',
    '三个': 'san1 ge4',
    '苹果': 'ping2 guo3',
    '两把': 'liang3 ba3',
    '雨伞': 'yu3 san3',
    '一起': 'yi1 qi3',
    '吃饭': 'chi1 fan4',
    '吧': 'ba5',
    '去': 'qu4',
    '明说': 'ming2 shuo1',
    '北京': 'bei3 jing1',
    '天安门': 'tian1 an1 men2',
    '吗': 'ma5',
    '再见': 'zai4 jian4',
}

TONE_OF_MARK = {'\u0304': '1', '\u0301': '2', '\u030c': '3', '\u0300': '4'}


def numbered(marked):
    """'hǎo' → 'hao3', 'men' → 'men5', 'lǜ' → 'lv4'."""
    tone = '5'
    letters = ''
    for ch in unicodedata.normalize('NFD', marked):
        if ch in TONE_OF_MARK:
            tone = TONE_OF_MARK[ch]
        elif ch == '\u0308':  # ü
            letters = letters[:-1] + 'v'
        else:
            letters += ch
    return letters + tone


def character_readings():
    table = {}
    with open(GO_PINYIN_DICT, encoding='utf-8') as f:
        for m in re.finditer(r'0x([0-9A-Fa-f]+): "([^"]+)"', f.read()):
            table[chr(int(m.group(1), 16))] = [numbered(r) for r in m.group(2).split(',')]
    return table


# ---------------------------------------------------------------- Mandarin, per mandarin.py

TONE_MARK = {'0': '˙', '5': '˙', '1': '', '2': 'ˊ', '3': 'ˇ', '4': 'ˋ'}
BOPOMOFO_TO_IPA = [
    ('ㄅㄛ', 'p⁼wo'), ('ㄆㄛ', 'pʰwo'), ('ㄇㄛ', 'mwo'), ('ㄈㄛ', 'fwo'), ('ㄧㄢ', '|jɛn'), ('ㄩㄢ', '|ɥæn'),
    ('ㄧㄣ', '|in'), ('ㄩㄣ', '|ɥn'), ('ㄧㄥ', '|iŋ'), ('ㄨㄥ', '|ʊŋ'), ('ㄩㄥ', '|jʊŋ'), ('ㄧㄚ', '|ia'),
    ('ㄧㄝ', '|iɛ'), ('ㄧㄠ', '|iɑʊ'), ('ㄧㄡ', '|ioʊ'), ('ㄧㄤ', '|iɑŋ'), ('ㄨㄚ', '|ua'), ('ㄨㄛ', '|uo'),
    ('ㄨㄞ', '|uaɪ'), ('ㄨㄟ', '|ueɪ'), ('ㄨㄢ', '|uan'), ('ㄨㄣ', '|uən'), ('ㄨㄤ', '|uɑŋ'), ('ㄩㄝ', '|ɥɛ'),
    ('ㄅ', 'p⁼'), ('ㄆ', 'pʰ'), ('ㄇ', 'm'), ('ㄈ', 'f'), ('ㄉ', 't⁼'), ('ㄊ', 'tʰ'), ('ㄋ', 'n'), ('ㄌ', 'l'),
    ('ㄍ', 'k⁼'), ('ㄎ', 'kʰ'), ('ㄏ', 'x'), ('ㄐ', 'tʃ⁼'), ('ㄑ', 'tʃʰ'), ('ㄒ', 'ʃ'), ('ㄓ', 'ts`⁼'),
    ('ㄔ', 'ts`ʰ'), ('ㄕ', 's`'), ('ㄖ', 'ɹ`'), ('ㄗ', 'ts⁼'), ('ㄘ', 'tsʰ'), ('ㄙ', '|s'), ('ㄚ', '|a'),
    ('ㄛ', '|o'), ('ㄜ', '|ə'), ('ㄝ', '|ɛ'), ('ㄞ', '|aɪ'), ('ㄟ', '|eɪ'), ('ㄠ', '|ɑʊ'), ('ㄡ', '|oʊ'),
    ('ㄢ', '|an'), ('ㄣ', '|ən'), ('ㄤ', '|ɑŋ'), ('ㄥ', '|əŋ'), ('ㄦ', 'əɹ'), ('ㄧ', '|i'), ('ㄨ', '|u'),
    ('ㄩ', '|ɥ'), ('ˉ', '→|'), ('ˊ', '↑|'), ('ˇ', '↓↑|'), ('ˋ', '↓|'), ('˙', '|'),
]
NO_YI_CHANGE_BEFORE = set('零一二三四五六七八九十')
YI_PUNCTUATION = set("：，；。？！“”‘’':,;.?!()（）{}【】[]-~`、 ")
ER_KEEPS_TONE = {'女儿', '老儿', '男儿', '少儿', '小儿'}
CHINESE_TO_ASCII = [('，', ','), ('。', '.'), ('！', '!'), ('？', '?'), ('；', ';'), ('：', ':'), ('、', ','),
                    ('‘', "'"), ('’', "'"), ('⋯', '…'), ('···', '…'), ('・・・', '…'), ('...', '…')]


class Mandarin:
    def __init__(self, amphion):
        self.bopomofo = {}
        with open(os.path.join(amphion, G2P, 'sources', 'pinyin_2_bpmf.txt'), encoding='utf-8') as f:
            for line in f:
                pinyin, bopomofo = line.strip().split('\t')
                self.bopomofo[pinyin] = bopomofo
        self.readings = character_readings()

    def normalize(self, text):
        for a, b in CHINESE_TO_ASCII:
            text = text.replace(a, b)
        text = re.sub(r'\s+', '', text)
        text = re.sub(r"[^\u4e00-\u9fff\s_,\.\?!;:'…]", '', text)
        return re.sub(r"\s*([,\.\?!;:'…])\s*", r'\1', text)

    def word_pinyin(self, word):
        if word in WORD_READINGS:
            return WORD_READINGS[word].split(' ')
        out = []
        for ch in word:
            readings = self.readings.get(ch)
            if readings is None:
                out.append(None)  # not Chinese: kept as itself
            elif len(readings) == 1:
                out.append(readings[0])
            else:
                sys.exit(f'{ch!r} in {word!r} has readings {readings}: add the word to WORD_READINGS')
        return out

    def word_bopomofo(self, word):
        return [ch if py is None else self.bopomofo[py[:-1]] + TONE_MARK[py[-1]] for ch, py in zip(word, self.word_pinyin(word))]

    @staticmethod
    def change_tone(syllable, mark):
        return syllable[:-1] + mark if syllable[-1] in '˙ˊˇˋ' else syllable + mark

    @staticmethod
    def merge(words):
        # merge_yi: A 一 A as one word, then a lone 一 joins the next word
        out = []
        for i, w in enumerate(words):
            if 0 < i < len(words) - 1 and w == '一' and words[i - 1] == words[i + 1]:
                out[-1] = words[i - 1] + '一' + words[i - 1]
            elif i >= 2 and words[i - 1] == '一' and words[i - 2] == w:
                continue
            else:
                out.append(w)
        words, out = out, []
        for w in words:
            if out and out[-1] == '一':
                out[-1] += w
            else:
                out.append(w)
        # merge_bu: a lone 不 joins the next word (a final one is dropped, as the original)
        words, out, last = out, [], ''
        for w in words:
            if w != '不':
                out.append(last + w if last == '不' else w)
            last = w
        # merge_er: 儿 joins the word before it
        words, out = out, []
        for i, w in enumerate(words):
            if i > 0 and w == '儿':
                out[-1] += w
            else:
                out.append(w)
        return out

    def sandhi(self, word, b):
        ct = self.change_tone
        if len(word) == 3 and b[0][-1] == 'ˇ' and b[1][-1] == 'ˇ' and b[-1][-1] == 'ˇ':
            b[0] += 'ˊ'  # appended, not replaced, in the original
            b[1] += 'ˊ'
        if len(word) == 2 and b[0][-1] == 'ˇ' and b[-1][-1] == 'ˇ':
            b[0] = b[0][:-1] + 'ˊ'
        # 不
        if not (set(word) == {'不'} or word == '不字'):
            if len(word) == 3 and word[1] == '不' and b[1][:-1] == 'ㄅㄨ':
                b[1] = b[1][:-1] + '˙'
            else:
                for i, ch in enumerate(word):
                    if ch == '不' and i + 1 < len(b) and i + 1 < len(word) and b[i + 1] and b[i + 1][-1] == 'ˋ':
                        b[i] = b[i][:-1] + 'ˊ'
        # 一
        if '一' in word and any(c.isnumeric() for c in word if c != '一'):
            for i in range(len(word)):
                if i == 0 and word[0] == '一' and len(word) > 1 and word[1] not in NO_YI_CHANGE_BEFORE:
                    b[0] = ct(b[0], 'ˊ' if b[1][-1] in ('ˋ', '˙') else 'ˋ')
                elif word[i] == '一':
                    b[i] = ct(b[i], '')
        elif len(word) == 3 and word[1] == '一' and word[0] == word[-1]:
            b[1] = ct(b[1], '˙')
        elif word.startswith('第一'):
            b[1] = ct(b[1], '')
        elif word.startswith(('一月', '一日', '一号')):
            b[0] = ct(b[0], '')
        else:
            for i, ch in enumerate(word):
                if ch == '一' and i + 1 < len(word):
                    if len(b) > i + 1 and b[i + 1] and b[i + 1][-1] == 'ˋ':
                        b[i] = ct(b[i], 'ˊ')
                    elif word[i + 1] not in YI_PUNCTUATION:
                        b[i] = ct(b[i], 'ˋ')
        # 儿
        if len(word) > 1 and word[-1] == '儿' and word not in ER_KEEPS_TONE:
            b[-1] = ct(b[-1], '˙')
        return b

    def to_bopomofo(self, text):
        out = ''
        for word in self.merge(jieba.lcut(text, cut_all=False)):
            b = self.sandhi(word, self.word_bopomofo(word))
            if not re.search('[\u4e00-\u9fff]', word):
                out += '|' + word
                continue
            b = [re.sub(r'([\u3105-\u3129])$', r'\1ˉ', s) for s in b]
            out += ('|' if out else '') + '|'.join(b)
        return out

    def phones(self, text):
        if re.search(r'\d', text):
            sys.exit(f'{text!r}: numbers go through cn2an, which this script does not reproduce')
        text = self.to_bopomofo(self.normalize(text.strip()))
        for a, b in BOPOMOFO_TO_IPA:
            text = text.replace(a, b)
        text = re.sub(r'([sɹ]`[⁼ʰ]?)([→↓↑ ]+|$)', r'\1ɹ\2', text)
        text = re.sub(r'([s][⁼ʰ]?)([→↓↑ ]+|$)', r'\1ɹ\2', text)
        text = re.sub(r"^\||[^\w\s_,\.\?!;:'…\|→↓↑⁼ʰ`]", '', text)
        text = re.sub(r"([,\.\?!;:'…])", r'|\1|', text)
        return re.sub(r'\|+', '|', text).rstrip('|')


# ---------------------------------------------------------------- languages and ids


def runs(text):
    """get_segment: Han (U+4E00–U+9FA5) and ASCII-letter runs; other characters join the run."""
    def kind(ch):
        if '\u4e00' <= ch <= '\u9fa5':
            return 'zh'
        return 'en' if ('A' <= ch <= 'Z' or 'a' <= ch <= 'z') else 'other'
    out, text_run, lang = [], '', None
    for ch in text:
        k = kind(ch)
        if lang is None or lang == 'other':
            text_run, lang = text_run + ch, k
        elif k in (lang, 'other'):
            text_run += ch
        else:
            out.append((text_run, lang))
            text_run, lang = ch, k
    out.append((text_run, lang))
    return out


class Reference:
    def __init__(self, amphion):
        self.espeak = espeak_reference.Espeak()
        self.mandarin = Mandarin(amphion)
        with open(os.path.join(amphion, G2P, 'g2p', 'vocab.json'), encoding='utf-8') as f:
            self.vocab = json.load(f)['vocab']

    def language_phones(self, text, language):
        r = espeak_reference
        if language == 'zh':
            return self.mandarin.phones(text)
        return {'en': r.english, 'fr': r.french, 'de': r.german, 'ko': r.korean}[language](self.espeak, text)

    def ids(self, phones):
        return [self.vocab[p] for p in phones.split('|') if p in self.vocab]

    def tokenize(self, text, language):
        """Phone string and ids, as `g2p_(text, language)`."""
        if language not in ('zh', 'en'):
            phones = self.language_phones(text, language)
            return phones, self.ids(phones)
        segments = runs(text)
        all_phones, all_ids = '', []
        for i, (segment, lang) in enumerate(segments):
            if lang == 'other':
                sys.exit(f'{text!r}: a text with neither Han nor Latin raises in the original')
            phones = self.language_phones(segment, lang)
            all_phones += phones + '|'
            all_ids += self.ids(phones)
            if lang == 'en' and i == len(segments) - 1 and all_phones[-2] == '_':
                all_phones, all_ids = all_phones[:-2], all_ids[:-1]
        return all_phones, all_ids


# The route tests' texts: their reference text and each language's target.
CASES = [
    ('en', 'This is the reference voice.'),
    ('en', 'Hello from the hub.'),
    ('zh', 'This is the reference voice.'),
    ('zh', '你好，欢迎使用。'),
    ('zh', '我们用 MaskGCT 合成语音。'),
    ('fr', 'This is the reference voice.'),
    ('fr', 'Bonjour à tous.'),
    ('de', 'This is the reference voice.'),
    ('de', 'Guten Morgen.'),
    ('ko', 'This is the reference voice.'),
    ('ko', '안녕하세요.'),
]
# Sentences where a segmenter other than jieba cuts other words, so the 3-3 and 一 sandhi
# (which act within a word) show whether the hub follows jieba's boundaries.
FRONT_END_CASES = [
    ('zh', '今天天气很好！'),
    ('zh', '我有三个苹果'),
    ('zh', '我想买两把雨伞。'),
    ('zh', '我们一起去吃饭吧，小明说。'),
    ('zh', '我爱北京天安门。'),
    ('en', 'I say 你好 to MaskGCT.'),
    # run boundaries with punctuation: full-width after English, a final English run
    ('en', 'Hello，你好！'),
    ('zh', 'Hi! 你好吗？'),
    ('zh', '再见。Bye bye!'),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--amphion', required=True, help='a checkout of open-mmlab/Amphion (d3de90f)')
    args = parser.parse_args()
    jieba.setLogLevel(60)
    reference = Reference(args.amphion)
    version = subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True).stdout.strip()
    cases = []
    for language, text in CASES + FRONT_END_CASES:
        phones, ids = reference.tokenize(text, language)
        cases.append({'language': language, 'text': text, 'phones': phones, 'ids': ids})
    fixture = {
        'generator': 'scripts/reference/maskgct-phone-ids.py',
        'amphion': 'open-mmlab/Amphion d3de90f, models/tts/maskgct/g2p',
        'espeak': version,
        'jieba': jieba.__version__,
        'cases': cases,
        'vocab': reference.vocab,
    }
    json.dump(fixture, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
