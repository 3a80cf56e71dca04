// A profile's samples as the one reference clip a cloning TTS takes. The rule: every
// sample, in the order they were added, while the total stays within
// `maxReferenceSeconds` (a sample that would pass it is left out; the first is always
// kept), joined with 0.1 s of silence; their transcripts joined with spaces. More
// reference audio gives a cloning model more of the voice, and the cap keeps the prompt
// within what such models are trained on (voicebox combines samples the same way).
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { StudioFiles } from './files.ts';
import type { Sample } from './store.ts';

const GAP_SECONDS = 0.1;

export interface ReferenceClip {
  readonly path: string;
  readonly format: string;
  readonly text: string;
  /** Removes the combined clip (nothing to do for a single stored sample). */
  dispose(): Promise<void>;
}

export function pickSamples(samples: readonly Sample[], maxSeconds: number): Sample[] {
  const picked: Sample[] = [];
  let total = 0;
  for (const sample of samples) {
    const added = sample.duration + (picked.length ? GAP_SECONDS : 0);
    if (picked.length && total + added > maxSeconds) continue;
    picked.push(sample);
    total += added;
  }
  return picked;
}

export async function combineSamples(
  samples: readonly Sample[],
  deps: { files: StudioFiles; audio: AudioToolkit; tempDir: string; maxSeconds: number; signal?: AbortSignal },
): Promise<ReferenceClip> {
  const picked = pickSamples(samples, deps.maxSeconds);
  const text = picked.map((s) => s.reference_text.trim()).filter(Boolean).join(' ');
  const first = picked[0]!;
  if (picked.length === 1) return { path: deps.files.pathOf(first.file), format: first.format, text, dispose: async () => {} };

  const pcm = [];
  let rate: number | undefined;
  for (const sample of picked) {
    const decoded = await deps.audio.decode(
      { path: deps.files.pathOf(sample.file), format: sample.format, field: 'sample', limitClass: 'reference' },
      { mono: true, ...(rate ? { sampleRate: rate } : {}), ...(deps.signal ? { signal: deps.signal } : {}) },
    );
    rate ??= decoded.sampleRate;
    pcm.push(decoded.channels[0]!);
  }
  const gap = Math.round(GAP_SECONDS * rate!);
  const joined = new Float32Array(pcm.reduce((n, p) => n + p.length, 0) + gap * (pcm.length - 1));
  let offset = 0;
  for (const part of pcm) {
    joined.set(part, offset);
    offset += part.length + gap;
  }
  const encoded = await deps.audio.encode(joined, rate!, 'wav');
  await mkdir(deps.tempDir, { recursive: true, mode: 0o700 });
  const path = join(deps.tempDir, `${randomUUID()}.wav`);
  await writeFile(path, encoded.bytes, { mode: 0o600 });
  return { path, format: 'wav', text, dispose: () => rm(path, { force: true }) };
}
