// MaskGCT inference, as the paper and `maskgct_utils.py` run it:
//   1. front ends: the reference at 16 kHz and 24 kHz; phones of reference and target text
//   2. semantic tokens of the reference (w2v-BERT → semantic codec)
//   3. acoustic tokens of the reference (acoustic codec encoder, 12 layers)
//   4. T2S: semantic tokens of the target by mask-predict
//   5. S2A: the 12 acoustic layers of the target, layer by layer
//   6. acoustic decoder → Vocos spectrum → inverse STFT → 24 kHz audio
// Every graph call is one logged, progress-reporting, abortable step.
import type { AudioSource } from '../../../core/audio/toolkit.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { makeRandom } from '../sampling/random.ts';
import { MASKGCT } from '../settings.ts';
import { decodeAudio } from './decode.ts';
import { maskgctGraphs } from './graph-handles.ts';
import { estimateTargetFrames, framesForSeconds, phonesOf, phoneVocabulary } from './phones.ts';
import { acousticTokens, semanticTokens } from './reference-tokens.ts';
import { referenceTextOf, unusableTranscript } from './reference-text.ts';
import { semanticToAcoustic } from './semantic-to-acoustic.ts';
import { makeStepLog } from './step-log.ts';
import { textToSemantic } from './text-to-semantic.ts';

export interface SynthesisRequest {
  readonly text: string;
  readonly language: string;
  readonly reference: AudioSource;
  readonly referenceText?: string;
  /** Language of the reference text; default: what the ASR heard, else `language`. */
  readonly referenceLanguage?: string;
  /** Start of T2S's annealed sampling temperature. */
  readonly temperature: number;
  /** Seconds; default estimated from the phone counts. */
  readonly targetSeconds?: number;
  /** T2S mask-predict steps. */
  readonly steps: number;
  readonly seed: number;
}

export interface Synthesis {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly seed: number;
  readonly referenceText: string;
}

export async function synthesize(request: SynthesisRequest, ctx: HandlerContext): Promise<Synthesis> {
  const graphs = maskgctGraphs(ctx);
  const random = makeRandom(request.seed);

  // 1. Front ends. librosa.load(path, sr=16000) and sr=24000: the clip, decoded twice
  const decodeAt = async (sampleRate: number) => (await ctx.audio.decode(request.reference, { sampleRate, signal: ctx.signal })).channels[0]!;
  const [reference16k, reference24k] = await Promise.all([decodeAt(MASKGCT.semanticSampleRate), decodeAt(MASKGCT.sampleRate)]);
  const seconds = reference16k.length / MASKGCT.semanticSampleRate;
  if (seconds < MASKGCT.minReferenceSeconds) {
    throw errors.badAudio(request.reference.field ?? 'reference_audio', `is ${seconds.toFixed(2)} s long; MaskGCT needs at least ${MASKGCT.minReferenceSeconds} s of reference speech`);
  }
  const vocab = await phoneVocabulary(ctx);
  const heard = await referenceTextOf(ctx, request.referenceText, reference16k, request.referenceLanguage);
  const referenceLanguage = request.referenceLanguage ?? supportedOrUndefined(ctx, heard.language) ?? request.language;
  const referencePhones = await phonesOf(ctx, vocab, heard.text, referenceLanguage, 'reference_text', unusableTranscript(heard));
  const targetPhones = await phonesOf(ctx, vocab, request.text, request.language, 'text');
  const targetFrames = request.targetSeconds !== undefined ? framesForSeconds(request.targetSeconds) : estimateTargetFrames(reference16k.length, referencePhones.ids.length, targetPhones.ids.length);
  ctx.log.info('maskgct front end', { referenceSeconds: Number(seconds.toFixed(2)), referencePhones: referencePhones.ids.length, targetPhones: targetPhones.ids.length, targetFrames, referenceText: heard.source });

  const s2aSteps = MASKGCT.s2a.stepsPerLayer.reduce((a, b) => a + b, 0);
  const log = makeStepLog(ctx, 3 + request.steps + s2aSteps + 1);
  const run = { log, signal: ctx.signal, audio: ctx.audio };

  // 2. Semantic tokens of the reference
  const promptSemantic = await semanticTokens(graphs, reference16k, run);
  log.stageDone('semantic', { frames: promptSemantic.length });
  // 3. Acoustic tokens of the reference, [frames × 12]
  const promptAcoustic = await acousticTokens(graphs, reference24k, run);
  log.stageDone('acoustic', { frames: promptAcoustic.length / MASKGCT.acousticLayers });

  // 4. T2S: phone_id = cat([prompt_phone_id, target_phone_id]); semantic tokens of the target
  const targetSemantic = await textToSemantic(
    graphs,
    { phoneIds: [...referencePhones.ids, ...targetPhones.ids], promptIds: promptSemantic, targetFrames, steps: request.steps, temperature: request.temperature, random },
    run,
  );

  // 5. S2A on cat([prompt_semantic, predicted_semantic]) with the reference's acoustic codes as prompt.
  // It makes len(semantic) − len(acoustic prompt) frames, as the original: w2v-BERT's framing
  // usually gives the reference one frame fewer, so the audio is ~20 ms shorter than asked.
  const semanticIds = Int32Array.from([...promptSemantic, ...targetSemantic]);
  const { codes, frames } = await semanticToAcoustic(
    graphs,
    { semanticIds, promptCodes: promptAcoustic, random },
    run,
  );

  // 6. Decode the target's codes only (the prompt is not returned)
  const audio = await decodeAudio(graphs, codes, frames, run);
  log.stageDone('decode', { samples: audio.length });
  return { audio, sampleRate: MASKGCT.sampleRate, seed: request.seed, referenceText: heard.text };
}

/** An ASR language name the phonemizer knows and MaskGCT speaks, else undefined. */
function supportedOrUndefined(ctx: Pick<HandlerContext, 'text'>, language: string | undefined): string | undefined {
  if (!language) return undefined;
  try {
    const resolved = ctx.text.resolveLanguage(language);
    return (MASKGCT.languages as readonly string[]).includes(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}
