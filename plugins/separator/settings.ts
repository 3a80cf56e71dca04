// MDX-Net (Kim, "KUIELab-MDX-Net", 2021; the UVR MDX-Net checkpoints) as the separator reads
// it: a TFC-TDF U-Net over the first dim_f bins of a stereo STFT (n_fft, hop 1024, dim_t
// frames per chunk), its four input channels [L.re, L.im, R.re, R.im]; it predicts one stem
// (the "primary": vocals for the Voc models, the instrumental for the Inst ones) and the other
// is the mix minus it. The numbers differ per checkpoint; `separator.json` beside the graph
// gives them (UVR's model_data.json entry: mdx_dim_f_set, mdx_dim_t_set, mdx_n_fft_scale_set,
// primary_stem, compensate). Without it: the defaults below (UVR-MDX-NET-Voc_FT's values).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MdxSettings {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly hop: number;
  readonly dimF: number;
  readonly dimT: number;
  readonly primaryStem: 'vocals' | 'instrumental';
  /** Gain UVR applies to the primary stem (the models' outputs run slightly quiet). */
  readonly compensate: number;
}

export const MDX_DEFAULTS: MdxSettings = { sampleRate: 44100, nFft: 7680, hop: 1024, dimF: 3072, dimT: 256, primaryStem: 'vocals', compensate: 1.021 };
export const SETTINGS_FILE = 'separator.json';

/** The checkpoint's settings: `separator.json` in the weight folder (UVR's names), else the defaults. */
export async function mdxSettings(weightDir: string): Promise<MdxSettings> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(join(weightDir, SETTINGS_FILE), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return MDX_DEFAULTS;
    throw new Error(`separator: ${SETTINGS_FILE} is not readable JSON: ${(error as Error).message}`);
  }
  const int = (name: string, fallback: number) => {
    const v = raw[name];
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`separator: ${SETTINGS_FILE}: ${name} must be a positive integer`);
    return v as number;
  };
  const dimT = raw.mdx_dim_t_set !== undefined ? 2 ** int('mdx_dim_t_set', 8) : MDX_DEFAULTS.dimT;
  const stem = String(raw.primary_stem ?? 'Vocals').toLowerCase();
  return {
    sampleRate: MDX_DEFAULTS.sampleRate,
    nFft: int('mdx_n_fft_scale_set', MDX_DEFAULTS.nFft),
    hop: int('hop', MDX_DEFAULTS.hop),
    dimF: int('mdx_dim_f_set', MDX_DEFAULTS.dimF),
    dimT,
    primaryStem: stem === 'vocals' ? 'vocals' : 'instrumental',
    compensate: typeof raw.compensate === 'number' && raw.compensate > 0 ? raw.compensate : 1,
  };
}
