// VevoSing inference, as vevosing_utils.py runs it:
//   fm (inference_fm, timbre conversion):
//     1. features: [shift steps from the F0 medians;] Whisper + chroma (of the shifted content
//        for use_shifted_src) → content-style tokens of content and reference
//     3. FM: cond = resample×4(cond_emb(tokens(ref) ⧺ tokens(content))) cut or padded to
//        mel_frames(ref) + mel_frames(content); prompt = mel(ref); Euler with CFG
//   ar (inference_ar_and_fm, task recognition-synthesis or synthesis):
//     1. features: content-style tokens of the reference (AR prompt and FM timbre tokens);
//        for recognition-synthesis, prosody tokens of chroma(ref ⧺ content)
//     2. AR: [phones(reference_text) ⧺ phones(text)] [prosody] [ref tokens] → content-style tokens
//     3. FM: cond = resample×4(cond_emb(tokens(ref) ⧺ generated)), prompt = mel(ref)
//   4. vocoder → 24 kHz, scaled to −25 dB RMS (save_audio)
import type { ArResult } from '../../../core/generation/ar-driver.ts';
import { seededRandom } from '../../../core/generation/rng.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { errors, HubError } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { runArLoop, tokenBudget } from '../../vevo-common/autoregressive.ts';
import type { Clip } from '../../vevo-common/clips.ts';
import { loadFeatureStats, type FeatureStats } from '../../vevo-common/feature-stats.ts';
import { generateMel } from '../../vevo-common/flow-matching.ts';
import { promptMel } from '../../vevo-common/mel.ts';
import { makeStages, type StageName } from '../../vevo-common/stages.ts';
import { normaliseLoudness, vocode } from '../../vevo-common/vocoder.ts';
import { graphs as declared, type VevosingGraph } from '../graphs.ts';
import { VEVOSING } from '../settings.ts';
import { chromaFrames, contentStyleTokens, framesOf, prosodyTokens, whisperFrames } from './features.ts';
import { sourceShift, type Shift } from './pitch.ts';
import { SING_OUTPUTS, singPrompt } from './token-layout.ts';

export type VevosingGraphs = Readonly<Record<VevosingGraph, GraphHandle>>;

export interface ArSampling {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  /** Cap below HF's max_length − prompt; default the model's own. */
  readonly maxNewTokens?: number;
}

export type ArTask =
  /** Lyrics sung to the content clip's melody (its prosody tokens), in the reference's style. */
  | 'recognition-synthesis'
  /** Lyrics alone, in the reference's style; the AR chooses the melody. */
  | 'synthesis';

export interface ArPlan {
  readonly task: ArTask;
  /** Phone ids of the reference's transcript then of the lyrics. */
  readonly phones: readonly number[];
  readonly sampling: ArSampling;
}

export interface SingRequest {
  readonly content: Clip;
  readonly reference: Clip;
  /** Absent: timbre conversion by flow matching alone. */
  readonly ar?: ArPlan;
  /** Shift the content into the reference's register for its chromagram; 'when-voiced': only if both clips have a pitch. */
  readonly useShiftedSource: boolean | 'when-voiced';
  readonly flowSteps: number;
  readonly seed: number;
}

export interface Sung {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly seed: number;
  readonly shift?: Shift;
  readonly serverTiming: string;
}

export function vevosingGraphs(ctx: Pick<HandlerContext, 'graphs'>): VevosingGraphs {
  const missing = Object.keys(declared).filter((name) => ctx.graphs[name] === undefined);
  if (missing.length) throw new Error(`vevosing: no handle for graph(s) ${missing.join(', ')}`);
  return ctx.graphs as VevosingGraphs;
}

/** The whisper statistics (identity on smoke graphs without the file). */
export const whisperStats = (ctx: Pick<HandlerContext, 'weightDir' | 'weightState'>): Promise<FeatureStats> =>
  loadFeatureStats(ctx, VEVOSING.whisperStatsFile, VEVOSING.whisperDim, 'vevosing');

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export async function sing(request: SingRequest, ctx: HandlerContext): Promise<Sung> {
  const graphs = vevosingGraphs(ctx);
  const { signal, audio } = ctx;
  const plan: StageName[] = request.ar ? ['features', 'ar', 'fm', 'vocoder'] : ['features', 'fm', 'vocoder'];
  const stages = makeStages(ctx, plan);
  const { content, reference, ar } = request;

  // 1. Features and tokens
  const features = await stages.run('features', async () => {
    const stats = await whisperStats(ctx);
    // the content's melody is read in fm and recognition-synthesis; synthesis ignores the clip
    const readsContent = ar?.task !== 'synthesis';
    const shift = readsContent ? await shiftOf(request.useShiftedSource, audio, content, reference) : undefined;
    // the content clip as the chromagram hears it: pitch-shifted into the reference's key
    const content24k = shift && shift.steps !== 0 ? await audio.pitchShift(content.at24k, VEVOSING.sampleRate, shift.steps) : content.at24k;
    const contentStyle = async (clip: Clip, chromaSource: Float32Array) => {
      const frames = framesOf(clip.at24k.length);
      const chroma = await chromaFrames(audio, chromaSource, frames);
      const whisper = await whisperFrames(graphs, audio, clip.at16k, frames, stats, signal);
      return contentStyleTokens(graphs, whisper, chroma, frames, signal);
    };
    const referenceTokens = await contentStyle(reference, reference.at24k);
    if (!ar) return { shift, referenceTokens, contentTokens: await contentStyle(content, content24k) };
    if (ar.task === 'synthesis') return { shift, referenceTokens };
    // recognition-synthesis: prosody of cat([style_ref, src]) (chroma only)
    const joined = concat(reference.at24k, content24k);
    const frames = framesOf(joined.length);
    return { shift, referenceTokens, prosody: await prosodyTokens(graphs, await chromaFrames(audio, joined, frames), frames, signal) };
  });

  // 2. AR: the target's content-style tokens
  let target = features.contentTokens;
  if (ar) {
    const result = await stages.run('ar', (tick) => autoregress(graphs.ar, ar, features.prosody, features.referenceTokens, request.seed, signal, tick));
    signal.throwIfAborted();
    target = result.tokens;
  }

  // 3. FM: the target's mel in the reference's timbre
  const prompt = await promptMel(audio, reference.at24k);
  const condIds = [...features.referenceTokens, ...target!];
  // inference_fm aligns the upsampled condition to mel(ref) + mel(src); the AR path takes it as it is
  const condFrames = ar ? undefined : prompt.frames + framesOf(content.at24k.length);
  if ((condFrames ?? condIds.length * VEVOSING.contentStyleDownsample) - prompt.frames < 1) {
    throw errors.unprocessable(`the AR stage produced ${target!.length} tokens: too few for flow matching after a ${prompt.frames}-frame reference prompt; allow more (max_new_tokens)`);
  }
  const random = seededRandom(request.seed);
  const { mel, frames } = await stages.run('fm', (tick) =>
    generateMel(
      graphs,
      { condIds, promptMel: prompt.mel, promptFrames: prompt.frames, steps: request.flowSteps, random, upsample: VEVOSING.contentStyleDownsample, ...(condFrames ? { condFrames } : {}) },
      { signal, onStep: tick },
    ),
  );

  // 4. Vocoder
  const out = await stages.run('vocoder', async () => normaliseLoudness(await vocode(graphs.vocoder, audio, mel, frames, signal)));
  return { audio: out, sampleRate: VEVOSING.sampleRate, seed: request.seed, ...(features.shift ? { shift: features.shift } : {}), serverTiming: stages.serverTiming() };
}

async function shiftOf(use: SingRequest['useShiftedSource'], audio: HandlerContext['audio'], content: Clip, reference: Clip): Promise<Shift | undefined> {
  if (!use) return undefined;
  if (use === true) return sourceShift(audio, content.at16k, reference.at16k);
  // 'when-voiced': a clip without pitch (or too far apart) is converted unshifted
  return sourceShift(audio, content.at16k, reference.at16k).catch((error: unknown) => {
    if (error instanceof HubError && error.status === 422) return undefined;
    throw error;
  });
}

async function autoregress(
  graph: GraphHandle,
  ar: ArPlan,
  prosody: readonly number[] | undefined,
  referenceTokens: readonly number[],
  seed: number,
  signal: AbortSignal,
  onToken: (count: number, budget: number) => void,
): Promise<ArResult> {
  const spec = VEVOSING.ar;
  const prompt = singPrompt(ar.phones, prosody, referenceTokens);
  // HF generate would return the prompt alone; the FM stage would then have nothing to render
  if (tokenBudget(spec.maxLength, prompt.length) < spec.minNewTokens) {
    throw errors.unprocessable(`the inputs make a ${prompt.length}-token AR prompt; the model's limit is ${spec.maxLength} tokens including at least ${spec.minNewTokens} generated: send shorter audio or text`);
  }
  return runArLoop(
    graph,
    {
      prompt,
      layout: SING_OUTPUTS,
      cache: { layers: spec.layers, heads: spec.heads, headDim: spec.headDim },
      temperature: ar.sampling.temperature,
      topK: ar.sampling.topK,
      topP: ar.sampling.topP,
      minNewTokens: spec.minNewTokens,
      maxNewTokens: tokenBudget(spec.maxLength, prompt.length, ar.sampling.maxNewTokens),
      seed,
    },
    { signal, onToken },
  );
}
