// MaskGCT's inference steps as a capability (kind `maskgct-stages`), for the models of the
// MaskGCT family that share its codecs and semantic-to-acoustic models and bring only their
// own text-to-semantic network (Metis: "fully compatible with MaskGCT", Amphion
// models/tts/metis/README.md). The MaskGCT plugin owns the graphs and the loops; a caller
// gets the steps, runs them in the provider's context (`provider.context(...)`), and passes
// its own T2S graph handles to `textToSemantic`. Nothing here is copied: the implementation
// is plugins/maskgct/stages.ts, over the same pipeline functions the /tts/maskgct route runs.
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';

export const MASKGCT_STAGES = 'maskgct-stages';

/** Classifier-free guidance with rescale (cfg 0 leaves the conditional pass as it is). */
export interface StageGuidance {
  readonly cfg: number;
  readonly rescale: number;
}

/** A seeded sampler state, shared across the stages of one synthesis. */
export interface StageRandom {
  readonly seed: number;
  nextUint32(): number;
  uniform(): number;
}

/** One synthesis' progress and log: each graph call is one unit of `totalUnits`. */
export interface StageRun {
  readonly signal: AbortSignal;
  /** Runs one unit of work between abort checks, logging its time and memory. */
  step<T>(stage: string, detail: Readonly<Record<string, unknown>>, work: () => Promise<T>): Promise<T>;
  /** Logs, at debug level, what a stage feeds every one of its graph calls. */
  inputs(stage: string, fields: Readonly<Record<string, unknown>>): void;
  /** Logs a stage's total once it is done. */
  stageDone(stage: string, fields: Readonly<Record<string, unknown>>): void;
  /** Units done so far. */
  readonly done: number;
}

export interface TextToSemanticRequest {
  /** Reference phones then target phones (Amphion G2P ids). */
  readonly phoneIds: ArrayLike<number>;
  /** Semantic tokens of the reference; empty without one. */
  readonly promptIds: ArrayLike<number>;
  readonly targetFrames: number;
  readonly steps: number;
  readonly temperature: number;
  readonly guidance: StageGuidance;
}

export interface SemanticToAcousticRequest {
  /** Reference semantic tokens followed by the generated ones. */
  readonly semanticIds: ArrayLike<number>;
  /** Reference acoustic codes, frame-major [frames × 12]; empty without a reference. */
  readonly promptCodes: Int32Array;
  readonly stepsPerLayer: readonly number[];
  /** Guidance of each of the 12 layers. */
  readonly guidancePerLayer: readonly StageGuidance[];
  readonly temperature: number;
}

export interface MaskgctStages {
  readonly sampleRate: number;
  readonly semanticSampleRate: number;
  /** Semantic and acoustic frames per second. */
  readonly frameRate: number;
  readonly acousticLayers: number;
  makeRandom(seed: number): StageRandom;
  /** A run whose progress is `done / totalUnits` on `ctx` (the caller's), logged per step. */
  makeRun(ctx: Pick<HandlerContext, 'signal' | 'log' | 'progress'>, totalUnits: number): StageRun;
  /** Semantic tokens of a 16 kHz clip (w2v-BERT → semantic codec): 2 graph calls. */
  semanticTokens(reference16k: Float32Array, run: StageRun, ctx: HandlerContext): Promise<Int32Array>;
  /** Acoustic codes of a 24 kHz clip, frame-major [frames × 12]: 1 graph call. */
  acousticTokens(reference24k: Float32Array, run: StageRun, ctx: HandlerContext): Promise<Int32Array>;
  /** T2S mask-predict on the caller's step and logits graphs (MaskGCT's T2S contract): one call per step. */
  textToSemantic(graphs: { readonly step: GraphHandle; readonly logits: GraphHandle }, request: TextToSemanticRequest, random: StageRandom, run: StageRun): Promise<Int32Array>;
  /** S2A, layer by layer: one call per step of every layer. */
  semanticToAcoustic(request: SemanticToAcousticRequest, random: StageRandom, run: StageRun, ctx: HandlerContext): Promise<{ codes: Int32Array; frames: number }>;
  /** Acoustic codes → 24 kHz audio (frames × 480 samples): 1 graph call. */
  decode(codes: Int32Array, frames: number, run: StageRun, ctx: HandlerContext): Promise<Float32Array>;
}
