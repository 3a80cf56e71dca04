import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { makeTextToolkit } from '../../core/text/make-text-toolkit.ts';
import type { TextToolkit } from '../../core/text/toolkit.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'text');
const espeakFixture = JSON.parse(readFileSync(join(FIXTURES, 'phonemizer-espeak.json'), 'utf8')) as {
  espeak: string;
  cases: { language: 'en' | 'fr' | 'de' | 'ko'; text: string; phones: string }[];
};
const mandarinFixture = JSON.parse(readFileSync(join(FIXTURES, 'mandarin-phones.json'), 'utf8')) as {
  cases: { text: string; phones: string; why: string }[];
  mixed: { language: string; text: string; phones: string; why: string }[];
};

// The fixture comes from Debian's espeak-ng 1.51; the npm build is newer and writes these
// phones differently (its dictionaries changed), everything else is identical.
const NEWER_ESPEAK: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  en: { 'oːɹ': 'ɔːɹ' },
  de: { y: 'ʏ' },
};

function asNewerEspeak(language: string, phones: string): string {
  const map = NEWER_ESPEAK[language] ?? {};
  return phones
    .split('|')
    .map((p) => map[p] ?? p)
    .join('|');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('the phonemizer with Amphion conventions', () => {
  let text: TextToolkit;
  before(() => {
    text = makeTextToolkit();
  });
  after(() => text.close());

  describe('against phones made with espeak-ng itself', () => {
    for (const c of espeakFixture.cases) {
      it(`gives the reference phones for ${c.language} "${c.text}"`, async () => {
        const result = await text.phonemize(c.text, c.language);
        // The English path is the mixed zh/en one, whose string ends with a run separator.
        const phones = c.language === 'en' ? result.text.replace(/\|$/u, '') : result.text;
        assert.equal(phones, asNewerEspeak(c.language, c.phones));
      });
    }
  });

  describe('Chinese through pinyin', () => {
    for (const c of mandarinFixture.cases) {
      it(`reads "${c.text}" (${c.why})`, async () => {
        assert.equal((await text.phonemize(c.text, 'zh')).text, c.phones);
      });
    }
    for (const c of mandarinFixture.mixed) {
      it(`splits mixed text "${c.text}" into runs (${c.why})`, async () => {
        assert.equal((await text.phonemize(c.text, c.language)).text, c.phones);
      });
    }
  });

  it('lists the phones without separators, ready for a vocabulary', async () => {
    const result = await text.phonemize('你好!', 'zh');
    assert.deepEqual(result.phones, ['n', 'i↑', 'x', 'ɑʊ↓↑', '!']);
    assert.equal(result.language, 'zh');
  });

  it('maps phones to ids with a vocabulary, dropping the ones it lacks', async () => {
    const vocab = text.phoneVocabFrom({ vocab: { ',': 0, '!': 3, _: 4, h: 41, l: 50, 'oʊ': 23, w: 48, 'ɜː': 7, d: 30 } });
    const result = await text.phonemize('Hello, world!', 'en');
    const { ids, unknown } = vocab.ids(result.phones);
    assert.deepEqual(ids, [41, 50, 23, 0, 48, 7, 50, 30, 3]);
    assert.deepEqual(unknown, ['ə']);
  });

  it('accepts regional and long language codes', async () => {
    assert.equal((await text.phonemize('Bonjour.', 'fr-FR')).language, 'fr');
    assert.equal((await text.phonemize('你好', 'cmn')).language, 'zh');
    assert.equal(text.resolveLanguage('en_US'), 'en');
    assert.deepEqual([...text.languages], ['en', 'zh', 'fr', 'de', 'ko']);
  });

  it('answers Japanese with a 400 that says it is not supported yet', async () => {
    const error = await rejection(text.phonemize('こんにちは', 'ja'));
    assert.ok(isHubError(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_field');
    assert.match(error.message, /^language: 'ja' is not supported yet/);
  });

  it('answers an unknown language with a 400 naming the field the caller gives', async () => {
    const error = await rejection(text.phonemize('hello', 'tlh', { field: 'target_language' }));
    assert.ok(isHubError(error));
    assert.equal(error.status, 400);
    assert.match(error.message, /^target_language: 'tlh' is not supported by the phonemizer; supported: en, zh, fr, de, ko$/);
  });

  it('gives an empty phone list for text with nothing to say', async () => {
    assert.deepEqual((await text.phonemize('   ', 'de')).phones, []);
  });

  it('exposes raw espeak IPA with stress for any espeak language', async () => {
    assert.equal(await text.espeak.ipa('hello', 'en-us'), 'h_ə_l_ˈoʊ');
    assert.equal(await text.espeak.voiceFor('fr'), 'roa/fr');
    assert.equal(await text.espeak.voiceFor('xx-nope'), undefined);
  });
});
