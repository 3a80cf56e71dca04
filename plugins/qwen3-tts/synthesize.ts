// One Qwen3-TTS synthesis as numbered steps (qwen3_tts_model.py generate_* → model.generate →
// speech_tokenizer.decode), yielding audio as it is decoded:
//   1. text ids: the chat template strings tokenized whole (text.ts)
//   2. clone modes: reference at 24 kHz → log-mel → speaker encoder (x-vector); with its
//      transcript also → tokenizer encoder (reference codes, ICL)
//   3. the talker prompt as sums of embeddings (prompt.ts); a stream trails the text one id per frame
//   4. the frame loop inside the ONNX worker (frame-loop.ts); each frame's codes come back as made
//   5. tokenizer decoder over chunks with left context (an ICL reference's codes lead as context):
//      300-frame chunks for a whole utterance, or a first chunk after a few frames and then regular ones for a stream
import { errors } from '../../core/errors.ts';
import type { AudioSource } from '../../core/audio/toolkit.ts';
import type { SamplingSettings } from '../../core/generation/samplers.ts';
import { float32Tensor, floatsOf, idsOf } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { vocoderMel } from '../mel-presets/presets.ts';
import { decodeWindow, streamCut } from './decode.ts';
import type { FrameLoopInput, FrameLoopResult } from './frame-loop.ts';
import { LOOP_GRAPHS } from './graphs.ts';
import { talkerPrompt } from './prompt.ts';
import { promptIds, textIdsFor } from './text.ts';
import { QWEN3, type Qwen3Variant } from './variants.ts';

const LOOP_MODULE = new URL('./generate-loop.ts', import.meta.url);
/** Smoke graphs' EOS is chance: keep their runs short but longer than the first stream chunk. */
export const SMOKE_MAX_FRAMES = 10;
/** extract_speaker_embedding's mel: the BigVGAN recipe at 24 kHz with 128 bins up to 12 kHz. */
const SPEAKER_MEL = vocoderMel({ sampleRate: QWEN3.sampleRate, nFft: 1024, hop: 256, nMels: 128, fMax: 12000 });

export interface Qwen3Request {
  readonly text: string;
  /** 'auto' or a language name of QWEN3.languages. */
  readonly language: string;
  /** A built-in speaker (CustomVoice). */
  readonly voice?: string;
  /** Base: a clip to clone; with its transcript, ICL, without, x-vector only. */
  readonly reference?: { readonly audio: AudioSource; readonly text?: string; readonly field: string };
  readonly instructions?: string;
  readonly talkerSampling: SamplingSettings;
  readonly predictorSampling: SamplingSettings;
  readonly maxNewTokens: number;
  readonly seed: number;
}

export interface Qwen3Piece {
  readonly audio: Float32Array;
  /** Frames generated so far, and why the loop ended once it has. */
  readonly frames: number;
  readonly stop?: FrameLoopResult['stop'];
}

function graph(ctx: HandlerContext, name: string) {
  const handle = ctx.graphs[name];
  if (!handle) throw new Error(`qwen3-tts: graph '${name}' is not declared`);
  return handle;
}

/** Step 2: the reference's x-vector and, for ICL, its codes [frames, 16]. */
async function referenceVoice(variant: Qwen3Variant, reference: NonNullable<Qwen3Request['reference']>, ctx: HandlerContext) {
  const pcm = await ctx.audio.decode(reference.audio, { sampleRate: QWEN3.sampleRate, signal: ctx.signal });
  const samples = pcm.channels[0] ?? new Float32Array(0);
  const seconds = samples.length / QWEN3.sampleRate;
  const [low, high] = QWEN3.referenceSeconds;
  if (seconds < low || seconds > high) throw errors.invalidValue(reference.field, `must be between ${low} and ${high} s of audio for ${variant.title}; got ${seconds.toFixed(2)} s`);
  const mel = await ctx.audio.melSpectrogram(samples, SPEAKER_MEL);
  // [128, frames] → the encoder's [1, frames, 128] (`.transpose(1, 2)`)
  const frames = mel.data.length / 128;
  const melT = new Float32Array(mel.data.length);
  for (let m = 0; m < 128; m++) for (let f = 0; f < frames; f++) melT[f * 128 + m] = mel.data[m * frames + f]!;
  const xVector = floatsOf((await graph(ctx, 'speaker_encoder').run({ mel: float32Tensor(melT, [1, frames, 128]) }, { signal: ctx.signal })).embedding, 'speaker_encoder.embedding');
  if (!reference.text) return { xVector };
  const padded = new Float32Array(Math.ceil(samples.length / QWEN3.frameSamples) * QWEN3.frameSamples);
  padded.set(samples);
  const out = await graph(ctx, 'tokenizer_encoder').run({ waveform: float32Tensor(padded, [1, 1, padded.length]) }, { signal: ctx.signal });
  const grouped = idsOf(out.codes, 'tokenizer_encoder.codes'); // [1, 16, frames]
  const n = grouped.length / QWEN3.groups;
  const codes = new Int32Array(grouped.length);
  for (let g = 0; g < QWEN3.groups; g++) for (let f = 0; f < n; f++) codes[f * QWEN3.groups + g] = grouped[g * n + f]!;
  return { xVector, codes };
}

/** The speech of one request, piece by piece (`stream`) or in 300-frame chunks once generated. */
export async function* speak(variant: Qwen3Variant, request: Qwen3Request, ctx: HandlerContext, options: { stream: boolean }): AsyncGenerator<Qwen3Piece> {
  // 1. text ids
  const ids = promptIds(await textIdsFor(ctx), { text: request.text, ...(request.reference?.text ? { reference: request.reference.text } : {}), ...(request.instructions ? { instructions: request.instructions } : {}) });

  // language, and a dialect speaker's own language when the text is Chinese or auto
  let languageId = request.language === 'auto' ? undefined : QWEN3.languages[request.language];
  const speaker = request.voice === undefined ? undefined : QWEN3.speakers[request.voice];
  if (speaker?.dialect && (request.language === 'auto' || request.language === 'chinese')) languageId = QWEN3.dialects[speaker.dialect];

  // 2. the reference voice
  const voice = request.reference ? await referenceVoice(variant, request.reference, ctx) : undefined;

  // 3. the prompt
  const prompt = talkerPrompt({
    ids,
    ...(languageId !== undefined ? { languageId } : {}),
    ...(speaker ? { speakerId: speaker.id } : {}),
    xVector: voice !== undefined,
    ...(voice?.codes ? { referenceFrames: voice.codes.length / QWEN3.groups } : {}),
    // A stream feeds the text one token per frame (the reference's non_streaming_mode=False), so its
    // prefill, and with it the first audio, does not wait on the length of the text.
    textInPrefill: options.stream ? false : variant.textInPrefill,
  });
  const maxFrames = Math.min(request.maxNewTokens, ctx.weightState === 'smoke' ? SMOKE_MAX_FRAMES : Infinity);
  const input: FrameLoopInput = {
    shape: { hidden: variant.talker.hidden, talker: variant.talker, predictor: variant.predictor },
    prompt,
    ...(voice ? { speaker: voice.xVector } : {}),
    ...(voice?.codes ? { referenceCodes: voice.codes } : {}),
    talkerSampling: request.talkerSampling,
    predictorSampling: request.predictorSampling,
    seed: request.seed,
    maxFrames,
    minFrames: QWEN3.minNewTokens,
  };

  // 4. the frame loop in the worker; frames arrive while it runs
  const session = await graph(ctx, 'talker').open!({ signal: ctx.signal, with: LOOP_GRAPHS.filter((g) => g !== 'talker') });
  // ICL: the reference's codes go first, as the decoder's left context (generate_voice_clone decodes
  // reference ⧺ generated and cuts the reference's share of the audio off again).
  const leading = voice?.codes ? voice.codes.length / QWEN3.groups : 0;
  let codes = new Int32Array((leading + 64) * QWEN3.groups);
  if (voice?.codes) codes.set(voice.codes);
  let available = leading;
  let result: FrameLoopResult | undefined;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const running = session
    .loop<FrameLoopResult, number[]>(LOOP_MODULE, input, {
      onEmit: (frame) => {
        if ((available + 1) * QWEN3.groups > codes.length) {
          const grown = new Int32Array(codes.length * 2);
          grown.set(codes);
          codes = grown;
        }
        codes.set(frame, available * QWEN3.groups);
        available++;
        notify();
      },
      onProgress: (i, n) => ctx.progress((0.9 * i) / n, `frame ${i} of at most ${n}`, 'generate'),
    })
    .then(
      (r) => void (result = r),
      (error: unknown) => void (failure = error ?? new Error('frame loop failed')),
    )
    .finally(notify);

  // 5. decode as frames allow
  try {
    let decoded = leading;
    let yielded = false;
    for (;;) {
      if (failure) throw failure;
      const done = result !== undefined;
      const end = options.stream ? streamCut(decoded - leading, available - leading, done) : done && available > decoded ? Math.min(decoded - leading + QWEN3.decodeChunk, available - leading) : undefined;
      if (end !== undefined) {
        const audio = await decodeWindow(graph(ctx, 'tokenizer_decoder'), codes, { start: decoded, end: leading + end, context: Math.min(QWEN3.leftContext, decoded) }, ctx.signal);
        decoded = leading + end;
        const last = done && decoded === available;
        yield { audio, frames: decoded - leading, ...(last ? { stop: result!.stop } : {}) };
        yielded = true;
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (!yielded) yield { audio: new Float32Array(0), frames: 0, stop: result!.stop };
    ctx.progress(1, 'decoded', 'decode');
  } finally {
    await session.close();
    await running;
  }
}

/** The whole utterance as one buffer. */
export async function speakWhole(variant: Qwen3Variant, request: Qwen3Request, ctx: HandlerContext): Promise<{ audio: Float32Array; frames: number; stop: FrameLoopResult['stop'] }> {
  const parts: Float32Array[] = [];
  let frames = 0;
  let stop: FrameLoopResult['stop'] = 'max-frames';
  for await (const piece of speak(variant, request, ctx, { stream: false })) {
    parts.push(piece.audio);
    frames = piece.frames;
    if (piece.stop) stop = piece.stop;
  }
  const audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) (audio.set(part, offset), (offset += part.length));
  return { audio, frames, stop };
}
