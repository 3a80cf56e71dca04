// Vevo inference, as vevo_utils.py runs it (inference_fm, inference_ar_and_fm):
//   1. features: HuBERT layer 18 of the clips; vq8192 tokens (and vq32 for VC AR input)
//   2. AR (not for timbre): content (vq32, reduced) or phones + the style reference's vq8192
//      tokens → the target's vq8192 tokens
//   3. FM: cond = cond_emb(tokens(timbre_ref) ⧺ target tokens), prompt = mel(timbre_ref);
//      Euler with CFG → the target's normalised mel
//   4. vocoder → 24 kHz, scaled to −25 dB RMS
import { seededRandom } from '../../../core/generation/rng.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { generateMel } from '../../vevo-common/flow-matching.ts';
import { promptMel } from '../../vevo-common/mel.ts';
import { normaliseLoudness, vocode } from '../../vevo-common/vocoder.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import type { VevoGraph } from '../graphs.ts';
import { graphs as declared } from '../graphs.ts';
import { VEVO } from '../settings.ts';
import { generateContentStyle, type ArSampling } from './autoregressive.ts';
import type { Clip } from '../../vevo-common/clips.ts';
import { featureStats } from './hubert-front.ts';
import { makeStages, type StageName, type Stages } from '../../vevo-common/stages.ts';
import { contentStyleTokens, hubertFeatures, reducedContentTokens } from './tokens.ts';

export type VevoGraphs = Readonly<Record<VevoGraph, GraphHandle>>;

export interface Synthesis {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly seed: number;
  readonly serverTiming: string;
}

export function vevoGraphs(ctx: Pick<HandlerContext, 'graphs'>): VevoGraphs {
  const missing = Object.keys(declared).filter((name) => ctx.graphs[name] === undefined);
  if (missing.length) throw new Error(`vevo: no handle for graph(s) ${missing.join(', ')}`);
  return ctx.graphs as VevoGraphs;
}

/** What the AR stage reads; absent for FM-only (timbre) conversion. */
export type ArPlan =
  | { readonly kind: 'vc'; readonly content: Clip; readonly style: Clip; readonly sampling: ArSampling }
  | { readonly kind: 'tts'; readonly phones: readonly number[]; readonly style: Clip; readonly sampling: ArSampling };

export interface VevoRequest {
  /** Clip whose vq8192 tokens are the target's when there is no AR (timbre conversion). */
  readonly source?: Clip;
  readonly timbre: Clip;
  readonly ar?: ArPlan;
  readonly flowSteps: number;
  readonly seed: number;
}

export async function synthesize(request: VevoRequest, ctx: HandlerContext): Promise<Synthesis> {
  const graphs = vevoGraphs(ctx);
  const plan: StageName[] = request.ar ? ['features', 'ar', 'fm', 'vocoder'] : ['features', 'fm', 'vocoder'];
  const stages = makeStages(ctx, plan);
  const { signal } = ctx;

  // 1. Features and tokens of every clip the later stages read
  const tokens = await stages.run('features', async () => {
    const stats = await featureStats(ctx);
    const vq8192 = async (clip: Clip) => contentStyleTokens(graphs, await hubertFeatures(graphs, clip.at16k, signal), stats, signal);
    const timbre = await vq8192(request.timbre);
    const style = request.ar ? (request.ar.style === request.timbre ? timbre : await vq8192(request.ar.style)) : undefined;
    const source = !request.ar && request.source ? await vq8192(request.source) : undefined;
    // VC input: vq32 of cat([style_ref16k, src16k]), reduced, then + tts_input_vocab_size
    const content =
      request.ar?.kind === 'vc'
        ? (await reducedContentTokens(graphs, await hubertFeatures(graphs, concat(request.ar.style.at16k, request.ar.content.at16k), signal), signal)).map((id) => id + VEVO.ar.vc.inputOffset)
        : undefined;
    return { timbre, style, source, content };
  });

  // 2. AR: the target's content-style tokens
  const target = request.ar ? await autoregress(stages, graphs, request.ar, tokens, signal) : tokens.source!;

  // 3. FM: the target's mel, conditioned on the timbre reference
  const prompt = await promptMel(ctx.audio, request.timbre.at24k);
  const random = seededRandom(request.seed);
  // reverse_diffusion: target_len = len(cond) − len(prompt); HuBERT frames a clip one short of its mel
  if (tokens.timbre.length + target.length - prompt.frames < 1) {
    throw errors.unprocessable(`the AR stage produced ${target.length} tokens: too few for flow matching after a ${prompt.frames}-frame timbre prompt; allow more (max_new_tokens)`);
  }
  const { mel, frames } = await stages.run('fm', (tick) =>
    generateMel(graphs, { condIds: [...tokens.timbre, ...target], promptMel: prompt.mel, promptFrames: prompt.frames, steps: request.flowSteps, random }, { signal, onStep: tick }),
  );

  // 4. Vocoder
  const audio = await stages.run('vocoder', async () => normaliseLoudness(await vocode(graphs.vocoder, ctx.audio, mel, frames, signal)));
  return { audio, sampleRate: VEVO.sampleRate, seed: request.seed, serverTiming: stages.serverTiming() };
}

async function autoregress(
  stages: Stages,
  graphs: VevoGraphs,
  ar: ArPlan,
  tokens: { readonly style?: readonly number[] | undefined; readonly content?: readonly number[] | undefined },
  signal: AbortSignal,
): Promise<number[]> {
  const result = await stages.run('ar', (tick) =>
    generateContentStyle(
      ar.kind === 'tts' ? graphs.ar_tts : graphs.ar_vc,
      { name: ar.kind, inputs: ar.kind === 'tts' ? ar.phones : tokens.content!, promptOutputs: tokens.style!, sampling: ar.sampling },
      { signal, onToken: tick },
    ),
  );
  signal.throwIfAborted();
  return result.tokens;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
