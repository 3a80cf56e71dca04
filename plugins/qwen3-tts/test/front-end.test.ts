// The text front end and the talker prompt, on fixed strings. The tokenizer is the plugin's
// tiny Qwen2-shaped one (no full Qwen2 vocabulary is reachable here): byte symbols at Qwen2's
// ids 0..255 (GPT-2 order), merges spelling "assistant" (77091) and "user" (872), the chat
// specials at their real ids, Qwen2's NFC + split + byte-level pipeline. So the template's
// fixed parts are checked against the real ids; the text between them tokenizes byte by byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizerFrom } from '../../../core/text/bpe-tokenizer.ts';
import { talkerPrompt } from '../prompt.ts';
import { assistantText, instructText, promptIds, qwen3TextIds, referenceText, smokeTokenizerJson } from '../text.ts';
import { QWEN3 } from '../variants.ts';

const ids = qwen3TextIds(tokenizerFrom(smokeTokenizerJson()));
const ROLE = [151644, 77091, 198]; // <|im_start|> assistant \n
const END = [151645, 198, 151644, 77091, 198]; // <|im_end|> \n <|im_start|> assistant \n

describe('Qwen3-TTS chat template', () => {
  it('builds the three strings of qwen3_tts_model.py exactly', () => {
    assert.equal(assistantText('Hi.'), '<|im_start|>assistant\nHi.<|im_end|>\n<|im_start|>assistant\n');
    assert.equal(referenceText('Ref.'), '<|im_start|>assistant\nRef.<|im_end|>\n');
    assert.equal(instructText('Calm.'), '<|im_start|>user\nCalm.<|im_end|>\n');
  });

  it('tokenizes them to the ids the reference slices: role, text, end', () => {
    // "Hi all" → H i Ġ a l l (byte ids: printable bytes count from '!' = 0)
    assert.deepEqual(ids(assistantText('Hi all')), [...ROLE, 39, 72, 220, 64, 75, 75, ...END]);
    assert.deepEqual(ids(referenceText('ok')), [...ROLE, 78, 74, 151645, 198]);
    assert.deepEqual(ids(instructText('x')), [151644, 872, 198, 87, 151645, 198]);
    // Text that contains the role word or a newline does not disturb the fixed parts.
    const tricky = ids(assistantText('assistant\nA'));
    assert.deepEqual(tricky.slice(0, 3), ROLE);
    assert.deepEqual(tricky.slice(3, -5), [77091, 198, 32]);
    assert.deepEqual(tricky.slice(-5), END);
    // NFC: a decomposed é and the composed one give the same ids (UTF-8 c3 a9 → byte symbols 127, 102).
    assert.deepEqual(ids(assistantText('e\u0301')), ids(assistantText('\u00e9')));
    assert.deepEqual(ids(assistantText('\u00e9')).slice(3, -5), [127, 102]);
  });
});

describe('Qwen3-TTS talker prompt (generate / generate_icl_prompt, batch of one)', () => {
  const p = promptIds(ids, { text: 'ab' }); // text ids [64, 65]
  const { text: T, codec: C } = QWEN3;

  it('built-in voice, language set, all text in the prefill (non_streaming_mode)', () => {
    const { rows, trailing } = talkerPrompt({ ids: p, languageId: 2050, speakerId: 3061, textInPrefill: true });
    assert.deepEqual(rows, [
      ...ROLE.map((id) => ({ text: id })),
      { text: T.ttsPad, codec: C.think }, { text: T.ttsPad, codec: C.thinkBos }, { text: T.ttsPad, codec: 2050 }, { text: T.ttsPad, codec: C.thinkEos },
      { text: T.ttsPad, codec: 3061 }, { text: T.ttsBos, codec: C.pad },
      { text: 64, codec: C.pad }, { text: 65, codec: C.pad }, { text: T.ttsEos, codec: C.pad }, { text: T.ttsPad, codec: C.bos },
    ]);
    assert.deepEqual(trailing, []);
  });

  it('language auto, instructions first, text trailing one id per frame', () => {
    const { rows, trailing } = talkerPrompt({ ids: promptIds(ids, { text: 'ab', instructions: 'x' }), textInPrefill: false });
    assert.deepEqual(rows, [
      ...[151644, 872, 198, 87, 151645, 198].map((id) => ({ text: id })),
      ...ROLE.map((id) => ({ text: id })),
      { text: T.ttsPad, codec: C.nothink }, { text: T.ttsPad, codec: C.thinkBos }, { text: T.ttsPad, codec: C.thinkEos }, { text: T.ttsBos, codec: C.pad },
      { text: 64, codec: C.bos },
    ]);
    assert.deepEqual(trailing, [65, T.ttsEos]);
  });

  it('ICL clone: x-vector in the speaker slot, reference text ⧺ text against codec_bos and the reference frames', () => {
    const icl = promptIds(ids, { text: 'ab', reference: 'r' }); // reference text id [81]
    const streamed = talkerPrompt({ ids: icl, xVector: true, referenceFrames: 2, textInPrefill: false });
    assert.deepEqual(streamed.rows.slice(3, 8), [
      { text: T.ttsPad, codec: C.nothink }, { text: T.ttsPad, codec: C.thinkBos }, { text: T.ttsPad, codec: C.thinkEos }, { text: T.ttsPad, speaker: true }, { text: T.ttsBos, codec: C.pad },
    ]);
    // text (r, a, b, eos) is longer than codes (bos, f0, f1): the first three pair up, eos trails
    assert.deepEqual(streamed.rows.slice(8), [{ codec: C.bos, text: 81 }, { frame: 0, text: 64 }, { frame: 1, text: 65 }]);
    assert.deepEqual(streamed.trailing, [T.ttsEos]);
    const whole = talkerPrompt({ ids: icl, xVector: true, referenceFrames: 2, textInPrefill: true });
    assert.deepEqual(whole.rows.slice(8), [
      { text: 81, codec: C.pad }, { text: 64, codec: C.pad }, { text: 65, codec: C.pad }, { text: T.ttsEos, codec: C.pad },
      { codec: C.bos, text: T.ttsPad }, { frame: 0, text: T.ttsPad }, { frame: 1, text: T.ttsPad },
    ]);
    assert.deepEqual(whole.trailing, []);
    // more codes than text: the text is padded with tts_pad, nothing trails
    const long = talkerPrompt({ ids: icl, xVector: true, referenceFrames: 5, textInPrefill: false });
    assert.deepEqual(long.rows.slice(-3), [{ frame: 2, text: T.ttsEos }, { frame: 3, text: T.ttsPad }, { frame: 4, text: T.ttsPad }]);
    assert.deepEqual(long.trailing, []);
  });
});
