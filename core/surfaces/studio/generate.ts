// POST /generate as steps: 1. the profile and its samples (the viewer's own), 2. the
// engine, 3. the samples combined into one reference clip, 4. the text synthesised chunk
// by chunk through the engine's `tts` capability (the OpenAI surface's chunker and join
// smoothing), 5. the audio written and flushed, 6. the history row inserted — the commit
// point; a failure before it removes the file, a crash leaves a file the boot sweep removes.
import type { TtsRequest } from '../../capabilities.ts';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { errors } from '../../errors.ts';
import type { ProgressFn } from '../../plugin/context.ts';
import { collect, synthesizeChunks, type SpeechPlan } from '../openai/synthesize.ts';
import { splitIntoChunks } from '../openai/text-chunks.ts';
import type { Engines } from './engines.ts';
import type { StudioFiles } from './files.ts';
import { combineSamples } from './reference.ts';
import type { Generation, StudioStore, Viewer } from './store.ts';

export interface GenerationInput {
  readonly profile_id: string;
  readonly text: string;
  readonly language: string;
  readonly seed: number | null;
  readonly model_size: string | null;
  readonly engine: string | null;
}

export interface GenerateDeps {
  readonly store: StudioStore;
  readonly files: StudioFiles;
  readonly engines: Engines;
  readonly audio: AudioToolkit;
  readonly tempDir: string;
  readonly maxReferenceSeconds: number;
  readonly chunkLength: number;
}

/** Checks what can be checked before any work (404 profile, no samples, unknown engine). */
export function prepareGeneration(deps: GenerateDeps, viewer: Viewer, input: GenerationInput) {
  const profile = deps.store.profile(viewer, input.profile_id);
  const samples = deps.store.samples(viewer, profile.id);
  if (samples.length === 0) throw errors.badRequest(`profile '${profile.id}' has no samples; add one with POST /profiles/${profile.id}/samples`);
  const engine = deps.engines.choose(input.engine ?? undefined);
  return { profile, samples, engine };
}

export async function runGeneration(
  deps: GenerateDeps,
  viewer: Viewer,
  input: GenerationInput,
  prepared: ReturnType<typeof prepareGeneration>,
  base: { signal: AbortSignal; requestId: string; progress: ProgressFn },
): Promise<Generation> {
  const { samples, engine } = prepared;
  const supports = new Set(engine.capability.supports ?? []);
  base.progress(0, 'preparing the reference clip', 'reference');
  const reference = await combineSamples(samples, { files: deps.files, audio: deps.audio, tempDir: deps.tempDir, maxSeconds: deps.maxReferenceSeconds, signal: base.signal });
  let whole;
  try {
    const request: Omit<TtsRequest, 'text'> = {
      reference: { path: reference.path, format: reference.format, ...(reference.text ? { text: reference.text } : {}) },
      language: input.language,
      ...(input.seed !== null && supports.has('seed') ? { seed: input.seed } : {}),
      ...(input.model_size !== null && supports.has('variant') ? { variant: input.model_size } : {}),
    };
    const plan: SpeechPlan = { provider: engine, request, chunks: splitIntoChunks(input.text, deps.chunkLength), stretch: 1, ignored: [] };
    base.progress(0, `synthesising ${plan.chunks.length} chunk(s) with ${engine.plugin}`, 'synthesis');
    whole = await collect(synthesizeChunks(plan, deps, { signal: base.signal, requestId: base.requestId, progress: (f, m) => base.progress(f, m, 'synthesis') }));
  } finally {
    await reference.dispose();
  }
  base.signal.throwIfAborted();
  base.progress(1, 'saving', 'saving');
  const encoded = await deps.audio.encode(whole.samples, whole.sampleRate, 'wav');
  const file = await deps.files.write('generations', encoded.bytes, 'wav');
  try {
    return deps.store.addGeneration(viewer, {
      profile_id: input.profile_id,
      text: input.text,
      language: input.language,
      file,
      duration: whole.samples.length / whole.sampleRate,
      seed: input.seed,
      engine: engine.plugin,
    });
  } catch (error) {
    await deps.files.remove(file);
    throw error;
  }
}
