// DualCodec-VALL-E, as `infer_batch_process` runs one batch (infer/valle/utils_valle_infer.py):
//   1. the reference at 24 kHz, mono, scaled up to RMS 0.1 if quieter; what it says
//   2. DualCodec encode (8 quantizers): the prompt's semantic codes and 7 acoustic layers
//   3. text: normalise(reference text + " " + text), Whisper tokens after the language token
//   4. AR: [text; sep; prompt semantic] → semantic codes of the target until EOS (engine loop, KV resident)
//   5. NAR: acoustic layers 1..7 of the target, one greedy pass each
//   6. DualCodec decode of the target's 8 layers → 24 kHz audio
// Steps 2 and 6 are DualCodec's own code, through its `dualcodec-codec` capability.
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { referenceTextOf } from '../amphion-text/reference-text.ts';
import { DUALCODEC_CODEC, type DualcodecCodec } from '../dualcodec-common/codec.ts';
import { generateSemantic, newTokenBudget } from './autoregressive.ts';
import { predictAcoustic } from './nar.ts';
import { VALLE } from './settings.ts';
import { arPrompt, normalizeText, textTokenizer } from './text.ts';

export interface ValleRequest {
  readonly text: string;
  readonly language: string;
  readonly reference: AudioSource;
  readonly referenceText?: string;
  /** Longest speech to generate, in seconds; default: what the model's 1000-token window leaves. */
  readonly maxSeconds?: number;
  /** The same cap in AR tokens (12.5 per second); the smaller cap wins. */
  readonly maxNewTokens?: number;
  readonly sampling: { readonly temperature: number; readonly topK: number; readonly topP: number; readonly repetitionPenalty: number };
  readonly seed: number;
}

function codecOf(ctx: HandlerContext) {
  const provider = ctx.capabilities.find<DualcodecCodec>(DUALCODEC_CODEC, VALLE.codecPlugin);
  if (!provider) {
    throw errors.unavailable(
      `dualcodec-valle decodes with DualCodec 12hz_v1, and plugin '${VALLE.codecPlugin}' has no usable weights: install them with \`npm run weights -- pull ${VALLE.codecPlugin}\` (GET /api/health shows its state)`,
    );
  }
  return provider;
}

function graph(ctx: HandlerContext, name: 'ar' | 'nar') {
  const handle = ctx.graphs[name];
  if (!handle) throw new Error(`plugin 'dualcodec-valle': graph '${name}' is not declared`);
  return handle;
}

/** `rms < target_rms: audio · target_rms / rms` */
export function raiseQuietClip(clip: Float32Array, target: number): Float32Array {
  let sum = 0;
  for (const x of clip) sum += x * x;
  const rms = Math.sqrt(sum / Math.max(1, clip.length));
  return rms > 0 && rms < target ? clip.map((x) => (x * target) / rms) : clip;
}

export async function synthesizeValle(request: ValleRequest, ctx: HandlerContext): Promise<{ audio: Float32Array; sampleRate: number }> {
  const provider = codecOf(ctx);
  await provider.ready();
  const codec = provider.capability;
  const field = request.reference.field ?? 'reference_audio';

  // 1. The reference, and what it says
  const decodeAt = async (sampleRate: number) => (await ctx.audio.decode(request.reference, { sampleRate, signal: ctx.signal })).channels[0]!;
  const [at24k, at16k] = await Promise.all([decodeAt(codec.sampleRate), decodeAt(16000)]);
  const seconds = at24k.length / codec.sampleRate;
  if (seconds < VALLE.minReferenceSeconds) throw errors.badAudio(field, `is ${seconds.toFixed(2)} s long; DualCodec-VALL-E needs at least ${VALLE.minReferenceSeconds} s of reference speech`);
  const heard = await referenceTextOf(ctx, request.referenceText, at16k, request.language);

  // 2. DualCodec encode: semantic [Tp] and acoustic [7, Tp], layer-major [8 × Tp]
  ctx.progress(0, 'encoding the reference', 'encode');
  const codecCtx = provider.context({ signal: ctx.signal, requestId: ctx.requestId });
  const prompt = await codec.encode(raiseQuietClip(at24k, VALLE.referenceRms), VALLE.quantizers, codecCtx);
  if (prompt.frames < VALLE.minPromptFrames) throw errors.badAudio(field, `gives ${prompt.frames} codec frames; the NAR model needs at least ${VALLE.minPromptFrames}`);

  // 3. [<|lang|>] + tokenizer.encode(normalize_text(ref_text + " " + text))
  const tokenizer = await textTokenizer(ctx);
  const joined = heard.text.endsWith(' ') ? heard.text + request.text : `${heard.text} ${request.text}`;
  const textTokens = [tokenizer.languageToken(request.language), ...tokenizer.encode(normalizeText(joined, request.language))];

  // 4. AR over the semantic codebook
  const promptSemantic = prompt.ids.subarray(0, prompt.frames);
  const arInput = arPrompt(textTokens, promptSemantic);
  const caps = [request.maxSeconds === undefined ? undefined : Math.max(1, Math.round(request.maxSeconds * codec.frameRate)), request.maxNewTokens].filter((c) => c !== undefined);
  const cap = caps.length ? Math.min(...caps) : undefined;
  const budget = newTokenBudget(arInput.length, cap);
  if (budget < 1) throw errors.unprocessable(`text and reference make a ${arInput.length}-token AR prompt; the model's window is ${VALLE.ar.maxLength} tokens: send a shorter text or reference`);
  const nar = VALLE.nar.lastLayer - VALLE.nar.firstLayer + 1;
  const units = 1 + budget + nar + 1;
  ctx.progress(1 / units, 'reference encoded', 'encode');
  const { codes: semantic, stop } = await generateSemantic(
    graph(ctx, 'ar'),
    { prompt: arInput, maxNewTokens: budget, sampling: request.sampling, seed: request.seed },
    { signal: ctx.signal, onToken: (count) => ctx.progress((1 + count) / units, `token ${count}`, 'ar') },
  );
  ctx.log.info('dualcodec-valle ar done', { promptTokens: arInput.length, generated: semantic.length, stop });

  // 5. NAR: layers 1..7 of the target
  const done = 1 + budget;
  const target = await predictAcoustic(graph(ctx, 'nar'), prompt, semantic, {
    signal: ctx.signal,
    onLayer: (layer) => ctx.progress((done + layer) / units, `layer ${layer} of ${VALLE.nar.lastLayer}`, 'nar'),
  });

  // 6. dualcodec.decode(predict_full[:, :1], predict_full[:, 1:])
  ctx.signal.throwIfAborted();
  const audio = await codec.decode({ layers: VALLE.quantizers, frames: semantic.length, ids: target }, codecCtx);
  ctx.progress(1, 'decoded', 'decode');
  return { audio, sampleRate: codec.sampleRate };
}
