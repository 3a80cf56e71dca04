// F0, chromagram and pitch-shift figures for 60 s of audio, each beside the reference it is
// measured against, run in the same process tree so the load on the machine is shared:
//   node --import tsx bench/pitch-chroma.ts        (or `npm run bench -- pitch-chroma`)
//
// 1. Chromagram (24 kHz, n_fft 1920, hop 480, 24 bins, estimated tuning) vs the numpy
//    re-implementation of librosa's chroma_stft in scripts/reference (Debian's python3-numpy
//    at /usr/bin/python3, timing its own compute). Target ≤ 1.5×.
// 2. F0 (16 kHz, hop 256, 50–1100 Hz) vs the vectorised numpy re-implementation of Praat's
//    "To Pitch (ac)" in scripts/reference/praat-ac-pitch.py (timing its own compute, as the
//    chroma reference does), with the largest difference of the two tracks on frames both
//    call voiced. Target ≤ 1.5×. Praat's own C++ (Debian's praat, timing itself with
//    `stopwatch`), the stricter baseline the numbers come from, is printed beside it.
// 3. Pitch shift by +5 semitones at 24 kHz vs `sox pitch 500` (WSOLA in C; a different,
//    cheaper algorithm than librosa's phase vocoder), and vs the numpy re-implementation.
//    Target ≤ 1.5× of sox. "Ours" is what the hub runs: the audio toolkit's pitchShift with
//    the default configuration's workers, which split a long signal between them (the
//    single-thread function is printed beside it).
// Targets compare wall-clock medians; CPU times of one run are printed too, since on a
// loaded machine wall time mostly measures waiting. Missing tools are reported as not
// measured; the hub itself needs none of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromagram } from '../core/audio/dsp/chroma.ts';
import { estimatePitch } from '../core/audio/dsp/f0.ts';
import { phaseVocoderStretch } from '../core/audio/dsp/phase-vocoder.ts';
import { pitchShift } from '../core/audio/dsp/pitch-shift.ts';
import { makeAudioToolkit } from '../core/audio/make-audio-toolkit.ts';
import { resampleToLength } from '../core/audio/resample.ts';
import { loadConfig } from '../core/config/load-config.ts';
import { sungSignal } from '../test/audio/support/reference-signals.ts';
import { median, medianMs } from './support/timing.ts';

const REPEATS = 5;
const SECONDS = 60;
const REFERENCE_DIR = new URL('../scripts/reference/', import.meta.url).pathname;


/** JIT warm-up runs before the timed ones (the loops reach their optimised code after a few), in-process and in the workers. */
const WARMUPS = 5;
const time = (run: () => unknown) => medianMs(run, { repeats: REPEATS, warmups: WARMUPS });

/** CPU milliseconds of one run of this (single-threaded) process: on a loaded machine wall time mostly measures waiting. */
function cpuTime(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** User + system CPU milliseconds of one run of a command, as bash's `time` reports them. */
function childCpuMs(command: string, args: string[]): number | undefined {
  const result = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; time "$@" > /dev/null', 'bash', command, ...args], { encoding: 'utf8' });
  const [user, sys] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return result.status === 0 && Number.isFinite(user) && Number.isFinite(sys) ? (user! + sys!) * 1000 : undefined;
}

const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

interface NumpyFigures {
  chroma: number;
  chromaCpu: number;
  f0: number;
  f0Cpu: number;
  /** The numpy F0 track of the 16 kHz signal (0 = unvoiced). */
  f0Track: number[];
  shift: number;
}

/** The numpy references timing their own chroma_stft, F0 and pitch_shift (median of REPEATS), or undefined without numpy/torch. */
function numpyTimes(raw24: string, raw16: string): NumpyFigures | undefined {
  const script = `
import importlib, json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
ref = importlib.import_module('pitch-chroma-fixtures')
praat_ac = importlib.import_module('praat-ac-pitch')
x = np.fromfile(sys.argv[2], dtype='<f4')
x16 = np.fromfile(sys.argv[3], dtype='<f4')
def timed(run, repeats, clock=time.perf_counter):
    run()
    times = []
    for _ in range(repeats):
        start = clock(); run(); times.append((clock() - start) * 1000)
    return sorted(times)[len(times) // 2]
chroma = lambda: ref.chroma_stft(x, 24000, 1920, 480, 24)
f0 = lambda: praat_ac.to_pitch_ac(x16, 16000)
print(json.dumps({'chroma': timed(chroma, ${REPEATS}), 'chromaCpu': timed(chroma, 1, time.process_time),
  'f0': timed(f0, ${REPEATS}), 'f0Cpu': timed(f0, 1, time.process_time), 'f0Track': f0()[0].tolist(),
  'shift': timed(lambda: ref.pitch_shift(x, 24000, 5), 1)}))
`;
  const result = spawnSync('/usr/bin/python3', ['-c', script, REFERENCE_DIR, raw24, raw16], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) return undefined;
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as NumpyFigures;
}

/** How far two F0 tracks are apart: frames voiced in one only, and the largest difference where both are voiced. */
function trackAgreement(ours: ArrayLike<number>, theirs: readonly number[]): string {
  if (ours.length !== theirs.length) return `frame counts differ (${ours.length} vs ${theirs.length})`;
  let mismatched = 0, voiced = 0, worstHz = 0, worstRelative = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!, b = theirs[i]!;
    if (a > 0 !== b > 0) mismatched++;
    if (!(a > 0 && b > 0)) continue;
    voiced++;
    worstHz = Math.max(worstHz, Math.abs(a - b));
    worstRelative = Math.max(worstRelative, Math.abs(a / b - 1));
  }
  return `${voiced} frames voiced in both, max difference ${worstHz.toExponential(2)} Hz (${worstRelative.toExponential(2)} relative), ${mismatched} voicing mismatches of ${ours.length}`;
}

/** Praat's "To Pitch (ac)" on the file, timed inside Praat (median of REPEATS), or undefined without praat. */
function praatMs(wav16: string, dir: string): number | undefined {
  if (!hasTool('praat')) return undefined;
  const script = join(dir, 'pitch.praat');
  const lines = ['form P', '  sentence path', 'endform', 'Read from file: path$', 'To Pitch (ac): 0.016, 50, 15, "no", 0.03, 0.6, 0.01, 0.35, 0.14, 1100', 'writeInfoLine: ""', `for i to ${REPEATS}`, '  selectObject: 1', '  stopwatch', '  To Pitch (ac): 0.016, 50, 15, "no", 0.03, 0.6, 0.01, 0.35, 0.14, 1100', '  appendInfoLine: fixed$ (stopwatch * 1000, 3)', 'endfor'];
  writeFileSync(script, lines.join('\n'));
  return median(execFileSync('praat', ['--run', script, wav16], { encoding: 'utf8' }).trim().split('\n').map(Number));
}

function wav16(samples: Float32Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768))), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0), header.writeUInt32LE(36 + data.length, 4), header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16), header.writeUInt16LE(1, 20), header.writeUInt16LE(1, 22), header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28), header.writeUInt16LE(2, 32), header.writeUInt16LE(16, 34), header.write('data', 36), header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const targetLine = (job: string, ours: number, name: string, theirs: number | undefined) =>
  theirs === undefined || !Number.isFinite(theirs)
    ? `${job}: ${ours.toFixed(1)} ms; vs ${name} not measured (${name} unavailable)`
    : `${job} vs ${name}: ${ours.toFixed(1)} vs ${theirs.toFixed(1)} ms = ${(ours / theirs).toFixed(2)}× (target <= 1.5) ${ours / theirs <= 1.5 ? 'ok' : 'MISSED'}`;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-pitch-chroma-'));
  try {
    // A "sung" voice: a harmonic glide with vibrato, a silent gap and an unvoiced noise tail.
    const x16 = sungSignal({ sampleRate: 16000, length: 16000 * SECONDS, f0: 120, f1: 240, seed: 1 });
    const x24 = sungSignal({ sampleRate: 24000, length: 24000 * SECONDS, f0: 120, f1: 240, seed: 1 });
    const raw24 = join(dir, 'x24.f32'), raw16 = join(dir, 'x16.f32'), wavPath = join(dir, 'x16.wav');
    await writeFile(raw24, Buffer.from(x24.buffer));
    await writeFile(raw16, Buffer.from(x16.buffer));
    await writeFile(wavPath, wav16(x16, 16000));

    const chromaMs = await time(() => chromagram(x24, 24000, { nFft: 1920, hop: 480, nChroma: 24 }));
    const f0Ms = await time(() => estimatePitch(x16, 16000));
    const oneThreadMs = await time(() => pitchShift(x24, 24000, 5));
    const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { logLevel: 'silent' } });
    const audio = makeAudioToolkit({ config });
    const shiftMs = await time(() => audio.pitchShift(x24, 24000, 5)).finally(() => audio.close());
    const cpu = {
      chroma: cpuTime(() => chromagram(x24, 24000, { nFft: 1920, hop: 480, nChroma: 24 })),
      f0: cpuTime(() => estimatePitch(x16, 16000)),
      shift: cpuTime(() => pitchShift(x24, 24000, 5)),
    };
    // The pitch shifter's two stages, as pitch-shift.ts runs them: where the time goes.
    const rate = Math.pow(2, -5 / 12);
    const stretched = phaseVocoderStretch(x24, rate);
    const stages = { stretch: cpuTime(() => phaseVocoderStretch(x24, rate)), resample: cpuTime(() => resampleToLength(stretched, Math.round(24000 / rate), 24000, x24.length)) };
    const numpy = numpyTimes(raw24, raw16);
    const track = estimatePitch(x16, 16000);
    const praat = praatMs(wavPath, dir);
    const soxArgs = ['-t', 'f32', '-r', '24000', '-c', '1', raw24, '-t', 'f32', join(dir, 'out.f32'), 'pitch', '500'];
    const soxMs = hasTool('sox') ? await time(() => execFileSync('sox', soxArgs)) : undefined;
    const soxCpu = soxMs === undefined ? undefined : childCpuMs('sox', soxArgs);

    console.log('| job (60 s) | ours | reference |');
    console.log('|---|---|---|');
    console.log(`| chromagram 24 kHz, 1920/480, 24 bins | ${chromaMs.toFixed(1)} ms | numpy ${numpy?.chroma.toFixed(1) ?? '—'} ms |`);
    console.log(`| F0 16 kHz, hop 256, 50–1100 Hz | ${f0Ms.toFixed(1)} ms | numpy ${numpy?.f0.toFixed(1) ?? '—'} ms, Praat ${praat?.toFixed(1) ?? '—'} ms |`);
    console.log(`| pitch shift +5 st, 24 kHz (toolkit, ${config.audio.workers} workers; one thread ${oneThreadMs.toFixed(1)} ms) | ${shiftMs.toFixed(1)} ms | sox pitch ${soxMs?.toFixed(1) ?? '—'} ms, numpy ${numpy?.shift.toFixed(1) ?? '—'} ms |`);
    console.log();
    console.log(targetLine('chromagram 60 s', chromaMs, 'numpy librosa re-implementation', numpy?.chroma));
    console.log(targetLine('F0 60 s', f0Ms, 'numpy Praat-AC re-implementation', numpy?.f0));
    console.log(targetLine('pitch shift 60 s', shiftMs, 'sox pitch', soxMs));
    console.log(`  F0 agreement with numpy: ${numpy ? trackAgreement(track.f0, numpy.f0Track) : 'not measured'}`);
    console.log(`  F0 vs Praat's own C++ (informational, not the target): ${praat === undefined ? 'praat unavailable' : `${f0Ms.toFixed(1)} vs ${praat.toFixed(1)} ms = ${(f0Ms / praat).toFixed(2)}×`}`);
    console.log(`CPU time of one run (robust to load): chromagram ${cpu.chroma.toFixed(0)} ms (numpy ${numpy?.chromaCpu.toFixed(0) ?? '—'} ms), F0 ${cpu.f0.toFixed(0)} ms (numpy ${numpy?.f0Cpu.toFixed(0) ?? '—'} ms), pitch shift ${cpu.shift.toFixed(0)} ms`);
    console.log(`  pitch shift CPU by stage: phase vocoder ${stages.stretch.toFixed(0)} ms, resample ${stages.resample.toFixed(0)} ms; sox pitch CPU (user + sys) ${soxCpu?.toFixed(0) ?? '—'} ms`);
    console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores; Praat may use several threads)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
