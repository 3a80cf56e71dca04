// The checks the route and the tts capability share, without a hub: languages by name or ISO
// code, a CustomVoice speaker's defaults, and the sampling defaults of the reference wrapper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../../core/errors.ts';
import { checkedRequest } from '../request-check.ts';
import { VARIANTS } from '../variants.ts';

const custom = VARIANTS['0.6B-CustomVoice'];

describe('Qwen3-TTS request checks', () => {
  it('takes language names in any case and ISO codes (with a region), and defaults to auto', () => {
    for (const [given, want] of [['English', 'english'], ['en', 'english'], ['zh-CN', 'chinese'], ['pt_BR', 'portuguese'], [undefined, 'auto']] as const) {
      assert.equal(checkedRequest(custom, { text: 'Hi.', ...(given ? { language: given } : {}), seed: 1 }).language, want);
    }
    assert.throws(() => checkedRequest(custom, { text: 'Hi.', language: 'xx', seed: 1 }), (e: HubError) => e.status === 422 && /^language: 'xx'/.test(e.message));
  });

  it('gives the reference wrapper defaults: voice vivian, temperature 0.9, top-k 50, top-p 1, penalty 1.05, 2048 frames', () => {
    const r = checkedRequest(custom, { text: '  Hi.  ', seed: 1 });
    assert.equal(r.text, 'Hi.');
    assert.equal(r.voice, 'vivian');
    assert.deepEqual(r.talkerSampling, { temperature: 0.9, topK: 50, topP: 1, repetitionPenalty: 1.05 });
    assert.deepEqual(r.predictorSampling, { temperature: 0.9, topK: 50, topP: 1 });
    assert.equal(r.maxNewTokens, 2048);
  });
});
