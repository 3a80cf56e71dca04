import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizerFrom } from '../../core/text/bpe-tokenizer.ts';
import { decodeOnce, decodeWithFallback, detectLanguage, type DecoderSession, type DecodeSettings } from './decode-loop.ts';
import { applyTimestampRules, MAX_INITIAL_TIMESTAMP_INDEX, suppressBlank } from './logit-filters.ts';
import { resolveWhisperLanguage } from './languages.ts';
import { PRESETS } from './presets.ts';
import { compressionRatio, sampleWithTemperature, seededRandom } from './sampling.ts';
import { segmentWindow, spokenSegments } from './segments.ts';
import { smokeTokenizerJson } from './smoke-tokenizer.ts';
import { startSequence, suppressedTokens, whisperTokens } from './special-tokens.ts';

const tokenizer = tokenizerFrom(smokeTokenizerJson(PRESETS.base.vocab));
const tokens = whisperTokens(tokenizer);
const VOCAB = PRESETS.base.vocab;
const TEXT_A = 300;
const TEXT_B = 301;

/** A session whose logits after each fed position come from `next(position, fed so far)`; it records what it was fed. */
function scriptedSession(next: (position: number, fed: readonly number[]) => Partial<Record<number, number>>): DecoderSession & { fed: number[] } {
  const fed: number[] = [];
  return {
    fed,
    async feed(input) {
      return input.map((token) => {
        fed.push(token);
        const row = new Float32Array(VOCAB);
        for (const [id, value] of Object.entries(next(fed.length - 1, fed))) row[Number(id)] = value!;
        return row;
      });
    },
  };
}

function settings(overrides: Partial<DecodeSettings> = {}): DecodeSettings {
  return {
    tokens,
    prompt: startSequence(tokens, 'en', false),
    maxNewTokens: 224,
    timestamps: false,
    suppressed: suppressedTokens(tokenizer, tokens),
    blank: tokenizer.encode(' ', { addSpecialTokens: false }),
    ...overrides,
  };
}

describe("Whisper's special tokens", () => {
  it('are found by name in the tokenizer, in Whisper\'s order', () => {
    assert.equal(tokens.eot, 50257);
    assert.equal(tokens.sot, 50258);
    assert.equal(tokens.languages.get('en'), 50259);
    assert.equal(tokens.languages.get('zh'), 50260);
    assert.equal(tokens.transcribe, 50359);
    assert.equal(tokens.noTimestamps, 50363);
    assert.equal(tokens.timestampBegin, 50364);
    assert.equal(tokens.languages.size, 99);
  });

  it('start every window with the language and task, and no-timestamps when asked', () => {
    assert.deepEqual(startSequence(tokens, 'fr', true), [tokens.sot, tokens.languages.get('fr'), tokens.transcribe]);
    assert.deepEqual(startSequence(tokens, 'de', false), [tokens.sot, tokens.languages.get('de'), tokens.transcribe, tokens.noTimestamps]);
  });

  it('suppress the task tokens but never a language, <|endoftext|> or timestamps', () => {
    const suppressed = new Set(suppressedTokens(tokenizer, tokens));
    assert.ok(suppressed.has(tokens.transcribe!) && suppressed.has(tokens.sot) && !suppressed.has(tokens.languages.get('en')!), 'task and start tokens, not languages');
    assert.ok(!suppressed.has(tokens.eot) && !suppressed.has(tokens.timestampBegin), 'end and timestamps stay allowed');
    assert.ok(suppressed.has(tokenizer.encode('#', { addSpecialTokens: false })[0]!), 'symbols such as # are suppressed');
  });

  it('resolve client languages by code, region or name, and refuse others with a 400', () => {
    const available = [...tokens.languages.keys()];
    assert.equal(resolveWhisperLanguage('EN-us', available), 'en');
    assert.equal(resolveWhisperLanguage('Chinese', available), 'zh');
    assert.throws(() => resolveWhisperLanguage('klingon', available), (e: Error & { status?: number }) => e.status === 400 && /^language: 'klingon'/.test(e.message));
  });
});

describe('the decoding loop', () => {
  it('stops at <|endoftext|> and returns the tokens before it', async () => {
    const script = [TEXT_A, TEXT_B, tokens.eot];
    const prompt = settings().prompt;
    const session = scriptedSession((position) => ({ [script[position - prompt.length + 1] ?? tokens.eot]: 30 }));
    const result = await decodeOnce(session, settings(), 0);
    assert.deepEqual(result.tokens, [TEXT_A, TEXT_B]);
    assert.equal(result.ended, true);
    assert.ok(result.avgLogprob < 0 && result.avgLogprob > -0.01, `avg logprob ${result.avgLogprob}`);
  });

  it('respects the token budget when no end comes', async () => {
    const session = scriptedSession(() => ({ [TEXT_A]: 10 }));
    const result = await decodeOnce(session, settings({ maxNewTokens: 5 }), 0);
    assert.equal(result.tokens.length, 5);
    assert.equal(result.ended, false);
    assert.equal(session.fed.length, settings().prompt.length + 4, 'the last chosen token is not fed');
  });

  it('never asks for more positions than the decoder cache holds', async () => {
    const session = scriptedSession(() => ({ [TEXT_A]: 10 }));
    const result = await decodeOnce(session, settings({ maxNewTokens: 10_000 }), 0);
    assert.equal(settings().prompt.length + result.tokens.length, 448);
  });

  it('feeds the requested language in the start sequence', async () => {
    const session = scriptedSession(() => ({ [tokens.eot]: 10 }));
    await decodeOnce(session, settings({ prompt: startSequence(tokens, 'zh', true) }), 0);
    assert.deepEqual(session.fed.slice(0, 3), [tokens.sot, tokens.languages.get('zh'), tokens.transcribe]);
  });

  it('reads the no-speech probability after <|startoftranscript|>', async () => {
    const session = scriptedSession((position) => (position === 0 ? { [tokens.noSpeech!]: 30 } : { [tokens.eot]: 10 }));
    const result = await decodeOnce(session, settings(), 0);
    assert.ok(result.noSpeechProb > 0.99, `no-speech probability ${result.noSpeechProb}`);
  });

  it('does not start with a blank or the end', () => {
    const row = new Float32Array(VOCAB);
    suppressBlank(row, [], [220], tokens.eot);
    assert.equal(row[220], -Infinity);
    assert.equal(row[tokens.eot], -Infinity);
    const later = new Float32Array(VOCAB);
    suppressBlank(later, [TEXT_A], [220], tokens.eot);
    assert.equal(later[tokens.eot], 0);
  });

  it('samples from the softmax at a temperature, repeatably with a seed', () => {
    const logits = Float32Array.from({ length: 4 }, (_, i) => i);
    const draws = (seed: number) => Array.from({ length: 200 }, ((random) => () => sampleWithTemperature(logits, 1, random))(seededRandom(seed)));
    const counts = [0, 0, 0, 0];
    for (const id of draws(1)) counts[id]!++;
    assert.ok(counts[3]! > counts[2]! && counts[2]! > counts[0]!, JSON.stringify(counts));
    assert.deepEqual(draws(7), draws(7));
  });
});

describe('timestamp rules', () => {
  const row = (values: Partial<Record<number, number>> = {}) => {
    const r = new Float32Array(VOCAB);
    for (const [id, v] of Object.entries(values)) r[Number(id)] = v!;
    return r;
  };
  const ts = (index: number) => tokens.timestampBegin + index;
  const allowed = (r: Float32Array) => [...r.keys()].filter((i) => r[i] !== -Infinity);

  it('start with a timestamp of at most 1 s', () => {
    const r = row({ [TEXT_A]: 50 });
    applyTimestampRules(r, [], tokens);
    const ids = allowed(r);
    assert.equal(ids[0], ts(0));
    assert.equal(ids.at(-1), ts(MAX_INITIAL_TIMESTAMP_INDEX));
  });

  it('follow an opening timestamp with text, and a closing one with a timestamp or the end', () => {
    const afterOpening = row();
    applyTimestampRules(afterOpening, [ts(0)], tokens);
    assert.ok(allowed(afterOpening).every((id) => id < tokens.timestampBegin), 'only text or the end');
    // A likely end keeps the end allowed (flat logits would force a timestamp instead).
    const afterClosing = row({ [tokens.eot]: 20 });
    applyTimestampRules(afterClosing, [ts(0), TEXT_A, ts(20)], tokens);
    const ids = allowed(afterClosing);
    assert.ok(ids.every((id) => id >= tokens.eot), 'no text');
    assert.ok(ids.includes(tokens.eot) && ids.includes(ts(20)) && !ids.includes(ts(19)), 'the end, or a timestamp not before the last');
  });

  it('never go backwards in time', () => {
    const r = row();
    applyTimestampRules(r, [ts(0), TEXT_A, ts(20), ts(20), TEXT_B], tokens);
    assert.equal(r[ts(20)], -Infinity);
    assert.equal(r[ts(21)], 0);
  });

  it('force a timestamp when timestamps together outweigh every text token', () => {
    const r = row({ [TEXT_A]: 1 });
    applyTimestampRules(r, [ts(0), TEXT_A], tokens);
    assert.equal(r[TEXT_A], -Infinity, 'log(1500) > 1: a timestamp is forced');
  });
});

describe('segments and seeking', () => {
  const ts = (index: number) => tokens.timestampBegin + index;

  it('drop instantaneous (start == end) and textless segments, as transcribe.py clears them', () => {
    const segments = [
      { start: 0, end: 1, tokens: [ts(0), TEXT_A, ts(50)] },
      { start: 1, end: 1, tokens: [ts(50), TEXT_B, ts(50)] },
      { start: 1, end: 2, tokens: [ts(50), ts(100)] },
    ];
    const kept = spokenSegments(segments, (ids) => (ids.some((id) => id < tokens.eot) ? tokenizer.decode(ids.filter((id) => id < tokens.eot)) : ''));
    assert.deepEqual(kept.map((s) => s.tokens), [[ts(0), TEXT_A, ts(50)]]);
    assert.equal(kept[0]!.text, tokenizer.decode([TEXT_A]));
  });

  it('cut segments at consecutive timestamps and finish the window after a clean ending', () => {
    const window = segmentWindow([ts(0), TEXT_A, ts(50), ts(50), TEXT_B, ts(100), ts(100)], tokens.timestampBegin, 3000, 3000);
    assert.deepEqual(window.segments.map((s) => [s.start, s.end]), [[30, 31], [31, 32]]);
    assert.equal(window.advance, 200, 'ends with a timestamp pair: seek to its time');
  });

  it('move the whole window on when it ends with a single timestamp', () => {
    const window = segmentWindow([ts(0), TEXT_A, ts(50), ts(50), TEXT_B, ts(100)], tokens.timestampBegin, 0, 3000);
    assert.equal(window.segments.length, 2);
    assert.equal(window.advance, 3000);
  });

  it('make one segment of a window without timestamp pairs', () => {
    const window = segmentWindow([ts(0), TEXT_A, TEXT_B], tokens.timestampBegin, 0, 1000);
    assert.deepEqual(window.segments.map((s) => [s.start, s.end]), [[0, 10]]);
    assert.equal(window.advance, 1000);
  });

  it('always move forward', () => {
    assert.equal(segmentWindow([ts(0), ts(0)], tokens.timestampBegin, 0, 3000).advance, 3000);
  });
});

describe('temperature fallback and language detection', () => {
  const fallback = { temperatures: [0, 0.2, 0.4], compressionRatioThreshold: 2.4, logprobThreshold: -1, noSpeechThreshold: 0.6 };
  const textOf = (ids: readonly number[]) => tokenizer.decode(ids.filter((id) => id < tokens.eot));

  it('decodes again hotter while the result is improbable', async () => {
    // Flat logits: every token equally likely, far below the log-probability threshold.
    const temperatures: number[] = [];
    const result = await decodeWithFallback(
      () => scriptedSession(() => ({})),
      settings({ maxNewTokens: 3 }),
      fallback,
      (ids) => {
        temperatures.push(ids.length);
        return textOf(ids);
      },
    );
    assert.equal(temperatures.length, 3, 'all three temperatures tried');
    assert.equal(result.temperature, 0.4);
  });

  it('keeps the greedy result when it is confident', async () => {
    const prompt = settings().prompt;
    const result = await decodeWithFallback(() => scriptedSession((p) => ({ [p === prompt.length - 1 ? TEXT_A : tokens.eot]: 30 })), settings(), fallback, textOf);
    assert.equal(result.temperature, 0);
    assert.deepEqual(result.tokens, [TEXT_A]);
  });

  it('stops falling back on a window it judges silent', async () => {
    const result = await decodeWithFallback(() => scriptedSession((p) => (p === 0 ? { [tokens.noSpeech!]: 30 } : {})), settings({ maxNewTokens: 2 }), fallback, textOf);
    assert.equal(result.noSpeech, true);
    assert.equal(result.temperature, 0);
  });

  it('calls repetitive text too compressible', () => {
    assert.ok(compressionRatio('the same words '.repeat(20)) > 2.4, 'repetitive');
    assert.ok(compressionRatio('A short ordinary sentence.') < 2.4, 'ordinary');
  });

  it('picks the likeliest language token, ignoring other tokens', async () => {
    const session = scriptedSession(() => ({ [TEXT_A]: 50, [tokens.languages.get('de')!]: 8, [tokens.languages.get('fr')!]: 4 }));
    const detected = await detectLanguage(session, tokens);
    assert.equal(detected.language, 'de');
    assert.ok(detected.probability > 0.5 && detected.probability < 1, `probability ${detected.probability}`);
    assert.deepEqual(session.fed, [tokens.sot]);
  });
});
