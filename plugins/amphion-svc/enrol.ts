// Enrols trained singers for reference matching: the embedding (pipeline/embedding.ts) of a
// few clips of each singer's training data, averaged and scaled to unit length, written into
// the weight folder's singer_profiles.json beside the F0 median the export put there.
//   node --import tsx plugins/amphion-svc/enrol.ts <weight folder> <singer name> <clip> [<clip> ...]
// The name must be one of singers.json. Clips: wav, flac, mp3 or ogg, any rate.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { loadConfig } from '../../core/config/load-config.ts';
import { makeAudioToolkit } from '../../core/audio/make-audio-toolkit.ts';
import { SVC_MEL } from './pipeline/convert.ts';
import { EMBEDDING_DIM, spectralEmbedding } from './pipeline/embedding.ts';
import { PROFILES_FILE, SINGERS_FILE } from './pipeline/singers.ts';

const [folder, singer, ...clips] = process.argv.slice(2);
if (!folder || !singer || clips.length === 0) {
  console.error('usage: enrol.ts <weight folder> <singer name> <clip> [<clip> ...]');
  process.exit(2);
}
const singers = JSON.parse(readFileSync(join(folder, SINGERS_FILE), 'utf8')) as Record<string, number>;
if (!(singer in singers)) {
  console.error(`'${singer}' is not in ${SINGERS_FILE}: ${Object.keys(singers).join(', ')}`);
  process.exit(1);
}
const audio = makeAudioToolkit({ config: loadConfig({ env: { NODE_ENV: 'production' }, overrides: {} }) });
const sum = new Float32Array(EMBEDDING_DIM);
for (const clip of clips) {
  const format = extname(clip).slice(1).toLowerCase().replace('oga', 'ogg');
  const pcm = await audio.decode({ path: clip, format: format === 'ogg' ? 'ogg-vorbis' : format, field: 'clip' }, { sampleRate: SVC_MEL.sampleRate, mono: true });
  const mel = await audio.melSpectrogram(pcm.channels[0]!, SVC_MEL);
  const embedding = spectralEmbedding(mel.data, mel.dims[0], mel.dims[1]);
  if (!embedding) console.warn(`${clip}: silent, skipped`);
  else embedding.forEach((v, i) => (sum[i]! += v));
}
await audio.close();
const norm = Math.sqrt(sum.reduce((a, v) => a + v * v, 0));
if (!(norm > 0)) {
  console.error('no clip had sound');
  process.exit(1);
}
const path = join(folder, PROFILES_FILE);
let profiles: Record<string, Record<string, unknown>> = {};
try {
  profiles = JSON.parse(readFileSync(path, 'utf8')) as typeof profiles;
} catch {
  // a first enrolment writes the file
}
profiles[singer] = { ...profiles[singer], embedding: Array.from(sum, (v) => Number((v / norm).toFixed(6))) };
writeFileSync(path, JSON.stringify(profiles, null, 1));
console.log(`enrolled ${singer} from ${clips.length} clip(s) into ${path}`);
