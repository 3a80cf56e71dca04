// Metis TTS, as `Metis.__call__(model_type="tts")` runs it (models/tts/metis/metis.py):
//   1. front ends: the reference (if any) at 16 kHz and 24 kHz; phones of reference and target text
//   2. semantic tokens of the reference (MaskGCT's w2v-BERT → semantic codec)
//   3. acoustic tokens of the reference (MaskGCT's acoustic codec encoder, 12 layers)
//   4. T2S: Metis' stage-1 model, mask-predict on [phones; prompt; target] (this plugin's graphs)
//   5. S2A: MaskGCT's two S2A models with Metis' schedule (layer 0: 40 steps, no guidance)
//   6. MaskGCT's acoustic decoder → 24 kHz audio
// Steps 2, 3, 5 and 6 and the mask-predict loop of 4 are MaskGCT's own code, reached through
// its `maskgct-stages` capability. Without a reference, the prompt is empty (step 2/3 skipped).
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { phonesOf, phoneVocabulary } from '../amphion-text/phones.ts';
import { referenceTextOf, unusableTranscript } from '../amphion-text/reference-text.ts';
import { MASKGCT_STAGES, type MaskgctStages } from '../maskgct-common/stages.ts';
import { METIS } from './settings.ts';
import { framesForSeconds, targetFramesFromPrompt, targetFramesWithoutPrompt } from './target-length.ts';

export interface MetisRequest {
  readonly text: string;
  readonly language: string;
  readonly reference?: AudioSource;
  readonly referenceText?: string;
  readonly referenceLanguage?: string;
  readonly targetSeconds?: number;
  readonly steps: number;
  readonly cfg: number;
  readonly temperature: number;
  readonly seed: number;
}

function stagesOf(ctx: HandlerContext) {
  const provider = ctx.capabilities.find<MaskgctStages>(MASKGCT_STAGES, 'maskgct');
  if (!provider) {
    throw errors.unavailable(
      "metis runs MaskGCT's codecs and semantic-to-acoustic models, and plugin 'maskgct' has no usable weights: install them with `npm run weights -- pull maskgct` (GET /api/health shows its state)",
    );
  }
  return provider;
}

function t2sGraphs(ctx: HandlerContext) {
  const step = ctx.graphs.t2s_step;
  const logits = ctx.graphs.t2s_logits;
  if (!step || !logits) throw new Error("plugin 'metis': graphs 't2s_step' and 't2s_logits' are not declared");
  return { step, logits };
}

export async function synthesizeMetis(request: MetisRequest, ctx: HandlerContext): Promise<{ audio: Float32Array; sampleRate: number }> {
  const provider = stagesOf(ctx);
  await provider.ready();
  const stages = provider.capability;
  const maskgct = provider.context({ signal: ctx.signal, requestId: ctx.requestId });
  const random = stages.makeRandom(request.seed);

  // 1. Front ends: librosa.load(prompt, sr=16000) and sr=24000
  let reference: { at16k: Float32Array; at24k: Float32Array; text: string; phones: number[] } | undefined;
  const vocab = await phoneVocabulary(ctx, METIS.phoneVocabFile);
  if (request.reference) {
    const decodeAt = async (sampleRate: number) => (await ctx.audio.decode(request.reference!, { sampleRate, signal: ctx.signal })).channels[0]!;
    const [at16k, at24k] = await Promise.all([decodeAt(stages.semanticSampleRate), decodeAt(stages.sampleRate)]);
    const seconds = at16k.length / stages.semanticSampleRate;
    if (seconds < METIS.minReferenceSeconds) {
      throw errors.badAudio(request.reference.field ?? 'reference_audio', `is ${seconds.toFixed(2)} s long; Metis needs at least ${METIS.minReferenceSeconds} s of reference speech`);
    }
    const heard = await referenceTextOf(ctx, request.referenceText, at16k, request.referenceLanguage);
    const phones = await phonesOf(ctx, vocab, heard.text, request.referenceLanguage ?? request.language, 'reference_text', unusableTranscript(heard));
    reference = { at16k, at24k, text: heard.text, phones: phones.ids };
  }
  const targetPhones = await phonesOf(ctx, vocab, request.text, request.language, 'text');

  const s2aSteps = METIS.s2a.stepsPerLayer.reduce((a: number, b) => a + b, 0);
  const run = stages.makeRun(ctx, (reference ? 3 : 0) + request.steps + s2aSteps + 1);

  // 2–3. The reference as tokens (MaskGCT's audio tokenizer), or an empty prompt
  let promptSemantic: Int32Array = new Int32Array(0);
  let promptAcoustic: Int32Array = new Int32Array(0);
  if (reference) {
    promptSemantic = await stages.semanticTokens(reference.at16k, run, maskgct);
    run.stageDone('semantic', { frames: promptSemantic.length });
    promptAcoustic = await stages.acousticTokens(reference.at24k, run, maskgct);
    run.stageDone('acoustic', { frames: promptAcoustic.length / stages.acousticLayers });
  }
  const targetFrames =
    request.targetSeconds !== undefined
      ? framesForSeconds(request.targetSeconds)
      : reference
        ? targetFramesFromPrompt(promptSemantic.length, request.text, reference.text)
        : targetFramesWithoutPrompt(request.text);
  ctx.log.info('metis front end', { reference: Boolean(reference), referencePhones: reference?.phones.length ?? 0, targetPhones: targetPhones.ids.length, targetFrames });

  // 4. T2S on Metis' graphs: phone_id = cat([prompt_phone_id, target_phone_id])
  const targetSemantic = await stages.textToSemantic(
    t2sGraphs(ctx),
    {
      phoneIds: [...(reference?.phones ?? []), ...targetPhones.ids],
      promptIds: promptSemantic,
      targetFrames,
      steps: request.steps,
      temperature: request.temperature,
      guidance: { cfg: request.cfg, rescale: METIS.t2s.rescale },
    },
    random,
    run,
  );

  // 5. S2A on cat([prompt_semantic, predicted_semantic]); the acoustic prompt may be empty
  const { s2a } = METIS;
  const later = { cfg: s2a.cfg, rescale: s2a.rescale };
  const { codes, frames } = await stages.semanticToAcoustic(
    {
      semanticIds: Int32Array.from([...promptSemantic, ...targetSemantic]),
      promptCodes: promptAcoustic,
      stepsPerLayer: s2a.stepsPerLayer,
      guidancePerLayer: s2a.stepsPerLayer.map((_, layer) => (layer === 0 ? { cfg: s2a.firstLayerCfg, rescale: s2a.rescale } : later)),
      temperature: s2a.temperature,
    },
    random,
    run,
    maskgct,
  );

  // 6. Decode the target's codes only (the prompt is not returned)
  const audio = await stages.decode(codes, frames, run, maskgct);
  run.stageDone('decode', { samples: audio.length });
  return { audio, sampleRate: stages.sampleRate };
}
