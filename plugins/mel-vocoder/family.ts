// Which checkpoint family a vocoder's weight folder holds, read from the `config.json`
// beside its ONNX file: the checkpoint's own config (sampling_rate, num_mels, n_fft,
// hop_size, win_size, fmin, fmax, as HiFi-GAN and BigVGAN publish it) or a short
// `{"family": "<id>"}`. Smoke graphs have no checkpoint, so they run as the default family.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MelOptions } from '../../core/audio/feature-types.ts';
import { errors } from '../../core/errors.ts';
import { vocoderMel } from '../mel-presets/presets.ts';

export const CONFIG_FILE = 'config.json';

export interface VocoderFamily {
  readonly id: string;
  readonly title: string;
  readonly mel: MelOptions;
  /**
   * config.json values that tell this family from others with the same mel (its
   * architecture). A key the config lacks matches nothing.
   */
  readonly architecture?: Readonly<Record<string, string | number | boolean>>;
}

/** What the plugin's graph contract fixes, whatever the checkpoint. */
export interface GraphLimits {
  readonly hop: number;
  /** Set when the contract fixes the mel bins. */
  readonly nMels?: number;
}

const MEL_KEYS = ['sampleRate', 'nFft', 'winLength', 'hop', 'nMels', 'fMin', 'fMax'] as const;

export function sameMel(a: MelOptions, b: MelOptions): boolean {
  return MEL_KEYS.every((key) => a[key] === b[key]);
}

function integerIn(config: Record<string, unknown>, key: string, min: number, max: number, problem: (why: string) => Error): number {
  const value = config[key];
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw problem(`'${key}' must be a whole number in ${min}..${max}, found ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** The mel parameters a checkpoint config states, checked for sense. */
export function melOfConfig(config: Record<string, unknown>, problem: (why: string) => Error): MelOptions {
  const sampleRate = integerIn(config, 'sampling_rate', 8000, 192000, problem);
  const nFft = integerIn(config, 'n_fft', 16, 16384, problem);
  const winLength = integerIn(config, 'win_size', 16, nFft, problem);
  const hop = integerIn(config, 'hop_size', 1, nFft, problem);
  const nMels = integerIn(config, 'num_mels', 1, 1024, problem);
  const fMin = config.fmin === undefined ? 0 : integerIn(config, 'fmin', 0, sampleRate / 2, problem);
  const fMax = config.fmax === undefined || config.fmax === null ? null : integerIn(config, 'fmax', fMin + 1, sampleRate / 2, problem);
  if ((nFft - hop) % 2 !== 0) throw problem(`n_fft − hop_size must be even for the (n_fft − hop)/2 padding, found ${nFft} − ${hop}`);
  const rates = config.upsample_rates;
  if (Array.isArray(rates) && rates.every(Number.isInteger)) {
    const product = (rates as number[]).reduce((a, b) => a * b, 1);
    if (product !== hop) throw problem(`upsample_rates multiply to ${product}, but hop_size is ${hop}`);
  }
  return vocoderMel({ sampleRate, nFft, winLength, hop, nMels, fMin, fMax });
}

/** Picks the family a config describes; a config that matches none is a custom family of its own. */
export function familyOfConfig(config: unknown, families: readonly VocoderFamily[], problem: (why: string) => Error): VocoderFamily {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw problem('must hold a JSON object');
  const fields = config as Record<string, unknown>;
  if (fields.family !== undefined && fields.sampling_rate === undefined) {
    const named = families.find((f) => f.id === fields.family);
    if (!named) throw problem(`family '${String(fields.family)}' is not one of: ${families.map((f) => f.id).join(', ')}`);
    return named;
  }
  const mel = melOfConfig(fields, problem);
  const known = families.find(
    (f) => sameMel(f.mel, mel) && Object.entries(f.architecture ?? {}).every(([key, value]) => fields[key] === value),
  );
  return known ?? { id: 'custom', title: `custom checkpoint (${mel.sampleRate} Hz, ${mel.nMels} mels, hop ${mel.hop})`, mel };
}

export function checkLimits(family: VocoderFamily, limits: GraphLimits, problem: (why: string) => Error): VocoderFamily {
  if (family.mel.hop !== limits.hop) {
    throw problem(`family ${family.id} has hop ${family.mel.hop}, but the graph contract makes ${limits.hop} samples per frame`);
  }
  if (limits.nMels !== undefined && family.mel.nMels !== limits.nMels) {
    throw problem(`family ${family.id} takes ${family.mel.nMels} mels, but the graph contract takes ${limits.nMels}`);
  }
  return family;
}

export interface FamilyContext {
  readonly plugin: { readonly name: string };
  readonly weightState: string;
  readonly weightDir: string;
}

/**
 * The family of the weights a call runs on: the default for smoke graphs or when the folder
 * has no config.json, else the config's. A config that cannot be used is the operator's
 * problem, not the client's: 503 naming the file and what is wrong.
 */
export async function resolveFamily(
  ctx: FamilyContext,
  families: readonly VocoderFamily[],
  defaultFamily: VocoderFamily,
  limits: GraphLimits,
): Promise<VocoderFamily> {
  if (ctx.weightState === 'smoke') return defaultFamily;
  const path = join(ctx.weightDir, CONFIG_FILE);
  const problem = (why: string) => errors.unavailable(`plugin '${ctx.plugin.name}': ${path}: ${why}`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultFamily;
    throw problem(`cannot be read (${(error as Error).message})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text it choked on: the file's own bytes never go into an answer.
    throw problem('is not valid JSON');
  }
  return checkLimits(familyOfConfig(config, families, problem), limits, problem);
}
