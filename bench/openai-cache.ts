// The OpenAI surface's audio cache (seed 004): latency of a cache HIT against a MISS for
// the same requests, over real HTTP on one hub:
//   node --import tsx bench/openai-cache.ts      (or `npm run bench -- openai-cache`)
//
// Models: espeak (weight-free) and MaskGCT on smoke graphs (random weights: the graph work
// is the real pipeline's, the audio meaningless), MaskGCT speaking with a voice of the
// voices file. Each round sends N distinct inputs (MISS: synthesis, encoding, cache write),
// then the same N again (HIT: a file read); medians per request, and BYPASS (no cache at
// all) as the baseline a MISS is compared with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHub } from '../core/hub.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';

const N = Number(process.env.BENCH_REQUESTS ?? 8);
/** MaskGCT's smoke pipeline takes seconds a request on a small CPU: fewer of them. */
const SLOW_N = Number(process.env.BENCH_SLOW_REQUESTS ?? 3);
const CELLS = [
  { model: 'espeak', format: 'mp3', n: N },
  { model: 'espeak', format: 'wav', n: N },
  { model: 'maskgct', format: 'wav', n: SLOW_N },
] as const;
const KEY = 'amphion-dev-key-change-in-production';
const ROOT = resolve(import.meta.dirname, '..');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-openai-cache-'));
const voicesDir = join(dataDir, 'voices-file');
mkdirSync(voicesDir);
writeFileSync(join(voicesDir, 'narrator.wav'), wavBytes(sine({ seconds: 3, sampleRate: 24000, frequency: 180 }), 24000));
writeFileSync(join(voicesDir, 'voices.json'), JSON.stringify({ default: 'narrator', voices: { narrator: { wav: 'narrator.wav', text: 'A steady reference tone.' } } }));
const registry = join(ROOT, 'registry', 'plugins.json');
const plugins = await loadPlugins(registry, ROOT);
await installSmokeGraphs(dataDir, plugins.filter((p) => p.decl.name === 'maskgct'));

const hub = await startHub({
  overrides: {
    server: { port: 0, host: '127.0.0.1' },
    dataDir,
    logLevel: 'silent',
    rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 },
    openai: { defaultModel: 'espeak', voicesFile: join(voicesDir, 'voices.json') },
  },
  env: { NODE_ENV: 'test' },
});

async function speak(body: Record<string, unknown>): Promise<{ ms: number; cache: string | null; bytes: number }> {
  const started = performance.now();
  const res = await fetch(`${hub.url}/v1/audio/speech`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`${res.status}: ${Buffer.from(await res.clone().arrayBuffer()).toString()}`);
  return { ms: performance.now() - started, cache: res.headers.get('x-cache'), bytes };
}

try {
  console.log('| model | format | BYPASS p50 ms | MISS p50 ms | HIT p50 ms | MISS / HIT |');
  console.log('|---|---|---|---|---|---|');
  for (const { model, format, n } of CELLS) {
    {
      const inputs = Array.from({ length: n }, (_, i) => `Sentence number ${i} for the ${model} ${format} cache run, spoken once and then again.`);
      // One warm-up request, so sessions and workers are loaded before anything is timed.
      await speak({ model, input: 'Warm up.', response_format: format, cache: false });
      const bypass: number[] = [];
      const miss: number[] = [];
      const hit: number[] = [];
      for (const input of inputs) bypass.push((await speak({ model, input, response_format: format, cache: false })).ms);
      for (const input of inputs) {
        const r = await speak({ model, input, response_format: format });
        if (r.cache !== 'MISS') throw new Error(`expected MISS, got ${r.cache}`);
        miss.push(r.ms);
      }
      for (const input of inputs) {
        const r = await speak({ model, input, response_format: format });
        if (r.cache !== 'HIT') throw new Error(`expected HIT, got ${r.cache}`);
        hit.push(r.ms);
      }
      const [b, m, h] = [median(bypass), median(miss), median(hit)];
      console.log(`| ${model}${model === 'maskgct' ? ' (smoke)' : ''} | ${format} | ${b.toFixed(1)} | ${m.toFixed(1)} | ${h.toFixed(2)} | ${(m / h).toFixed(0)}× |`);
    }
  }
  console.log(`\n${N} requests per espeak cell, ${SLOW_N} per MaskGCT cell, one at a time, over loopback HTTP.`);
} finally {
  await hub.close();
  rmSync(dataDir, { recursive: true, force: true });
}
