// The soak: mixed load on smoke graphs for a while, watching the hub's memory and how fast
// it still answers a health probe (issue 26 §2).
//   npm run bench -- soak      (SOAK_SECONDS=…; it starts node with the hub's own flags, from package.json;
//   by hand: node --initial-old-space-size=128 --import tsx bench/soak.ts [seconds])
// Default 600 s (the issue-27 figure is a 300 s run). Eight clients, at nice 10, loop over the routes people use: espeak TTS (2), the OpenAI
// speech route (2), the HiFi-GAN vocoder on a WAV upload (2), Whisper transcription (1) and
// async tasks (submit, follow, fetch the result; 1). A ninth process polls GET /api/health
// every 200 ms. Clients and probe run in child processes, so the hub process carries only
// the hub and its RSS is the hub's. Reported: errors per route (goal 0), RSS idle after boot,
// after warm-up (every client has made 3 calls, so every session, worker and WASM instance
// exists, and at least the first fifth of the run has passed), at the end (goal: < 10 % over
// the warm-up figure), peak, and idle again afterwards; health latency p50/p99/max.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../core/hub.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';

const ROOT = join(import.meta.dirname, '..');
const DEV_KEY = 'amphion-dev-key-change-in-production';
const PROBE_MS = 200;
const IDLE_SETTLE_MS = 5000;

type Kind = 'tts' | 'openai' | 'vocoder' | 'transcribe' | 'async';
const CLIENTS: readonly Kind[] = ['tts', 'tts', 'openai', 'openai', 'vocoder', 'vocoder', 'transcribe', 'async'];

interface LoadReport {
  readonly calls: Record<string, number>;
  readonly errors: Record<string, string[]>;
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── Child processes ───────────────────────────────────────────────────────────────────────

const TEXTS = ['The quick brown fox jumps over the lazy dog.', 'A soak test keeps the hub busy for a long while.', 'Speech models answer many short requests.'];

async function callOnce(kind: Kind, url: string, i: number): Promise<string | undefined> {
  const headers = { 'X-API-Key': DEV_KEY };
  const text = TEXTS[i % TEXTS.length]!;
  const check = async (res: Response) => {
    const body = await res.arrayBuffer();
    return res.ok ? undefined : `${res.status} ${Buffer.from(body).toString().slice(0, 160)}`;
  };
  const json = (body: unknown) => ({ method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const upload = (field: string, seconds: number, sampleRate: number) => {
    const form = new FormData();
    form.set(field, new Blob([wavBytes(sine({ seconds, sampleRate, frequency: 220 + (i % 5) * 40 }), sampleRate)], { type: 'audio/wav' }), 'clip.wav');
    return { method: 'POST', headers, body: form };
  };
  switch (kind) {
    case 'tts':
      return check(await fetch(`${url}/api/tts/espeak`, json({ text })));
    case 'openai':
      // Distinct inputs, so the speech cache does not answer every call.
      return check(await fetch(`${url}/v1/audio/speech`, json({ model: 'tts-1', input: `${text} ${i}`, voice: 'alloy', response_format: 'mp3' })));
    case 'vocoder':
      return check(await fetch(`${url}/api/vocoder/hifigan`, upload('audio', 2, 22050)));
    case 'transcribe':
      return check(await fetch(`${url}/api/transcribe`, upload('file', 3, 16000)));
    case 'async': {
      const res = await fetch(`${url}/api/tts/espeak`, { ...json({ text }), headers: { ...headers, 'content-type': 'application/json', Prefer: 'respond-async' } });
      if (res.status !== 202) return check(res);
      const { task_id } = (await res.json()) as { task_id: string };
      for (;;) {
        await sleep(100);
        const task = (await (await fetch(`${url}/api/tasks/${task_id}`, { headers })).json()) as { status: string; error?: { detail: string } };
        if (task.status === 'done') return check(await fetch(`${url}/api/tasks/${task_id}/result`, { headers }));
        if (task.status === 'error' || task.status === 'cancelled') return `task ${task.status}: ${task.error?.detail ?? ''}`;
      }
    }
  }
}

const WARMUP_CALLS = 3;

async function loadClients(url: string, untilMs: number, warm: () => void): Promise<LoadReport> {
  const calls: Record<string, number> = {};
  const errors: Record<string, string[]> = {};
  let warming = CLIENTS.length;
  await Promise.all(
    CLIENTS.map(async (kind, client) => {
      for (let i = client, n = 1; Date.now() < untilMs; i += CLIENTS.length, n++) {
        // fetch() says only "fetch failed"; the cause (ECONNRESET, ...) is what tells a hub fault from a client one.
        const error = await callOnce(kind, url, i).catch((e: Error) => {
          const cause = e.cause as { code?: string; message?: string } | undefined;
          return `${e.name}: ${e.message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
        });
        calls[kind] = (calls[kind] ?? 0) + 1;
        if (error) (errors[kind] ??= []).push(error);
        if (n === WARMUP_CALLS && --warming === 0) warm();
      }
    }),
  );
  return { calls, errors };
}

async function probe(url: string, untilMs: number): Promise<{ latenciesMs: number[]; failures: number }> {
  const latenciesMs: number[] = [];
  let failures = 0;
  while (Date.now() < untilMs) {
    const started = performance.now();
    const ok = await fetch(`${url}/api/health`).then(
      async (res) => (await res.arrayBuffer(), res.ok),
      () => false,
    );
    const took = performance.now() - started;
    if (ok) latenciesMs.push(took);
    else failures++;
    await sleep(Math.max(0, PROBE_MS - took));
  }
  return { latenciesMs, failures };
}

function child<T>(role: 'load' | 'probe', url: string, untilMs: number, onWarm: () => void = () => {}): Promise<T> {
  const process_ = fork(import.meta.filename, [role, url, String(untilMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    process_.on('message', (message) => ((message as { warm?: boolean }).warm ? onWarm() : resolve(message as T)));
    process_.once('exit', (code) => (code ? reject(new Error(`${role} process exited with ${code}`)) : undefined));
  });
}

// ── The hub side ──────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? process.env.SOAK_SECONDS ?? 600);
  if (!(seconds >= 10)) throw new Error('the soak needs at least 10 seconds');
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-soak-'));
  const hub = await startHub({
    overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'warn', rateLimit: { perMinute: 1_000_000, perHour: 10_000_000, tasksPerMinute: 1_000_000 } },
    env: { NODE_ENV: 'development' },
  });
  try {
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(dataDir, plugins);
    console.log(`soak: ${seconds} s, ${CLIENTS.length} clients (${CLIENTS.join(', ')}), health probe every ${PROBE_MS} ms; smoke graphs; node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    await sleep(IDLE_SETTLE_MS);
    const idleBoot = process.memoryUsage();

    const rss: { at: number; rss: number; heap: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      rss.push({ at: Date.now() - started, rss: usage.rss, heap: usage.heapUsed });
    }, 1000);
    const until = started + seconds * 1000;
    let warmAt: number | undefined;
    const [load, health] = await Promise.all([
      child<LoadReport>('load', hub.url, until, () => (warmAt = Date.now() - started)),
      child<{ latenciesMs: number[]; failures: number }>('probe', hub.url, until),
    ]);
    clearInterval(sampler);
    await sleep(IDLE_SETTLE_MS);
    const idleAfter = process.memoryUsage();

    // The figure for a moment is the median of the 10 samples around it: one GC pause or burst is not the trend.
    const around = (from: number, to: number) => quantile(rss.filter((s) => s.at >= from && s.at < to).map((s) => s.rss), 0.5);
    if (warmAt === undefined) throw new Error(`the clients did not finish ${WARMUP_CALLS} calls each within ${seconds} s: run longer`);
    const warmupMs = Math.max(warmAt, (seconds * 1000) / 5);
    const afterWarmup = around(warmupMs, warmupMs + 10_000);
    const atEnd = around(seconds * 1000 - 10_000, seconds * 1000 + 1);
    const peak = Math.max(...rss.map((s) => s.rss));
    const growth = (atEnd / afterWarmup - 1) * 100;
    const totalCalls = Object.values(load.calls).reduce((a, b) => a + b, 0);
    const totalErrors = Object.values(load.errors).reduce((a, b) => a + b.length, 0);

    console.log(`\ncalls: ${totalCalls} (${Object.entries(load.calls).map(([k, n]) => `${k} ${n}`).join(', ')}); errors: ${totalErrors} (goal 0)`);
    for (const [kind, list] of Object.entries(load.errors)) console.log(`  ${kind}: ${list.length} errors, e.g. ${[...new Set(list)].slice(0, 3).join(' | ')}`);
    console.log(`RSS: idle after boot ${mib(idleBoot.rss)}, after warm-up (${Math.round(warmupMs / 1000)} s) ${mib(afterWarmup)}, at the end ${mib(atEnd)} (growth ${growth.toFixed(1)} %, goal < 10 %), peak ${mib(peak)}, idle afterwards ${mib(idleAfter.rss)}`);
    console.log(`heap used: idle after boot ${mib(idleBoot.heapUsed)}, idle afterwards ${mib(idleAfter.heapUsed)}; external ${mib(idleAfter.external)}, array buffers ${mib(idleAfter.arrayBuffers)}`);
    const healthP99 = quantile(health.latenciesMs, 0.99);
    console.log(`health: ${health.latenciesMs.length} probes, ${health.failures} failed; p50 ${quantile(health.latenciesMs, 0.5).toFixed(1)} ms, p99 ${healthP99.toFixed(1)} ms (target <= 10 ms) ${healthP99 <= 10 ? 'ok' : 'MISSED'}, max ${Math.max(...health.latenciesMs).toFixed(1)} ms`);
    if (totalErrors > 0 || health.failures > 0) process.exitCode = 1;
  } finally {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const [role, url, until] = process.argv.slice(2);
// The load generator shares this machine's cores with the hub; in a deployment it runs
// elsewhere. At nice 10 it stops taking the core the hub's event loop wakes on. The probe,
// which stands for a load balancer's, keeps normal priority (SOAK_CLIENT_NICE=0: all equal).
if (role === 'load') setPriority(Number(process.env.SOAK_CLIENT_NICE ?? 10));
if (role === 'load') loadClients(url!, Number(until), () => process.send!({ warm: true })).then((report) => process.send!(report, () => process.exit(0)));
else if (role === 'probe') probe(url!, Number(until)).then((report) => process.send!(report, () => process.exit(0)));
else
  main().catch((error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  });
