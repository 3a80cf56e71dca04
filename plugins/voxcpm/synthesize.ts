// One VoxCPM synthesis as numbered steps (voxcpm.py `_generate` without streaming):
//   1. text ids: (reference transcript ⧺ text) ⧺ [audio start]; the transcript from the asr capability when not given
//   2. reference clip → VAE encoder → prompt patches (prompt continuation clone)
//   3. the patch loop inside the ONNX worker (patch-loop.ts), next to its sessions
//   4. generated patches → VAE decoder → waveform
import { errors } from '../../core/errors.ts';
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { float32Tensor, floatsOf } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { LOOP_GRAPHS } from './graphs.ts';
import { latentFromPatches, leftPadToMultiple, patchesFromLatent } from './latents.ts';
import type { PatchLoopInput, PatchLoopResult } from './patch-loop.ts';
import { referenceTranscript } from './reference-text.ts';
import { cleanText, textIdsFor } from './text-ids.ts';
import { VOXCPM, type VoxcpmVariant } from './variants.ts';

const LOOP_MODULE = new URL('./generate-loop.ts', import.meta.url);
/** Smoke graphs' stop head is noise: keep their runs short. */
const SMOKE_MAX_PATCHES = 6;

export interface SynthesisRequest {
  readonly text: string;
  /** A clip whose voice and style the speech continues, with what it says (transcribed when absent). */
  readonly reference?: { readonly audio: AudioSource; readonly text?: string; readonly field: string };
  readonly cfg: number;
  readonly steps: number;
  readonly seed: number;
}

export interface Synthesis {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly patches: number;
  readonly stop: PatchLoopResult['stop'];
}

export async function synthesize(variant: VoxcpmVariant, request: SynthesisRequest, ctx: HandlerContext): Promise<Synthesis> {
  const graph = (name: string) => ctx.graphs[name] ?? (() => { throw new Error(`voxcpm: graph '${name}' is not declared`); })();
  const P = variant.patchSize;
  const D = variant.latentDim;

  // 1. text ids
  const textIds = await textIdsFor(ctx);
  const target = textIds(cleanText(request.text));
  if (target.length === 0) throw errors.invalidField('text', 'nothing to say after removing whitespace');
  const prefix = request.reference ? textIds(cleanText(await referenceTranscript(ctx, request.reference.audio, request.reference.text))) : [];
  const ids = [...prefix, ...target, VOXCPM.audioStartToken];

  // 2. the reference's latents, left-padded to whole patches
  let promptPatches: Float32Array = new Float32Array(0);
  if (request.reference) {
    const pcm = await ctx.audio.decode(request.reference.audio, { sampleRate: variant.encoder.sampleRate, signal: ctx.signal });
    const samples = pcm.channels[0];
    if (!samples?.length) throw errors.badAudio(request.reference.field, 'the file holds no samples');
    const padded = leftPadToMultiple(samples, P * variant.encoder.hop);
    const encoded = await graph('vae_encoder').run({ waveform: float32Tensor(padded, [1, 1, padded.length]) }, { signal: ctx.signal });
    promptPatches = patchesFromLatent(floatsOf(encoded.latent, 'vae_encoder.latent'), D, P);
  }
  const promptCount = promptPatches.length / (P * D);
  const budget = VOXCPM.maxPositions - ids.length - promptCount;
  if (budget < 1) throw errors.unprocessable(`text and reference are too long: ${ids.length + promptCount} of ${VOXCPM.maxPositions} positions`);
  const maxPatches = Math.min(budget, VOXCPM.patchesPerToken * target.length + 10, ctx.weightState === 'smoke' ? SMOKE_MAX_PATCHES : Infinity);

  // 3. the patch loop, inside the worker that holds the graphs
  const session = await graph('base_lm').open!({ signal: ctx.signal, with: LOOP_GRAPHS.filter((g) => g !== 'base_lm') });
  let result: PatchLoopResult;
  try {
    const input: PatchLoopInput = {
      shape: { patchSize: P, latentDim: D, hidden: variant.lm.hidden, muDim: variant.muDim, layers: variant.lm.layers, residualLayers: variant.residualLayers, kvHeads: variant.lm.kvHeads, headDim: variant.lm.headDim },
      textIds: ids,
      promptPatches,
      steps: request.steps,
      cfg: request.cfg,
      seed: request.seed,
      minPatches: VOXCPM.minPatches,
      maxPatches,
    };
    result = await session.loop<PatchLoopResult>(LOOP_MODULE, input, { onProgress: (i, n) => ctx.progress((0.9 * i) / n, `patch ${i} of at most ${n}`, 'generate') });
  } finally {
    await session.close();
  }

  // 4. decode the generated patches only (the prompt's audio is not repeated)
  const latent = latentFromPatches(result.patches, D);
  const frames = result.count * P;
  const decoded = await graph('vae_decoder').run({ latent: float32Tensor(latent, [1, D, frames]) }, { signal: ctx.signal });
  ctx.progress(1, 'decoded', 'decode');
  return { audio: floatsOf(decoded.waveform, 'vae_decoder.waveform'), sampleRate: variant.decoder.sampleRate, patches: result.count, stop: result.stop };
}
