// MaskGCT's steps offered to the rest of the MaskGCT family as the `maskgct-stages`
// capability (interface: plugins/maskgct-common/stages.ts). Each method is the pipeline
// function the /tts/maskgct route runs, over this plugin's graphs (the provider context the
// caller passes) or, for T2S, over the caller's own T2S graphs.
import type { MaskgctStages } from '../maskgct-common/stages.ts';
import { decodeAudio } from './pipeline/decode.ts';
import { maskgctGraphs } from './pipeline/graph-handles.ts';
import { acousticTokens, semanticTokens } from './pipeline/reference-tokens.ts';
import { semanticToAcoustic } from './pipeline/semantic-to-acoustic.ts';
import { makeStepLog } from './pipeline/step-log.ts';
import { textToSemantic } from './pipeline/text-to-semantic.ts';
import { makeRandom } from './sampling/random.ts';
import { MASKGCT } from './settings.ts';

export const maskgctStages: MaskgctStages = {
  sampleRate: MASKGCT.sampleRate,
  semanticSampleRate: MASKGCT.semanticSampleRate,
  frameRate: MASKGCT.frameRate,
  acousticLayers: MASKGCT.acousticLayers,
  makeRandom,
  makeRun(ctx, totalUnits) {
    const log = makeStepLog(ctx, totalUnits);
    return {
      signal: ctx.signal,
      step: (stage, detail, work) => log.step(stage, detail, work),
      inputs: (stage, fields) => log.inputs(stage, fields),
      stageDone: (stage, fields) => log.stageDone(stage, fields),
      get done() {
        return log.done;
      },
    };
  },
  semanticTokens: (reference16k, run, ctx) => semanticTokens(maskgctGraphs(ctx), reference16k, { log: run, signal: run.signal, audio: ctx.audio }),
  acousticTokens: (reference24k, run, ctx) => acousticTokens(maskgctGraphs(ctx), reference24k, { log: run, signal: run.signal }),
  textToSemantic: (graphs, request, random, run) =>
    textToSemantic({ t2s_step: graphs.step, t2s_logits: graphs.logits }, { ...request, random }, { log: run, signal: run.signal }),
  semanticToAcoustic: (request, random, run, ctx) => semanticToAcoustic(maskgctGraphs(ctx), { ...request, random }, { log: run, signal: run.signal }),
  decode: (codes, frames, run, ctx) => decodeAudio(maskgctGraphs(ctx), codes, frames, { log: run, signal: run.signal, audio: ctx.audio }),
};
