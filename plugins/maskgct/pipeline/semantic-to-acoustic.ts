// Step 5 of the pipeline, S2A: the 12 acoustic codec layers, one layer at a time, each by
// mask-predict conditioned on all semantic tokens and the reference's acoustic codes
// (maskgct_utils.py `semantic2acoustic`, maskgct_s2a.py `reverse_diffusion`). Layer 0 comes
// from the one-layer model; layers 1..11 from the full model, which sees the layers below.
import { errors } from '../../../core/errors.ts';
import { maskPredict } from '../sampling/mask-predict.ts';
import type { Random } from '../sampling/random.ts';
import { topKCount } from '../sampling/top-k.ts';
import { MASKGCT } from '../settings.ts';
import type { MaskgctGraphs } from './graph-handles.ts';
import { guidedLogits, type Guidance } from './guided-logits.ts';
import type { StepLog } from './step-log.ts';
import { countOnes } from './text-to-semantic.ts';
import { boolTensor, float32Tensor, int64Tensor } from '../../../core/onnx/tensors.ts';

export interface SemanticToAcousticInput {
  /** Reference semantic tokens followed by the generated ones. */
  readonly semanticIds: ArrayLike<number>;
  /** Reference acoustic codes, frame-major [frames × 12]. */
  readonly promptCodes: Int32Array;
  readonly stepsPerLayer?: readonly number[];
  readonly temperature?: number;
  readonly guidance?: Guidance;
  /** Guidance of each layer, where the layers differ (Metis runs layer 0 without it); else `guidance` for all. */
  readonly guidancePerLayer?: readonly Guidance[];
  readonly random: Random;
}

type S2aGraphs = Pick<MaskgctGraphs, 's2a_1layer_step' | 's2a_1layer_logits' | 's2a_full_step' | 's2a_full_logits'>;

/** Acoustic codes of the target, frame-major [targetFrames × 12]. */
export async function semanticToAcoustic(graphs: S2aGraphs, input: SemanticToAcousticInput, run: { readonly log: StepLog; readonly signal: AbortSignal }): Promise<{ codes: Int32Array; frames: number }> {
  const { acousticLayers: layers, acousticVocab: vocab, s2a } = MASKGCT;
  const stepsPerLayer = input.stepsPerLayer ?? s2a.stepsPerLayer;
  const promptFrames = input.promptCodes.length / layers;
  // target length = len(semantic) − len(acoustic prompt), as the original
  const frames = input.semanticIds.length - promptFrames;
  if (frames < 1) throw errors.unprocessable(`target_duration: no frames left to generate (${input.semanticIds.length} semantic frames, ${promptFrames} prompt frames)`);

  const semantic = int64Tensor(input.semanticIds, [1, input.semanticIds.length]);
  const promptLayer0 = int64Tensor(Array.from({ length: promptFrames }, (_, f) => input.promptCodes[f * layers]!), [1, promptFrames]);
  const promptAll = int64Tensor(input.promptCodes, [1, promptFrames, layers]);
  const codes = new Int32Array(frames * layers);
  const common = { vocab, topK: topKCount(vocab, s2a.filterThreshold), temperature: input.temperature ?? s2a.temperature, random: input.random, signal: run.signal };
  const guidanceOf = (layer: number): Guidance => input.guidancePerLayer?.[layer] ?? input.guidance ?? s2a;

  for (let layer = 0; layer < layers; layer++) {
    const layerFeed = int64Tensor([layer], [1]);
    const { tokens, stepsRun } = await maskPredict({
      ...common,
      length: frames,
      steps: stepsPerLayer[layer]!,
      predict: (state) =>
        run.log.step('s2a', { layer, step: state.step + 1, of: state.steps, masked: countOnes(state.mask) }, () => {
          const mask = boolTensor(state.mask, [1, frames]);
          const t = float32Tensor(Float32Array.of(state.t), [1]);
          if (layer === 0) {
            return guidedLogits(
              { step: graphs.s2a_1layer_step, logits: graphs.s2a_1layer_logits },
              { step: { semantic_ids: semantic, prompt_ids: promptLayer0, target_ids: int64Tensor(state.tokens, [1, frames]), target_mask: mask, t } },
              guidanceOf(layer),
              run.signal,
            );
          }
          // the layer in progress goes into its column; layers above it are ignored by the graph
          for (let f = 0; f < frames; f++) codes[f * layers + layer] = state.tokens[f]!;
          return guidedLogits(
            { step: graphs.s2a_full_step, logits: graphs.s2a_full_logits },
            { step: { semantic_ids: semantic, prompt_ids: promptAll, target_ids: int64Tensor(codes, [1, frames, layers]), target_mask: mask, layer: layerFeed, t }, logits: { layer: layerFeed } },
            guidanceOf(layer),
            run.signal,
          );
        }),
    });
    for (let f = 0; f < frames; f++) codes[f * layers + layer] = tokens[f]!;
    run.log.stageDone('s2a', { layer, steps: stepsRun, frames });
  }
  return { codes, frames };
}
