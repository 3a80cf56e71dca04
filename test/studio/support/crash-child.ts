// Child process for the crash test: runs the studio's real write paths against a data
// folder and is killed (SIGKILL, no cleanup of any kind) at the moment between a file
// reaching the disk and its row being inserted. argv: <dataDir> <sample|generation>.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAudioToolkit } from '../../../core/audio/make-audio-toolkit.ts';
import { loadConfig } from '../../../core/config/load-config.ts';
import type { TtsCapability } from '../../../core/capabilities.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { openDatabase } from '../../../core/store/database.ts';
import type { Engines } from '../../../core/surfaces/studio/engines.ts';
import { makeStudioFiles } from '../../../core/surfaces/studio/files.ts';
import { prepareGeneration, runGeneration } from '../../../core/surfaces/studio/generate.ts';
import { makeStudioStore, type StudioStore } from '../../../core/surfaces/studio/store.ts';
import toneTts from '../../fixtures/plugins/tone-tts/index.ts';
import { sine, wavBytes } from '../../support/wav.ts';

const [dataDir, phase] = process.argv.slice(2) as [string, 'sample' | 'generation'];
const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, audio: { workers: 0 } } });
const db = openDatabase({ config });
const store = makeStudioStore(db);
const files = makeStudioFiles(join(dataDir, 'studio'));
const viewer = { owner: 'dev', admin: true };
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const profile = store.createProfile(viewer, { name: 'Crash', description: null, language: 'en' });
const clip = join(dataDir, 'clip.wav');

writeFileSync(clip, wavBytes(sine({ seconds: 2, sampleRate: 16000 }), 16000));

if (phase === 'sample') {
  // The sample route's order: adopt the upload (written and flushed), then insert the row.
  await files.adopt('samples', { path: clip }, 'wav');
  die();
}

const file = await files.adopt('samples', { path: clip }, 'wav');
store.addSample(viewer, profile.id, { file, format: 'wav', duration: 2, reference_text: 'A tone.' });
const tone = toneTts.capabilities!.tts as TtsCapability;
const engine = { plugin: 'tone-tts', capability: tone, ready: async () => {}, context: () => ({ progress: () => {} }) as unknown as HandlerContext };
const engines: Engines = { cloning: () => [engine], choose: () => engine, current: () => engine, asr: () => die() };
// The generation's row insert is where the process dies, after the audio file is flushed.
const dying: StudioStore = { ...store, addGeneration: () => die() };
const audio = makeAudioToolkit({ config });
const deps = { store: dying, files, engines, audio, tempDir: join(dataDir, 'tmp'), maxReferenceSeconds: 30, chunkLength: 200 };
const input = { profile_id: profile.id, text: 'Never saved.', language: 'en', seed: null, model_size: null, engine: null };
await runGeneration(deps, viewer, input, prepareGeneration(deps, viewer, input), { signal: new AbortController().signal, requestId: 'crash', progress: () => {} });
