// A Qwen3-TTS plugin for one checkpoint: POST /api/tts/<name> and the `tts` capability the
// OpenAI-compatible surface speaks through (streaming included). The five checkpoints differ
// only in data (variants.ts); each folder exports `makeQwen3Plugin(...)` with its variant.
import type { TtsCapability, TtsRequest } from '../../core/capabilities.ts';
import { freshSeed } from '../../core/generation/rng.ts';
import { definePlugin, defineRoute } from '../../core/plugin/define-plugin.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { qwen3Graphs } from './graphs.ts';
import { checkedRequest, DEFAULT_VOICE, voiceList, type RawQwen3Request } from './request-check.ts';
import { speak, speakWhole } from './synthesize.ts';
import { LANGUAGE_NAMES, QWEN3, variantsWith, type Qwen3Variant } from './variants.ts';

function modeText(v: Qwen3Variant): string {
  const parts = [];
  if (v.modes.includes('voice')) parts.push(`built-in voices (\`voice\`: ${voiceList()}; default ${DEFAULT_VOICE})`);
  if (v.modes.includes('clone')) parts.push('voice cloning from `reference_audio` (with `reference_text`: in-context cloning from its codes; without: x-vector only)');
  if (v.modes.includes('instructions')) parts.push('`instructions` describing the voice or the style');
  return parts.join('; ');
}

function example(v: Qwen3Variant): Record<string, unknown> {
  const base = { text: 'Hello from the hub.', language: 'english', seed: 7, max_new_tokens: 200 };
  if (v.modes.includes('voice')) return { ...base, voice: 'ryan', ...(v.modes.includes('instructions') ? { instructions: 'Speak cheerfully.' } : {}) };
  if (v.modes.includes('instructions')) return { ...base, instructions: 'A young female voice, warm and gentle, slightly breathy.' };
  // reference_audio: a multipart file (1–30 s); named here so clients and the conformance suite send one.
  return { ...base, reference_text: 'This is the voice to clone.', reference_audio: '(a 1–30 s clip of the voice)' };
}

export function makeQwen3Plugin(variant: Qwen3Variant) {
  const name = variant.plugin;
  const [minTokens, maxTokens] = QWEN3.maxNewTokensRange;
  const route = defineRoute({
    method: 'POST',
    path: `/tts/${name}`,
    summary: `Speech from text with ${variant.title}`,
    description:
      'Multi-codebook autoregressive TTS at 12.5 frames per second: a Qwen3 talker predicts the first of 16 codes per frame, a 5-layer code predictor the other 15, ' +
      `and the Qwen3-TTS-Tokenizer-12Hz decodes them to 24 kHz. This checkpoint offers ${modeText(variant)}. ` +
      `Other checkpoints: voices ${variantsWith('voice')}; cloning ${variantsWith('clone')}; instructions ${variantsWith('instructions')}. ` +
      `Reference clips must be ${QWEN3.referenceSeconds[0]}–${QWEN3.referenceSeconds[1]} s. \`X-Seed\` gives the seed to reproduce the audio, \`X-Frames\` the frames made.`,
    fields: {
      type: 'object',
      properties: {
        text: { type: 'string', minLength: 1, description: `Text to speak (at most ${QWEN3.maxTextChars} characters; longer: 413).` },
        language: { type: 'string', default: 'auto', description: `Language of the text: ${LANGUAGE_NAMES.join(', ')}, or an ISO 639-1 code (en, zh-CN, …) of one of them (422 otherwise).` },
        voice: { type: 'string', description: variant.modes.includes('voice') ? `Built-in voice: ${voiceList()} (422 otherwise). Default ${DEFAULT_VOICE}.` : `Not offered by ${variant.title} (voices: ${variantsWith('voice')}).` },
        reference_text: { type: 'string', minLength: 1, maxLength: 2000, description: 'What `reference_audio` says, word for word: enables in-context cloning. Without it, only the voice\'s x-vector is used.' },
        instructions: { type: 'string', description: variant.modes.includes('instructions') ? 'How to speak, or (VoiceDesign) what the voice is like.' : `Not offered by ${variant.title} (instructions: ${variantsWith('instructions')}).` },
        temperature: { type: 'number', minimum: 0, maximum: 2, default: QWEN3.talkerSampling.temperature, description: 'Sampling temperature of both loops (0: greedy).' },
        top_k: { type: 'integer', minimum: 0, maximum: QWEN3.codebook, default: QWEN3.talkerSampling.topK, description: 'Top-k of both loops (0: off).' },
        top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: QWEN3.talkerSampling.topP, description: 'Nucleus sampling of both loops (1: off).' },
        repetition_penalty: { type: 'number', minimum: 1, maximum: 2, default: QWEN3.talkerSampling.repetitionPenalty, description: "Penalty on the talker's earlier first codes." },
        max_new_tokens: { type: 'integer', default: QWEN3.maxNewTokens, description: `Most frames to generate, ${minTokens}–${maxTokens} (422 outside); 12.5 frames make a second.` },
        seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the sampling: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
      },
      required: ['text'],
      additionalProperties: false,
    },
    // A checkpoint without built-in voices or instructions cannot speak without a clip.
    uploads: [{ name: 'reference_audio', class: 'reference', required: !variant.modes.includes('voice') && !variant.modes.includes('instructions'), aliases: ['ref_audio'], description: `Voice to clone (${QWEN3.referenceSeconds[0]}–${QWEN3.referenceSeconds[1]} s of clean speech).` }],
    produces: 'audio',
    idempotent: true,
    example: example(variant),
    async handler(input, ctx) {
      const audio = input.files.reference_audio;
      const seed = input.seed ?? freshSeed();
      const raw: RawQwen3Request = {
        text: input.text,
        ...(input.language !== undefined ? { language: input.language } : {}),
        ...(input.voice !== undefined ? { voice: input.voice } : {}),
        ...(audio ? { reference: { audio, ...(input.reference_text ? { text: input.reference_text } : {}), field: 'reference_audio' } } : {}),
        referenceTextWithoutAudio: !audio && input.reference_text !== undefined,
        ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
        ...(input.top_k !== undefined ? { topK: input.top_k } : {}),
        ...(input.top_p !== undefined ? { topP: input.top_p } : {}),
        ...(input.repetition_penalty !== undefined ? { repetitionPenalty: input.repetition_penalty } : {}),
        ...(input.max_new_tokens !== undefined ? { maxNewTokens: input.max_new_tokens } : {}),
        seed,
      };
      const result = await speakWhole(variant, checkedRequest(variant, raw), ctx);
      return { audio: result.audio, sampleRate: QWEN3.sampleRate, headers: { 'X-Seed': String(seed), 'X-Frames': String(result.frames), 'X-Stop': result.stop } };
    },
  });

  const fromTts = (request: TtsRequest) => {
    const s = request.sampling ?? {};
    const voice = request.voice === undefined || request.voice === 'default' ? undefined : request.voice;
    return checkedRequest(variant, {
      text: request.text,
      ...(request.language !== undefined ? { language: request.language } : {}),
      ...(voice !== undefined ? { voice } : {}),
      ...(request.reference ? { reference: { audio: request.reference, ...(request.reference.text ? { text: request.reference.text } : {}), field: 'voice' } } : {}),
      ...(request.instructions !== undefined ? { instructions: request.instructions } : {}),
      ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
      ...(s.top_p !== undefined ? { topP: s.top_p } : {}),
      ...(s.repetition_penalty !== undefined ? { repetitionPenalty: s.repetition_penalty } : {}),
      ...(s.max_new_tokens !== undefined ? { maxNewTokens: s.max_new_tokens } : {}),
      seed: request.seed ?? freshSeed(),
    });
  };

  const tts: TtsCapability = {
    supports: [
      'temperature', 'top_p', 'repetition_penalty', 'max_new_tokens', 'seed',
      ...(variant.modes.includes('instructions') ? ['instructions'] : []),
      ...(variant.modes.includes('clone') ? ['reference'] : []),
    ],
    voices: async () =>
      variant.modes.includes('voice')
        ? Object.entries(QWEN3.speakers).map(([id, s]) => ({ id, name: `${id} (${variant.title})`, language: s.language }))
        : [{ id: 'default', name: variant.modes.includes('clone') ? `${variant.title} (the reference's voice)` : `${variant.title} (the voice the instructions describe)` }],
    async synthesize(request, ctx: HandlerContext) {
      const result = await speakWhole(variant, fromTts(request), ctx);
      return { audio: result.audio, sampleRate: QWEN3.sampleRate };
    },
    async *stream(request, ctx: HandlerContext) {
      for await (const piece of speak(variant, fromTts(request), ctx, { stream: true })) yield { audio: piece.audio, sampleRate: QWEN3.sampleRate };
    },
  };

  return definePlugin({
    name,
    title: variant.title,
    task: 'tts',
    summary: `${variant.title} (Qwen): multilingual 12 Hz multi-codebook TTS — ${modeText(variant)}; streams its first audio after ${QWEN3.firstChunkFrames} frames.`,
    license: 'Apache-2.0',
    sampleRate: QWEN3.sampleRate,
    graphs: qwen3Graphs(variant),
    routes: [route],
    capabilities: { tts },
  });
}
