// Voice-studio history search (medians of several repeats):
//   node --import tsx bench/studio-history.ts     (or `npm run bench -- studio`)
//
// One key's history of N generations over 20 profiles (English-like and Chinese text) in a real
// SQLite file. A search is a page of 50 plus the total, as GET /history answers. Measured:
// the studio store's FTS5 (trigram) search, against the baseline of the same query with
// LIKE '%term%' over the text and profile name (what voicebox does), in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config/load-config.ts';
import { openDatabase } from '../core/store/database.ts';
import { makeStudioStore } from '../core/surfaces/studio/store.ts';

const N = Number(process.env.BENCH_GENERATIONS ?? 20000);
const REPEATS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-studio-'));
const db = openDatabase({ config: loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir } }) });
const store = makeStudioStore(db);
const viewer = { owner: 'bench', admin: false };
// A vocabulary of 1000 words (15 real ones among made-up ones), so a word is in about 1 % of texts.
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'be', 'du'];
const words = ['morning', 'weather', 'quick', 'brown', 'fox', 'river', 'station', 'market', 'garden', 'window', 'history', 'music', 'letter', 'answer', 'silver'];
for (let i = 0; words.length < 1000; i++) words.push(SYLLABLES[i % 10]! + SYLLABLES[Math.floor(i / 10) % 10]! + SYLLABLES[Math.floor(i / 100) % 10]!);
const chinese = ['今天天气很好', '我们一起去公园', '火车站在哪里', '请再说一遍', '谢谢你的帮助'];

let started = performance.now();
const profiles = Array.from({ length: 20 }, (_, i) => store.createProfile(viewer, { name: `Narrator ${i}`, description: null, language: 'en' }).id);
let seed = 1;
const next = () => (seed = (seed * 48271) % 2147483647);
db.transaction(() => {
  for (let i = 0; i < N; i++) {
    const text = i % 5 === 0 ? `${chinese[next() % chinese.length]}，${chinese[next() % chinese.length]}。` : Array.from({ length: 12 }, () => words[next() % words.length]).join(' ') + '.';
    store.addGeneration(viewer, { profile_id: profiles[i % profiles.length]!, text, language: 'en', file: `generations/${i}.wav`, duration: 2, seed: null, engine: 'bench' });
  }
})();
console.log(`setup: ${N} generations in ${((performance.now() - started) / 1000).toFixed(1)} s`);

/** The same question with LIKE: every word in the text or the profile name, page and total. */
const like = (term: string) => {
  const words = term.split(' ');
  const where = words.map(() => "(g.text LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')").join(' AND ');
  const args = words.flatMap((w) => [`%${w}%`, `%${w}%`]);
  const from = `FROM studio_generations g JOIN studio_profiles p ON p.id = g.profile_id WHERE g.owner = ? AND ${where}`;
  const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(viewer.owner, ...args) as number;
  db.prepare(`SELECT g.* ${from} ORDER BY g.created_at DESC, g.rowid DESC LIMIT 50`).all(viewer.owner, ...args);
  return total;
};

for (const term of ['station', 'silver garden', 'ka', '火车站', 'nothing-matches']) {
  const fts: number[] = [];
  const baseline: number[] = [];
  let found = 0;
  for (let i = 0; i < REPEATS; i++) {
    started = performance.now();
    found = store.history(viewer, { search: term, limit: 50, offset: 0 }).total;
    fts.push(performance.now() - started);
    started = performance.now();
    if (like(term) !== found) throw new Error(`LIKE and FTS5 disagree on ${term}`);
    baseline.push(performance.now() - started);
  }
  const ratio = median(baseline) / median(fts);
  console.log(`search ${JSON.stringify(term).padEnd(18)} ${String(found).padStart(6)} hits: FTS5 ${median(fts).toFixed(2)} ms, LIKE baseline ${median(baseline).toFixed(2)} ms (×${ratio.toFixed(1)})`);
}

db.close();
rmSync(dataDir, { recursive: true, force: true });
