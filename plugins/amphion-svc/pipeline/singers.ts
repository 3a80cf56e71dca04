// The trained singers of a checkpoint and how a request picks one. Amphion keeps the look-up
// table as `singers.json` ({"<dataset>_<singer>": id}) beside the checkpoint; the median F0 of
// each singer is in its dataset's pitch statistics.json. The export writes both into the weight
// folder: singers.json as Amphion wrote it, singer_profiles.json with {name: {f0_median,
// embedding?}} (the embedding from enrol.ts), and mel_extrema.json {dataset: {min, max}}.
// Smoke graphs come with a roster of their own (SMOKE_SINGERS).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../../core/errors.ts';
import { SVC } from '../settings.ts';
import { cosine, EMBEDDING_DIM } from './embedding.ts';

export interface Singer {
  readonly name: string;
  readonly id: number;
  /** Median voiced F0 of the singer's training data, Hz (the automatic key match aims at it). */
  readonly f0Median?: number;
  readonly embedding?: Float32Array;
  /** Amphion's dataset of the singer: the part of the name before its last '_'. */
  readonly dataset: string;
}

export interface MelExtrema {
  readonly min: Float32Array;
  readonly max: Float32Array;
}

export interface Roster {
  readonly singers: readonly Singer[];
  /** Per dataset: the min/max per mel bin the decoders' [-1, 1] output is scaled back with. */
  readonly extrema: ReadonlyMap<string, MelExtrema>;
}

export const SINGERS_FILE = 'singers.json';
export const PROFILES_FILE = 'singer_profiles.json';
export const EXTREMA_FILE = 'mel_extrema.json';

const datasetOf = (name: string) => (name.includes('_') ? name.slice(0, name.lastIndexOf('_')) : name);

/** A spectral tilt as an embedding: negative dark, positive bright. */
function tilt(slope: number, bump = 0): Float32Array {
  const e = Float32Array.from({ length: EMBEDDING_DIM }, (_, b) => slope * (b / (EMBEDDING_DIM - 1) - 0.5) + bump * Math.exp(-(((b - 50) / 12) ** 2)));
  const mean = e.reduce((a, v) => a + v, 0) / e.length;
  const norm = Math.sqrt(e.reduce((a, v) => a + (v - mean) ** 2, 0));
  return e.map((v) => (v - mean) / norm);
}

/** ln(1e-5) … ln(e^2.5): the range of the hub's ln-mel, for smoke graphs that have no statistics. */
const SMOKE_EXTREMA: MelExtrema = { min: new Float32Array(SVC.nMels).fill(Math.log(1e-5)), max: new Float32Array(SVC.nMels).fill(2.5) };

export const SMOKE_ROSTER: Roster = {
  singers: [
    { name: 'smoke_dark', id: 0, f0Median: 140, embedding: tilt(-1), dataset: 'smoke' },
    { name: 'smoke_bright', id: 1, f0Median: 420, embedding: tilt(1), dataset: 'smoke' },
    { name: 'smoke_mid', id: 2, f0Median: 260, embedding: tilt(0, 1), dataset: 'smoke' },
  ],
  extrema: new Map([['smoke', SMOKE_EXTREMA]]),
};

async function readJson(dir: string, file: string, required: boolean, plugin: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw errors.unavailable(`plugin '${plugin}': ${file} in its weight folder cannot be used (${(error as NodeJS.ErrnoException).code ?? 'not valid JSON'}); the export writes it (EXPORT.md)`);
  }
}

export async function loadRoster(ctx: { weightDir: string; weightState: string; plugin: { name: string } }): Promise<Roster> {
  if (ctx.weightState === 'smoke') return SMOKE_ROSTER;
  const plugin = ctx.plugin.name;
  const bad = (why: string) => errors.unavailable(`plugin '${plugin}': ${why}`);
  const table = await readJson(ctx.weightDir, SINGERS_FILE, true, plugin);
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw bad(`${SINGERS_FILE} must map singer names to ids`);
  const profiles = ((await readJson(ctx.weightDir, PROFILES_FILE, false, plugin)) ?? {}) as Record<string, { f0_median?: number; embedding?: number[] }>;
  const singers = Object.entries(table as Record<string, unknown>).map(([name, id]): Singer => {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= SVC.singerTable) throw bad(`${SINGERS_FILE}: '${name}' has id ${JSON.stringify(id)}, not one of 0..${SVC.singerTable - 1}`);
    const profile = profiles[name] ?? {};
    const embedding = Array.isArray(profile.embedding) && profile.embedding.length === EMBEDDING_DIM ? Float32Array.from(profile.embedding) : undefined;
    return { name, id: id as number, dataset: datasetOf(name), ...(typeof profile.f0_median === 'number' && profile.f0_median > 0 ? { f0Median: profile.f0_median } : {}), ...(embedding ? { embedding } : {}) };
  });
  if (singers.length === 0) throw bad(`${SINGERS_FILE} lists no singers`);
  const extremaJson = ((await readJson(ctx.weightDir, EXTREMA_FILE, false, plugin)) ?? {}) as Record<string, { min?: number[]; max?: number[] }>;
  const extrema = new Map<string, MelExtrema>();
  for (const [dataset, { min, max }] of Object.entries(extremaJson)) {
    if (min?.length !== SVC.nMels || max?.length !== SVC.nMels) throw bad(`${EXTREMA_FILE}: '${dataset}' needs 'min' and 'max' of ${SVC.nMels} numbers`);
    extrema.set(dataset, { min: Float32Array.from(min), max: Float32Array.from(max) });
  }
  return { singers, extrema };
}

export function singerByName(roster: Roster, name: string): Singer {
  const found = roster.singers.find((s) => s.name === name);
  if (!found) throw errors.invalidValue('singer', `unknown singer '${name}'; the trained singers are: ${roster.singers.map((s) => s.name).join(', ')}`);
  return found;
}

/** The enrolled singer whose embedding is nearest (highest cosine) to the reference's. */
export function nearestSinger(roster: Roster, embedding: Float32Array): { singer: Singer; similarity: number } | undefined {
  let best: { singer: Singer; similarity: number } | undefined;
  for (const singer of roster.singers) {
    if (!singer.embedding) continue;
    const similarity = cosine(singer.embedding, embedding);
    if (!best || similarity > best.similarity) best = { singer, similarity };
  }
  return best;
}

export function extremaFor(roster: Roster, singer: Singer): MelExtrema | undefined {
  return roster.extrema.get(singer.dataset) ?? (roster.extrema.size === 1 ? [...roster.extrema.values()][0] : undefined);
}
