// What scale-out mode costs and gives, on the vocoder path (all figures from one run):
//   node --import tsx bench/scale-out.ts        (or `npm run bench -- scale-out`)
//
// 1. Queue hop: p50 of sequential POST /api/vocoder/hifigan calls on an API-only process
//    whose worker is a separate process (HTTP → Redis/BullMQ → worker → result file → HTTP),
//    against the same calls on the embedded hub (`npm start`, in-process), and the difference.
// 2. Workers: throughput of 16 concurrent clients with 1 worker process, then with 2; their
//    ratio. Each worker runs the lane with concurrency 1, so the ratio is what a second
//    process adds; on a 2-core machine shared with the API process, Redis and the clients,
//    expect well under 2×.
//
// Real processes and a real redis-server (Debian package `redis-server`); without it the
// bench says so and exits. The generator is the smoke graph (see bench/vocoder-overhead.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { startHubProcess, startWorkerProcess, type HubProcess } from '../test/support/hub-processes.ts';
import { redisSkipReason, startRedis } from '../test/support/redis-server.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { DEV_KEY } from '../test/support/test-hub.ts';
import { sine, wavBytes } from '../test/support/wav.ts';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = 2;
const SEQUENTIAL_CALLS = 20;
const CLIENTS = 16;
const CONCURRENT_REQUESTS = 64;

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function calls(url: string, wav: Blob, clients: number, requests: number): Promise<{ latenciesMs: number[]; wallMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        next++;
        const form = new FormData();
        form.set('audio', wav, 'speech.wav');
        const t = performance.now();
        const res = await fetch(`${url}/api/vocoder/hifigan`, { method: 'POST', body: form, headers: { 'X-API-Key': DEV_KEY } });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { latenciesMs, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const skip = redisSkipReason();
  if (skip) {
    console.log(`scale-out bench skipped: ${skip}`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-scale-out-'));
  const redis = await startRedis();
  const processes: HubProcess[] = [];
  try {
    const dataDir = join(dir, 'data');
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(dataDir, plugins.filter((p) => p.decl.name === 'hifigan'));
    const base = {
      server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 },
      dataDir,
      logLevel: 'warn',
      rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 },
      jobs: { plugins: { hifigan: { concurrency: 1, queueBound: 1000 } } },
    };
    const embeddedConfig = join(dir, 'embedded.json');
    const scaledConfig = join(dir, 'scaled.json');
    await writeFile(embeddedConfig, JSON.stringify(base));
    await writeFile(scaledConfig, JSON.stringify({ ...base, scaleOut: { redisUrl: redis.url } }));
    const wav = new Blob([wavBytes(sine({ seconds: SECONDS, sampleRate: 22050, frequency: 220 }), 22050)], { type: 'audio/wav' });

    // 1. The embedded hub, in-process: the baseline of the hop.
    const embedded = await startHubProcess(embeddedConfig);
    await calls(embedded.url, wav, 1, 3); // warm-up: sessions load
    const inProcess = await calls(embedded.url, wav, 1, SEQUENTIAL_CALLS);
    await embedded.stop();

    const api = await startHubProcess(scaledConfig, { role: 'api' });
    const first = await startWorkerProcess(scaledConfig);
    processes.push(api, first);
    await calls(api.url, wav, 1, 3);
    const hop = await calls(api.url, wav, 1, SEQUENTIAL_CALLS);
    const p50In = quantile(inProcess.latenciesMs, 0.5);
    const p50Hop = quantile(hop.latenciesMs, 0.5);
    console.log(`1. queue hop, ${SECONDS} s input, p50 of ${SEQUENTIAL_CALLS} sequential calls: in-process ${p50In.toFixed(1)} ms, API → Redis → worker ${p50Hop.toFixed(1)} ms, added ${(p50Hop - p50In).toFixed(1)} ms (${(p50Hop / p50In).toFixed(2)}×)`);

    // 2. Throughput with one worker, then two.
    const one = await calls(api.url, wav, CLIENTS, CONCURRENT_REQUESTS);
    const second = await startWorkerProcess(scaledConfig);
    processes.push(second);
    await calls(api.url, wav, 2, 4); // the second worker loads its session
    const two = await calls(api.url, wav, CLIENTS, CONCURRENT_REQUESTS);
    const rate = (r: { wallMs: number }) => (CONCURRENT_REQUESTS * 1000) / r.wallMs;
    console.log(
      `2. ${CLIENTS} clients, ${CONCURRENT_REQUESTS} calls: 1 worker ${rate(one).toFixed(2)}/s (p50 ${quantile(one.latenciesMs, 0.5).toFixed(0)} ms), ` +
        `2 workers ${rate(two).toFixed(2)}/s (p50 ${quantile(two.latenciesMs, 0.5).toFixed(0)} ms): ${(rate(two) / rate(one)).toFixed(2)}×`,
    );
    console.log(`   load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, CPUs shared by the API process, the workers, Redis and these clients`);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await redis.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
