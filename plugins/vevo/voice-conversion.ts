// Vevo-Timbre (flow matching only, `inference_fm`) as a `voice-conversion` capability, so a
// surface can re-voice a recording of any length without knowing Vevo: the source is cut
// at its quietest points into pieces Vevo reads (≤ maxSourceSeconds), each piece keeps its
// content-style tokens and takes the reference's timbre, and each result is fitted back to
// its piece's length so the timing of the whole is kept (FM gives one frame per HuBERT
// frame, a frame short of the clip). Domain 'speech': Vevo-Timbre keeps words and timing,
// and its tokens carry some melody, but it is not a singing model.
import type { MonoAudio, VoiceConversionCapability } from '../../core/capabilities.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { Clip } from '../vevo-common/clips.ts';
import { synthesize } from './pipeline/synthesize.ts';
import { freshSeed } from './routes/fields.ts';
import { VEVO } from './settings.ts';

/** Pieces shorter than this carry too few HuBERT frames for flow matching: kept silent. */
const MIN_PIECE_SECONDS = 0.25;

async function clipOf(ctx: HandlerContext, audio: MonoAudio, field: string, maxSeconds: number): Promise<Clip> {
  const at24k = audio.sampleRate === VEVO.sampleRate ? audio.samples : await ctx.audio.resample(audio.samples, audio.sampleRate, VEVO.sampleRate);
  const kept = at24k.length > maxSeconds * VEVO.sampleRate ? at24k.subarray(0, maxSeconds * VEVO.sampleRate) : at24k;
  return { field, at24k: kept, at16k: await ctx.audio.resample(kept, VEVO.sampleRate, VEVO.hubertSampleRate) };
}

export const vevoVoiceConversion: VoiceConversionCapability = {
  domain: 'speech',
  async convert(request, ctx) {
    const timbre = await clipOf(ctx, request.reference, 'reference', VEVO.maxReferenceSeconds);
    const source = request.source.sampleRate === VEVO.sampleRate ? request.source.samples : await ctx.audio.resample(request.source.samples, request.source.sampleRate, VEVO.sampleRate);
    const pieces = await ctx.audio.splitAtSilence(source, VEVO.sampleRate, { maxSeconds: VEVO.maxSourceSeconds - 5 });
    const out = new Float32Array(source.length);
    const seed = request.seed ?? freshSeed();
    const total = source.length || 1;
    for (const [i, piece] of pieces.entries()) {
      ctx.signal.throwIfAborted();
      const samples = source.subarray(piece.start, piece.end);
      if (samples.length < MIN_PIECE_SECONDS * VEVO.sampleRate) continue;
      const clip: Clip = { field: 'source', at24k: samples, at16k: await ctx.audio.resample(samples, VEVO.sampleRate, VEVO.hubertSampleRate) };
      const result = await synthesize({ source: clip, timbre, flowSteps: request.steps ?? VEVO.flowSteps, seed: (seed + i) >>> 0 }, ctx);
      // Fitted to the piece: trimmed, or padded with silence where FM came out a frame short.
      out.set(result.audio.subarray(0, samples.length), piece.start);
      ctx.progress(piece.end / total, `converted ${i + 1}/${pieces.length} piece(s)`, 'convert');
    }
    return { audio: out, sampleRate: VEVO.sampleRate };
  },
};
