// VevoSing's route time by stage, and what its singing front end costs:
//   node --import tsx bench/vevosing.ts        (or `npm run bench -- vevosing`)
//
// POST /api/svc/vevosing over HTTP on smoke graphs (10 s of "sung" content, 5 s reference):
// mode=fm with and without use_shifted_src, and mode=ar (recognition-synthesis), stages read from
// the route's Server-Timing header. Then the front end's pieces on the same clips through the
// hub's audio toolkit (worker threads): F0 of both clips, the pitch shift, the chromagram, and
// Whisper's log-mel of one 30 s window. Smoke graphs compute little, so the graph stages here
// are the hub's own share; with real weights the Whisper encoder and the FM dominate.
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '../core/hub.ts';
import type { PluginRuntime } from '../core/plugin/runtime.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { wavBytes } from '../test/support/wav.ts';
import { windowMel } from '../plugins/whisper-encoder/features.ts';
import { VEVOSING } from '../plugins/vevosing/settings.ts';
import { median, medianMs } from './support/timing.ts';

const ROOT = join(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_VEVOSING_CALLS ?? 3);
const DEV_KEY = 'amphion-dev-key-change-in-production';


/** A melody: notes of 0.5 s stepping through a scale around `base` Hz, with vibrato. */
function melody(seconds: number, rate: number, base: number): Float32Array {
  const steps = [0, 2, 4, 5, 7, 5, 4, 2];
  let phase = 0;
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => {
    const t = i / rate;
    const f = base * 2 ** (steps[Math.floor(t * 2) % steps.length]! / 12) * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
    phase += (2 * Math.PI * f) / rate;
    return 0.3 * Math.sin(phase) + 0.1 * Math.sin(2 * phase);
  });
}

async function call(url: string, fields: Record<string, string | number | boolean>, content: Blob, reference: Blob) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, String(v));
  body.set('content_audio', content, 'content.wav');
  body.set('reference_audio', reference, 'reference.wav');
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', body, headers: { 'X-API-Key': DEV_KEY } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${res.status}`);
  const ms = performance.now() - started;
  const stages = Object.fromEntries((res.headers.get('server-timing') ?? '').split(', ').map((s) => s.split(';dur=')).map(([k, v]) => [k!, Number(v)]));
  return { ms, stages, shift: res.headers.get('x-shift-semitones') };
}

const timed = (work: () => Promise<unknown>) => medianMs(work, { repeats: CALLS, warmups: 0 });

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-vevosing-'));
  const hub = await startHub({
    overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'warn', rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } },
    env: { NODE_ENV: 'development' },
  });
  try {
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.config.dataDir, plugins.filter((p) => p.decl.name === 'vevosing'));
    const content = melody(10, 24000, 196);
    const reference = melody(5, 24000, 330);
    const [contentBlob, referenceBlob] = [new Blob([wavBytes(content, 24000)]), new Blob([wavBytes(reference, 24000)])];
    const url = `${hub.url}/api/svc/vevosing`;
    console.log(`vevosing bench: 10 s content, 5 s reference, 8 FM steps, smoke graphs, ${CALLS} calls each, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    const runs = {
      'fm, use_shifted_src': { mode: 'fm', flow_matching_steps: 8, seed: 1 },
      'fm, unshifted': { mode: 'fm', use_shifted_src: false, flow_matching_steps: 8, seed: 1 },
      'ar, 16 tokens': { mode: 'ar', text: 'la la la la', reference_text: 'la la', max_new_tokens: 16, flow_matching_steps: 8, seed: 1 },
    };
    for (const [label, fields] of Object.entries(runs)) {
      await call(url, fields, contentBlob, referenceBlob);
      const results: Awaited<ReturnType<typeof call>>[] = [];
      for (let i = 0; i < CALLS; i++) results.push(await call(url, fields, contentBlob, referenceBlob));
      const stages = Object.keys(results[0]!.stages).map((k) => `${k} ${median(results.map((r) => r.stages[k]!)).toFixed(0)} ms`);
      console.log(`${label}: route p50 ${median(results.map((r) => r.ms)).toFixed(0)} ms (${stages.join(', ')}), shift ${results[0]!.shift} semitones`);
    }

    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const ctx = runtime.contextFor('vevosing', { signal: new AbortController().signal, requestId: 'bench' });
    const [c16, r16] = [await ctx.audio.resample(content, 24000, 16000), await ctx.audio.resample(reference, 24000, 16000)];
    const { sampleRate, hop, fmin, fmax } = VEVOSING.f0;
    const f0 = await timed(() => Promise.all([ctx.audio.pitch(c16, sampleRate, { hop, fmin, fmax }), ctx.audio.pitch(r16, sampleRate, { hop, fmin, fmax })]));
    const shift = await timed(() => ctx.audio.pitchShift(content, 24000, 9));
    const { nFft, winLength, nChroma } = VEVOSING.chroma;
    const chroma = await timed(() => ctx.audio.chroma(content, 24000, { nFft, hop: VEVOSING.chroma.hop, winLength, nChroma }));
    const mel = await timed(() => windowMel(ctx.audio, c16, 80));
    console.log(`front end (10 s content, p50): F0 of both clips ${f0.toFixed(0)} ms, pitch shift ${shift.toFixed(0)} ms, chromagram ${chroma.toFixed(0)} ms, Whisper log-mel of a 30 s window ${mel.toFixed(0)} ms`);
  } finally {
    await hub.close();
  }
}

await main();
