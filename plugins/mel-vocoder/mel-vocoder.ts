// The pipeline every mel → waveform GAN vocoder shares (HiFi-GAN, BigVGAN): find the
// checkpoint family, turn the upload into its mel, run the generator piece by piece, and
// offer the same as a `vocoder` capability to the rest of the hub.
import type { VocoderCapability, VocoderMel } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { AudioOutput, UploadedFile } from '../../core/plugin/types.ts';
import { DEFAULT_CHUNKING, vocodeInPieces, type ChunkOptions, type Mel } from './chunking.ts';
import { resolveFamily, type GraphLimits, type VocoderFamily } from './family.ts';
import { melOfUpload } from './mel-input.ts';

export interface MelVocoderSpec {
  /** The generator graph: input `mel` [batch, n_mels, frames], output `audio` [batch, 1, frames·hop]. */
  readonly graph: string;
  readonly families: readonly VocoderFamily[];
  readonly defaultFamily: VocoderFamily;
  readonly limits: GraphLimits;
  readonly chunking?: Omit<ChunkOptions, 'hop'>;
}

export interface VocodedAudio {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly family: VocoderFamily;
}

export interface MelVocoder {
  family(ctx: HandlerContext): Promise<VocoderFamily>;
  vocode(mel: VocoderMel, ctx: HandlerContext): Promise<VocodedAudio>;
  /** The route: upload (audio or .npy mel) → waveform at the family's rate. */
  handle(file: UploadedFile, ctx: HandlerContext): Promise<AudioOutput>;
  readonly capability: VocoderCapability;
}

export function makeMelVocoder(spec: MelVocoderSpec): MelVocoder {
  const chunking = spec.chunking ?? DEFAULT_CHUNKING;

  /** `owned`: the mel is this call's own (decoded from the upload, or a slice), so it may move to the worker. */
  async function generate(piece: Mel, ctx: HandlerContext, owned: boolean): Promise<Float32Array> {
    // generator: mel [1, n_mels, frames] → audio [1, 1, frames·hop]
    const { audio } = await ctx.graphs[spec.graph]!.run(
      { mel: { type: 'float32', data: piece.data, dims: [1, piece.nMels, piece.frames] } },
      { signal: ctx.signal, transferFeeds: owned },
    );
    return audio!.data as Float32Array;
  }

  async function vocodeAs(family: VocoderFamily, mel: VocoderMel, ctx: HandlerContext, ownsMel = false): Promise<VocodedAudio> {
    if (mel.nMels !== family.mel.nMels) {
      throw errors.badRequest(`mel has ${mel.nMels} bins; vocoder '${ctx.plugin.name}' (${family.id}) takes ${family.mel.nMels}`);
    }
    const audio = await vocodeInPieces(mel, { ...chunking, hop: family.mel.hop }, (piece, sliced) => generate(piece, ctx, ownsMel || sliced), {
      signal: ctx.signal,
      onPiece: (done, total) => ctx.progress(done / total, `vocoded ${done} of ${total} pieces`, 'vocode'),
    });
    return { audio, sampleRate: family.mel.sampleRate, family };
  }

  const vocoder: MelVocoder = {
    family: (ctx) => resolveFamily(ctx, spec.families, spec.defaultFamily, spec.limits),

    vocode: async (mel, ctx) => vocodeAs(await vocoder.family(ctx), mel, ctx),

    async handle(file, ctx) {
      // 1. the checkpoint's mel parameters, 2. the upload as that mel, 3. the generator.
      const family = await vocoder.family(ctx);
      const mel = await melOfUpload(file, family.mel, ctx, { lastRead: true });
      const { audio, sampleRate } = await vocodeAs(family, mel, ctx, true);
      return { audio, sampleRate, headers: { 'X-Vocoder-Family': family.id } };
    },

    capability: {
      melOptions: async (ctx) => (await vocoder.family(ctx)).mel,
      vocode: async (mel, ctx) => {
        const { audio, sampleRate } = await vocoder.vocode(mel, ctx);
        return { audio, sampleRate };
      },
    },
  };
  return vocoder;
}
