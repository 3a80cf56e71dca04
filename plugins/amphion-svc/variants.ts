// The four Amphion SVC models as data: which content features feed the condition encoder,
// which acoustic decoder follows, and how it is sampled. make-plugin.ts turns one into a plugin.
export type DecoderKind = 'diffusion' | 'consistency' | 'direct' | 'vits';

export interface SamplerSpec {
  readonly default: number;
  readonly max: number;
}

export interface SvcVariant {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** What the model is, for the route's OpenAPI description. */
  readonly about: string;
  readonly content: { readonly whisper: boolean; readonly contentvec: boolean };
  readonly decoder: DecoderKind;
  /** Steps of the decoder's sampler (diffusion, consistency). */
  readonly steps?: SamplerSpec;
}

export const VARIANTS = {
  multiplecontentssvc: {
    name: 'multiplecontentssvc',
    title: 'MultipleContentsSVC',
    summary: 'Amphion MultipleContentsSVC: Whisper + ContentVec content, DiffWaveNetSVC diffusion decoder, BigVGAN vocoder.',
    about:
      'MultipleContentsSVC (Zhang et al., SLT 2024): speaker-agnostic content from Whisper-medium and ContentVec together, F0 and ' +
      'energy, and a singer look-up table condition DiffWaveNetSVC, a bidirectional non-causal dilated-CNN diffusion decoder ' +
      '(DDPM-trained, sampled with the engine’s PNDM); a BigVGAN vocoder makes 24 kHz audio.',
    content: { whisper: true, contentvec: true },
    decoder: 'diffusion',
    // bins/svc/inference.py --diffusion_inference_steps defaults to 1000; 50 PNDM steps serve most uses.
    steps: { default: 50, max: 1000 },
  },
  diffcomosvc: {
    name: 'diffcomosvc',
    title: 'DiffComoSVC',
    summary: 'Amphion DiffComoSVC: a consistency-model SVC decoder (1–few steps) over Whisper + ContentVec content.',
    about:
      'DiffComoSVC (CoMoSVC, Lu et al. 2024): the condition encoder and a conformer prior give a mel estimate μ; a consistency ' +
      'model distilled from the EDM diffusion teacher (the DiffWaveNet denoiser) maps noise around μ to the mel in one step, or ' +
      'a few with re-noising; a BigVGAN vocoder makes 24 kHz audio.',
    content: { whisper: true, contentvec: true },
    decoder: 'consistency',
    steps: { default: 1, max: 8 },
  },
  transformersvc: {
    name: 'transformersvc',
    title: 'TransformerSVC',
    summary: 'Amphion TransformerSVC: a conformer encoder maps Whisper + ContentVec content, F0, energy and singer to the mel.',
    about:
      'TransformerSVC: the condition encoder’s summed streams go through a 6-layer conformer (relative-position attention) that ' +
      'predicts the mel directly, no diffusion; a BigVGAN vocoder makes 24 kHz audio.',
    content: { whisper: true, contentvec: true },
    decoder: 'direct',
  },
  vitssvc: {
    name: 'vitssvc',
    title: 'VitsSVC',
    summary: 'Amphion VitsSVC: a VITS-style end-to-end SVC (so-vits-svc lineage) whose decoder is NSF-HiFiGAN driven by F0.',
    about:
      'VitsSVC: the condition encoder feeds a VITS prior encoder; its sample (noise scale 0.35) goes back through the normalising ' +
      'flow conditioned on the singer and into an NSF-HiFiGAN decoder driven by the F0, straight to 24 kHz audio (no mel, no ' +
      'separate vocoder).',
    content: { whisper: true, contentvec: true },
    decoder: 'vits',
  },
} as const satisfies Record<string, SvcVariant>;

export type VariantName = keyof typeof VARIANTS;
