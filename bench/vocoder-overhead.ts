// What the hub costs around a model, measured on the vocoder path (all ratios in one run):
//   npm run bench -- vocoder        (it starts node with the hub's own flags, from package.json;
//   by hand: node --initial-old-space-size=128 --import tsx bench/vocoder-overhead.ts)
//
// 1. Overhead: 10 s of audio through POST /api/vocoder/hifigan over HTTP, end to end, divided
//    by the same decode → mel → generator → encode called in-process with the same services
//    (ratio of medians; target ≤ 1.05).
// 2. Concurrency: 8 clients at once: throughput, p50/p99 latency, and the hub's event-loop
//    delay meanwhile against the idle floor measured in this run over as long a time
//    (target: p99 within 2 ms and max within 5 ms of the floor's). BENCH_PROFILE=file.cpuprofile
//    writes a CPU profile of the hub's main thread during this phase (open it in Chrome's
//    DevTools) to find what runs there.
// 3. Chain: GET /api/health requests per second through the whole chain (request id, access
//    log, scope, headers, CORS, weight states) divided by a bare express handler's answering
//    the same body (median of alternating rounds; target ≥ 0.9). The bare server runs in a
//    process of its own: in the hub's process it shared express's code with the hub, whose
//    requests (other shapes, other routes) made that code slower for it too, by a varying
//    amount (its CPU per request moved between 143 and 198 µs from run to run).
//
// Clients run in a child process (this file, forked with `client`) at nice 10, so the hub's
// event loop carries only the hub and the load generator does not take the core it wakes on.
// The generator is the smoke graph unless BENCH_HIFIGAN_DIR names a folder with a real
// generator.onnx (+ config.json), e.g. from plugins/hifigan/export.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import express from 'express';
import { startHub, type Hub } from '../core/hub.ts';
import type { PluginRuntime } from '../core/plugin/runtime.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';
import { DEFAULT_HIFIGAN_FAMILY } from '../plugins/hifigan/families.ts';
import { DEFAULT_CHUNKING, vocodeInPieces } from '../plugins/mel-vocoder/chunking.ts';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = 10;
const SEQUENTIAL_CALLS = 25;
const IDLE_MS = 2000;
const CLIENTS = 8;
const CONCURRENT_REQUESTS = 48;
const HEALTH_CONNECTIONS = 16;
const HEALTH_MS = 2000;
const HEALTH_ROUNDS = 5;
const DEV_KEY = 'amphion-dev-key-change-in-production';
/** The client process's nice value (BENCH_CLIENT_NICE=0 to compete with the hub as an equal). */
const CLIENT_NICE = 10;
/** BENCH_PHASES=3 (or 1,2 ...) runs only those phases, e.g. while working on one figure. */
const phases = new Set((process.env.BENCH_PHASES ?? '1,2,3').split(',').map(Number));

/** The main thread's CPU time and run-queue wait so far, in ms (Linux; undefined elsewhere). */
function mainThreadSched(): { cpuMs: number; waitMs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { cpuMs: cpu! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return undefined;
  }
}

type ClientJob =
  | { kind: 'vocode'; url: string; wavPath: string; clients: number; requests: number }
  | { kind: 'health'; url: string; connections: number; durationMs: number };

interface ClientReport {
  latenciesMs: number[];
  wallMs: number;
  errors: string[];
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
/** Event-loop delay in ms, less the histogram's own sampling interval (it counts as delay). */
const loopDelay = (h: IntervalHistogram) => ({ p99: h.percentile(99) / 1e6 - 1, max: h.max / 1e6 - 1 });

/** A CPU profile of this process (the hub's main thread), written where `stop` is told. */
async function startProfile(): Promise<{ stop: (path: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

// ── The client side (child process) ──────────────────────────────────────────────────────

/**
 * A lean client, as a program calling the hub in a loop would be written: the multipart body
 * is built once and posted with node:http over keep-alive connections. (fetch with a new
 * FormData per call cost the client about 3 ms of its own per call, which the transport floor
 * below then counted as the transport's.)
 */
async function vocodeClients(job: Extract<ClientJob, { kind: 'vocode' }>): Promise<ClientReport> {
  const { readFile } = await import('node:fs/promises');
  const boundary = `----hub-bench-${process.pid}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="speech.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
    await readFile(job.wavPath),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length), 'x-api-key': DEV_KEY };
  const post = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(job.url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: res.statusCode === 200 ? '' : Buffer.concat(chunks).toString().slice(0, 200) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      while (next < job.requests) {
        next++;
        const t = performance.now();
        const { status, text } = await post();
        if (status === 200) latenciesMs.push(performance.now() - t);
        else errors.push(`${status} ${text}`);
      }
    }),
  );
  agent.destroy();
  return { latenciesMs, wallMs: performance.now() - started, errors };
}

async function healthClients(job: Extract<ClientJob, { kind: 'health' }>): Promise<ClientReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  const get = () =>
    new Promise<number>((resolve, reject) => {
      http.get(job.url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
  const started = performance.now();
  const until = started + job.durationMs;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const status = await get();
        if (status === 200) latenciesMs.push(performance.now() - t);
        else errors.push(String(status));
      }
    }),
  );
  agent.destroy();
  return { latenciesMs, wallMs: performance.now() - started, errors };
}

/** One long-lived client process: jobs go in one at a time, reports come back. */
function startClientProcess(): { run: (job: ClientJob) => Promise<ClientReport>; stop: () => void } {
  const child = fork(import.meta.filename, ['client'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let pending: { resolve: (report: ClientReport) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (report) => pending?.resolve(report as ClientReport));
  child.once('exit', (code) => pending?.reject(new Error(`client process exited with ${code}`)));
  return {
    run: (job) =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send(job);
      }),
    stop: () => child.kill(),
  };
}

// ── The hub side ─────────────────────────────────────────────────────────────────────────

/** decode → mel → generator (in the same pieces the plugin uses) → encode, in-process. */
async function vocodeInProcess(runtime: PluginRuntime, wavPath: string): Promise<number> {
  const ctx = runtime.contextFor('hifigan', { signal: new AbortController().signal, requestId: 'bench' });
  const mel = DEFAULT_HIFIGAN_FAMILY.mel;
  const started = performance.now();
  const { mel: features } = await ctx.audio.decodeMel({ path: wavPath, format: 'wav', field: 'audio', limitClass: 'content' }, mel, { minSamples: mel.hop });
  const [nMels, frames] = features!.dims;
  const audio = await vocodeInPieces({ data: features!.data, nMels, frames }, { ...DEFAULT_CHUNKING, hop: mel.hop }, async (piece) => {
    const out = await ctx.graphs.generator!.run({ mel: { type: 'float32', data: piece.data, dims: [1, piece.nMels, piece.frames] } });
    return out.audio!.data as Float32Array;
  });
  await ctx.audio.encode(audio, mel.sampleRate, 'wav');
  return performance.now() - started;
}

/**
 * The transport alone: a bare node server that reads the same upload and answers as many
 * bytes as the hub's WAV, so the HTTP path's floor (client, sockets, both copies) is measured
 * in the same run as the ratio it limits.
 */
async function startEchoServer(answerBytes: number): Promise<{ url: string; close: () => Promise<void> }> {
  const answer = Buffer.alloc(answerBytes, 1);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'audio/wav' }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/echo`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface BareServer {
  readonly url: string;
  /** The bare process's CPU time so far, µs. */
  cpuUs(): Promise<number>;
  close(): void;
}

/** Bare express answering `body` on GET /api/health, in a process of its own (this file, forked with `bare`). */
async function startBareExpress(body: unknown): Promise<BareServer> {
  const child = fork(import.meta.filename, ['bare'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = <T>() => new Promise<T>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`bare express exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (message) => {
      child.off('exit', exited); // one listener per question would pass node's limit of 10
      resolve(message as T);
    });
  });
  const started = reply<{ port: number }>();
  child.send({ body });
  const { port } = await started;
  return {
    url: `http://127.0.0.1:${port}/api/health`,
    cpuUs: async () => {
      const answer = reply<{ cpuUs: number }>();
      child.send('cpu');
      return (await answer).cpuUs;
    },
    close: () => child.kill(),
  };
}

function serveBare(): void {
  process.once('message', async ({ body }: { body: unknown }) => {
    const app = express();
    app.get('/api/health', (_req, res) => {
      res.json(body);
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.on('message', () => {
      const used = process.cpuUsage();
      process.send!({ cpuUs: used.user + used.system });
    });
    process.send!({ port: (server.address() as AddressInfo).port });
  });
  process.once('disconnect', () => process.exit(0));
}

async function prepareWeights(hub: Hub): Promise<string> {
  const real = process.env.BENCH_HIFIGAN_DIR;
  if (real) {
    await cp(real, join(hub.config.dataDir, 'models', 'hifigan'), { recursive: true });
    return `real graph from ${real}`;
  }
  const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
  await installSmokeGraphs(hub.config.dataDir, plugins.filter((p) => p.decl.name === 'hifigan'));
  return 'smoke graph';
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-vocoder-'));
  const hub = await startHub({
    overrides: {
      server: { port: 0, host: '127.0.0.1' },
      dataDir,
      logLevel: 'warn',
      rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 },
    },
    // Development mode: the dev key authenticates the clients, as in the README's quick start.
    env: { NODE_ENV: 'development' },
  });
  try {
    const graph = await prepareWeights(hub);
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const wavPath = join(dataDir, 'speech.wav');
    // A 10 s, 22.05 kHz, 16-bit mono file: no resampling on either path.
    await writeFile(wavPath, wavBytes(sine({ seconds: SECONDS, sampleRate: 22050, frequency: 220 }), 22050));
    const vocodeUrl = `${hub.url}/api/vocoder/hifigan`;
    console.log(`vocoder overhead bench: ${SECONDS} s input, hifigan ${graph}, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}, client nice ${process.env.BENCH_CLIENT_NICE ?? CLIENT_NICE}`);
    const clients = startClientProcess();
    try {
      // Warm both paths and every worker the concurrent phase will use (pools, sessions, JIT).
      if (phases.has(1) || phases.has(2)) {
        await clients.run({ kind: 'vocode', url: vocodeUrl, wavPath, clients: CLIENTS, requests: 2 * CLIENTS });
        for (let i = 0; i < 3; i++) await vocodeInProcess(runtime, wavPath);
      }

      if (phases.has(1)) {
        // 1. overhead, one call of each path in turn, so drift and neighbours hit both alike
        const overHttp: number[] = [];
        const inProcess: number[] = [];
        const transport: number[] = [];
        const echo = await startEchoServer(44 + 2 * SECONDS * 22050);
        try {
          for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
            const report = await clients.run({ kind: 'vocode', url: vocodeUrl, wavPath, clients: 1, requests: 1 });
            if (report.errors.length) throw new Error(`vocode over HTTP failed: ${report.errors[0]}`);
            overHttp.push(...report.latenciesMs);
            inProcess.push(await vocodeInProcess(runtime, wavPath));
            transport.push(...(await clients.run({ kind: 'vocode', url: echo.url, wavPath, clients: 1, requests: 1 })).latenciesMs);
          }
        } finally {
          await echo.close();
        }
        const ratio = quantile(overHttp, 0.5) / quantile(inProcess, 0.5);
        const floor = (quantile(inProcess, 0.5) + quantile(transport, 0.5)) / quantile(inProcess, 0.5);
        console.log(`1. overhead (${SEQUENTIAL_CALLS} calls each): HTTP p50 ${ms(quantile(overHttp, 0.5))} (p90 ${ms(quantile(overHttp, 0.9))}), in-process p50 ${ms(quantile(inProcess, 0.5))} (p90 ${ms(quantile(inProcess, 0.9))})`);
        console.log(`   ratio of p50s ${ratio.toFixed(3)} (target <= 1.05) ${ratio <= 1.05 ? 'ok' : 'MISSED'}`);
        console.log(`   the same upload and answer through a bare node server: p50 ${ms(quantile(transport, 0.5))}, so the transport alone puts the ratio at ${floor.toFixed(3)}; the hub adds ${ms(quantile(overHttp, 0.5) - quantile(inProcess, 0.5) - quantile(transport, 0.5))} beyond it`);
      }

      if (phases.has(2)) {
        // 2. concurrency
        const profile = process.env.BENCH_PROFILE ? await startProfile() : undefined;
        const delay = monitorEventLoopDelay({ resolution: 1 });
        const schedBefore = mainThreadSched();
        delay.enable();
        const load = await clients.run({ kind: 'vocode', url: vocodeUrl, wavPath, clients: CLIENTS, requests: CONCURRENT_REQUESTS });
        delay.disable();
        const schedAfter = mainThreadSched();
        if (profile) await profile.stop(process.env.BENCH_PROFILE!);
        // The machine's own noise over as long a time: this process's event-loop delay doing nothing.
        const idle = monitorEventLoopDelay({ resolution: 1 });
        idle.enable();
        await new Promise((resolve) => setTimeout(resolve, Math.max(IDLE_MS, load.wallMs)));
        idle.disable();
        if (load.errors.length) console.log(`   ${load.errors.length} failed calls, first: ${load.errors[0]}`);
        const throughput = load.latenciesMs.length / (load.wallMs / 1000);
        console.log(
          `2. ${CLIENTS} clients, ${load.latenciesMs.length} calls: ${throughput.toFixed(2)} calls/s (${(throughput * SECONDS).toFixed(1)} s of audio per s), ` +
            `p50 ${ms(quantile(load.latenciesMs, 0.5))}, p99 ${ms(quantile(load.latenciesMs, 0.99))}`,
        );
        const [busy, floor] = [loopDelay(delay), loopDelay(idle)];
        const overP99 = busy.p99 - floor.p99, overMax = busy.max - floor.max;
        console.log(`   event-loop delay p99 ${ms(busy.p99)}, max ${ms(busy.max)}; idle floor of this run p99 ${ms(floor.p99)}, max ${ms(floor.max)}`);
        if (schedBefore && schedAfter) {
          const calls = Math.max(1, load.latenciesMs.length);
          console.log(`   the hub's main thread: ${((schedAfter.cpuMs - schedBefore.cpuMs) / calls).toFixed(2)} ms of CPU per call, ${((schedAfter.waitMs - schedBefore.waitMs) / calls).toFixed(2)} ms per call waiting for a core`);
        }
        console.log(`   above the floor: p99 +${ms(overP99)} (target <= 2 ms), max +${ms(overMax)} (target <= 5 ms) ${overP99 <= 2 && overMax <= 5 ? 'ok' : 'MISSED'}`);
      }

      if (phases.has(3)) {
        // 3. chain cost on the cheapest route, against the same answer from bare express
        const body = await (await fetch(`${hub.url}/api/health`)).json();
        const bare = await startBareExpress(body);
        try {
          const rps = { hub: [] as number[], bare: [] as number[] };
          // CPU time the serving process spends per request: unlike req/s,
          // barely moved by neighbours on a shared machine.
          const cpuUs = { hub: [] as number[], bare: [] as number[] };
          for (let round = 0; round < HEALTH_ROUNDS; round++) {
            for (const [name, url] of [['bare', bare.url], ['hub', `${hub.url}/api/health`]] as const) {
              const serverCpuUs = async () => (name === 'bare' ? await bare.cpuUs() : (({ user, system }) => user + system)(process.cpuUsage()));
              const cpuBefore = await serverCpuUs();
              const report = await clients.run({ kind: 'health', url, connections: HEALTH_CONNECTIONS, durationMs: HEALTH_MS });
              const cpuUsed = (await serverCpuUs()) - cpuBefore;
              if (report.errors.length) throw new Error(`${name} /api/health failed: ${report.errors[0]}`);
              rps[name].push(report.latenciesMs.length / (report.wallMs / 1000));
              cpuUs[name].push(cpuUsed / report.latenciesMs.length);
            }
          }
          const hubRps = quantile(rps.hub, 0.5);
          const bareRps = quantile(rps.bare, 0.5);
          // Each hub round against the bare round just before it, so the machine's drift cancels.
          const ratio = quantile(rps.hub.map((hub, i) => hub / rps.bare[i]!), 0.5);
          console.log(`3. /api/health: hub ${hubRps.toFixed(0)} req/s, bare express ${bareRps.toFixed(0)} req/s (${HEALTH_CONNECTIONS} keep-alive connections, ${HEALTH_ROUNDS} alternating rounds)`);
          console.log(`   ratio (median of the rounds' ratios) ${ratio.toFixed(3)} (target >= 0.9) ${ratio >= 0.9 ? 'ok' : 'MISSED'}`);
          const [hubCpu, bareCpu] = [quantile(cpuUs.hub, 0.5), quantile(cpuUs.bare, 0.5)];
          console.log(`   server CPU per request: hub ${hubCpu.toFixed(0)} µs, bare express ${bareCpu.toFixed(0)} µs; bare/hub ${(bareCpu / hubCpu).toFixed(3)} (the same ratio, less exposed to the machine's load)`);
        } finally {
          bare.close();
        }
      }
    } finally {
      clients.stop();
    }
  } finally {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'bare') {
  serveBare();
} else if (process.argv[2] === 'client') {
  // The load generator shares this machine's two cores with the hub; in a deployment it runs
  // elsewhere. Below the hub's priority, it stops taking the core the hub's event loop wakes on.
  setPriority(Number(process.env.BENCH_CLIENT_NICE ?? CLIENT_NICE));
  process.on('message', async (job: ClientJob) => {
    process.send!(job.kind === 'vocode' ? await vocodeClients(job) : await healthClients(job));
  });
  process.once('disconnect', () => process.exit(0));
} else {
  await main();
}
