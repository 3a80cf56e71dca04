// Metis and DualCodec-VALL-E route times on smoke graphs, over HTTP:
//   node --import tsx bench/amphion-tts-family.ts        (or `npm run bench -- amphion-tts-family`)
//
// Metis: one synthesis with a 1 s reference and one without (T2S 25 steps, Metis' 66 S2A
// steps), 1 s of target. DualCodec-VALL-E: 1 s and 4 s caps on the AR (12.5 tokens/s), so the
// difference divided by the extra tokens is the per-token cost of the engine loop (K/V resident
// in the worker; smoke graphs still write the full 12 × 16 × past × 64 cache every step).
// Medians of BENCH_TTS_CALLS calls (default 3) after one warm-up; the load average is printed
// because the timings move with it.
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../core/hub.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';

const ROOT = join(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_TTS_CALLS ?? 3);
const DEV_KEY = 'amphion-dev-key-change-in-production';
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(url: string, fields: Record<string, string | number>, reference: Blob | null): Promise<{ ms: number; bytes: number }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
  if (reference) form.set('reference_audio', reference, 'reference.wav');
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', body: form, headers: { 'X-API-Key': DEV_KEY } });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return { ms: performance.now() - started, bytes };
}

async function medianOf(url: string, fields: Record<string, string | number>, reference: Blob | null): Promise<number> {
  await timed(url, fields, reference);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) times.push((await timed(url, fields, reference)).ms);
  return median(times);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-tts-family-'));
  const hub = await startHub({
    overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'warn', rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } },
    env: { NODE_ENV: 'development' },
  });
  try {
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.config.dataDir, plugins.filter((p) => ['maskgct', 'metis', 'dualcodec', 'dualcodec-valle'].includes(p.decl.name)));
    const reference = new Blob([wavBytes(sine({ seconds: 1, sampleRate: 24000, frequency: 180 }), 24000)]);
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', seed: 3 };
    console.log(`amphion tts family bench: smoke graphs, ${CALLS} calls each, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);

    const metis = `${hub.url}/api/tts/metis`;
    const withRef = await medianOf(metis, { ...base, target_duration: 1 }, reference);
    const withoutRef = await medianOf(metis, { ...base, target_duration: 1 }, null);
    console.log(`metis: 1 s target, p50 ${withRef.toFixed(0)} ms with a 1 s reference, ${withoutRef.toFixed(0)} ms without`);

    const valle = `${hub.url}/api/tts/dualcodec-valle`;
    const short = await medianOf(valle, { ...base, max_duration: 1 }, reference);
    const long = await medianOf(valle, { ...base, max_duration: 4 }, reference);
    const extraTokens = Math.round(4 * 12.5) - Math.round(1 * 12.5);
    console.log(`dualcodec-valle: p50 ${short.toFixed(0)} ms for 1 s, ${long.toFixed(0)} ms for 4 s: ${((long - short) / extraTokens).toFixed(1)} ms per AR token (+ its share of NAR and decode)`);
  } finally {
    await hub.close();
  }
}

await main();
