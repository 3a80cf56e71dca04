// The text service behind `ctx.text`. One espeak worker thread serves the phonemizer and
// the synthesizer; it starts on first use and stops with the container.
import { loadTokenizer, tokenizerFrom } from './bpe-tokenizer.ts';
import { makeEspeakEngine, type EspeakEngine } from './espeak/espeak-engine.ts';
import { voiceIndex } from './espeak/voice-index.ts';
import { ESPEAK_RATE, ESPEAK_SAMPLE_RATE } from './espeak/espeak-limits.ts';
import { amphionPhoneString } from './g2p/amphion-g2p.ts';
import { normalizeEnglish } from './g2p/english.ts';
import { G2P_LANGUAGES, resolveG2pLanguage } from './g2p/languages.ts';
import { loadPhoneVocab, phoneVocabFrom } from './phone-vocab.ts';
import { assertTextLength, chunkText, splitSentences } from './sentences.ts';
import type { EspeakSpeech, TextToolkit } from './toolkit.ts';

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function makeEspeakSpeech(engine: EspeakEngine): EspeakSpeech {
  let index: Promise<(language: string) => string | undefined> | undefined;
  const voiceFor = async (language: string) => {
    index ??= engine.describe().then((d) => voiceIndex(d.voices));
    return (await index)(language);
  };
  const requireVoice = async (language: string) => {
    const voice = await voiceFor(language);
    if (!voice) throw new Error(`espeak has no voice for language '${language}'`);
    return voice;
  };
  return {
    sampleRate: ESPEAK_SAMPLE_RATE,
    rate: ESPEAK_RATE,
    voices: async () => (await engine.describe()).voices,
    variants: async () => (await engine.describe()).variants,
    voiceFor,
    async ipa(text, language) {
      return (await engine.phonemes([text], await requireVoice(language)))[0] ?? '';
    },
    async synthesize(text, options) {
      const audio = await engine.synthesize(text, {
        voice: options.voice,
        rate: Math.round(clamp(options.rate ?? ESPEAK_RATE.normal, ESPEAK_RATE.min, ESPEAK_RATE.max)),
        pitch: Math.round(clamp(options.pitch ?? 50, 0, 100)),
        range: Math.round(clamp(options.range ?? 50, 0, 100)),
      });
      return { audio, sampleRate: ESPEAK_SAMPLE_RATE };
    },
  };
}

export function makeTextToolkit(): TextToolkit {
  const engine = makeEspeakEngine();
  const espeak = makeEspeakSpeech(engine);
  // The G2P asks espeak by language code; every code it uses has a voice in the data.
  const rawPhonemes = async (texts: readonly string[], language: string) => {
    const voice = await espeak.voiceFor(language);
    if (!voice) throw new Error(`espeak has no voice for language '${language}'`);
    return engine.phonemes(texts, voice);
  };

  return {
    languages: G2P_LANGUAGES,
    resolveLanguage: (code, field) => resolveG2pLanguage(code, field),
    async phonemize(text, language, options = {}) {
      const resolved = resolveG2pLanguage(language, options.field);
      const phoneString = await amphionPhoneString(text, resolved, rawPhonemes);
      return { language: resolved, text: phoneString, phones: phoneString.split('|').filter((p) => p !== '') };
    },
    normalizeEnglish,
    phoneVocab: loadPhoneVocab,
    phoneVocabFrom: (data) => phoneVocabFrom(data),
    tokenizer: loadTokenizer,
    tokenizerFrom,
    splitSentences,
    chunkText,
    assertLength: assertTextLength,
    espeak,
    close: () => engine.close(),
  };
}
