// Audio toolkit figures (all in one run, medians of several repeats):
//   node --import tsx bench/audio.ts        (or `npm run bench -- audio`)
//
// 1. Decode 60 s of 44.1 kHz stereo MP3 (mpg123 in WASM) vs Debian ffmpeg decoding the same file.
// 2. Resample 60 s mono 44.1 kHz → 24 kHz (torchaudio's numbers) vs Debian sox (target ≤ 1.5×), and
//    its largest difference from torchaudio.functional.resample on the same signal (target ≤ 1e-4;
//    needs Debian's python3-torchaudio at /usr/bin/python3).
// 3. Log-mel of 60 s in three published conventions (vocoder 22.05 kHz/80, 24 kHz/128 with
//    n_fft 1920, Whisper 16 kHz/80 with n_fft 400) and the stacked Kaldi fbank.
// 4. Fast Griffin-Lim (32 iterations, momentum 0.99) of 10 s at 22.05 kHz.
// 5. Event-loop delay on the main thread while the worker pool decodes + mels 60 s four times
//    at once (target max < 20 ms), the same work on the event loop for contrast, and the
//    idle baseline (on a shared, loaded machine the scheduler alone causes tens of ms).
// ffmpeg and sox are installed with apt-get when missing (bench-only; the hub never needs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioBytes } from '../core/audio/decode/decode-audio.ts';
import { griffinLim } from '../core/audio/dsp/griffin-lim.ts';
import { stackedFbank } from '../core/audio/dsp/kaldi-fbank.ts';
import { melSpectrogram } from '../core/audio/dsp/mel-spectrogram.ts';
import { spectrogram } from '../core/audio/dsp/stft.ts';
import { encodeMp3 } from '../core/audio/encode/mp3-encoder.ts';
import { makeAudioToolkit } from '../core/audio/make-audio-toolkit.ts';
import { resample } from '../core/audio/resample.ts';
import { loadConfig } from '../core/config/load-config.ts';
import { medianMs } from './support/timing.ts';

const REPEATS = 5;
const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { logLevel: 'silent' } });

/** Speech-like test audio: a gliding harmonic voice, syllable envelope, a little noise. */
function voiceLike(sampleRate: number, seconds: number, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  let state = seed, phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 3 * t));
    state = (1664525 * state + 1013904223) >>> 0;
    out[i] = 0.25 * syllable * v + 0.01 * (state / 2147483648 - 1);
  }
  return out;
}

/** One warm-up (JIT, WASM compilation), then the median of `repeats`. */
const time = (run: () => unknown, repeats = REPEATS) => medianMs(run, { repeats });

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Which of ffmpeg and sox are there, after trying to install the missing ones. */
function ensureTools(): { ffmpeg: boolean; sox: boolean } {
  const missing = ['ffmpeg', 'sox'].filter((tool) => !hasTool(tool));
  if (missing.length) {
    console.log(`installing ${missing.join(' and ')} with apt-get (bench only) ...`);
    const install = `flock /tmp/apt.lock apt-get install -y ${missing.join(' ')} >/dev/null 2>&1`;
    spawnSync('sh', ['-c', `${install} || (apt-get update >/dev/null 2>&1 && ${install})`], { stdio: 'inherit' });
  }
  return { ffmpeg: hasTool('ffmpeg'), sox: hasTool('sox') };
}

const rows: string[][] = [];
const targets: string[] = [];

/** Largest |ours − torchaudio.functional.resample| over the signal, or undefined without torch. */
function torchaudioError(signal: Float32Array, rawPath: string, outPath: string): number | undefined {
  const script = [
    'import sys, numpy, torch, torchaudio',
    'x = torch.from_numpy(numpy.fromfile(sys.argv[1], dtype="<f4"))',
    'torchaudio.functional.resample(x[None], 44100, 24000)[0].numpy().astype("<f4").tofile(sys.argv[2])',
  ].join('\n');
  if (spawnSync('/usr/bin/python3', ['-c', script, rawPath, outPath]).status !== 0) return undefined;
  const reference = new Float32Array(new Uint8Array(readFileSync(outPath)).buffer);
  const ours = resample(signal, 44100, 24000);
  if (ours.length !== reference.length) return Infinity;
  let max = 0;
  for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - reference[i]!));
  return max;
}
function report(job: string, ms: number, audioSeconds: number, reference?: { name: string; ms: number }): void {
  rows.push([job, `${ms.toFixed(1)} ms`, `RTF ${(ms / 1000 / audioSeconds).toFixed(4)}`, reference ? `${reference.name} ${reference.ms.toFixed(1)} ms → ours/${reference.name} ${(ms / reference.ms).toFixed(2)}×` : '']);
}

const dir = await mkdtemp(join(tmpdir(), 'bench-audio-'));
try {
  const tools = ensureTools();
  const left = voiceLike(44100, 60, 1), right = voiceLike(44100, 60, 2);
  const mp3 = await encodeMp3([left, right], 44100, { bitrate: 128 });
  const mp3Path = join(dir, 'speech.mp3');
  await writeFile(mp3Path, mp3);
  const rawPath = join(dir, 'speech.f32');
  await writeFile(rawPath, new Uint8Array(left.buffer));

  // 1. decode
  const decodeMs = await time(() => decodeAudioBytes(mp3, { format: 'mp3', field: 'audio', maxSeconds: 600, mono: false }));
  const ffmpegMs = tools.ffmpeg ? await time(() => execFileSync('ffmpeg', ['-v', 'error', '-i', mp3Path, '-f', 'f32le', '-y', '/dev/null'])) : NaN;
  report('decode 60 s MP3 (44.1 kHz stereo, 128 kbit/s)', decodeMs, 60, tools.ffmpeg ? { name: 'ffmpeg', ms: ffmpegMs } : undefined);

  // 2. resample
  const resampleMs = await time(() => resample(left, 44100, 24000));
  const soxMs = tools.sox ? await time(() => execFileSync('sox', ['-t', 'f32', '-r', '44100', '-c', '1', rawPath, '-t', 'f32', '-r', '24000', join(dir, 'out.f32')])) : NaN;
  report('resample 60 s mono 44.1 → 24 kHz (torchaudio sinc_interp_hann, width 6, rolloff 0.99)', resampleMs, 60, tools.sox ? { name: 'sox', ms: soxMs } : undefined);
  const resampleRatio = resampleMs / soxMs;
  const fidelity = torchaudioError(left, rawPath, join(dir, 'torchaudio.f32'));
  targets.push(
    tools.sox
      ? `resample 60 s mono 44.1 → 24 kHz vs sox: ${resampleMs.toFixed(1)} vs ${soxMs.toFixed(1)} ms = ${resampleRatio.toFixed(2)}× (target <= 1.5) ${resampleRatio <= 1.5 ? 'ok' : 'MISSED'}`
      : `resample 60 s mono 44.1 → 24 kHz: ${resampleMs.toFixed(1)} ms; vs sox not measured (no sox)`,
    fidelity === undefined
      ? 'resample max abs difference from torchaudio.functional.resample: not measured (no /usr/bin/python3 with torchaudio)'
      : `resample max abs difference from torchaudio.functional.resample (60 s, 44.1 → 24 kHz): ${fidelity.toExponential(2)} (target <= 1e-4) ${fidelity <= 1e-4 ? 'ok' : 'MISSED'}`,
  );

  // 3. features
  const s22 = resample(left, 44100, 22050), s24 = resample(left, 44100, 24000), s16 = resample(left, 44100, 16000);
  const vocoderMel = { nFft: 1024, hop: 256, center: false, pad: 384, magnitudeEpsilon: 1e-9, sampleRate: 22050, nMels: 80, fMax: 8000, log: { type: 'ln', floor: 1e-5 } } as const;
  report('log-mel 60 s, 22.05 kHz, n_fft 1024, hop 256, 80 mels', await time(() => melSpectrogram(s22, vocoderMel)), 60);
  const amphionMel = { nFft: 1920, hop: 480, center: false, pad: 720, magnitudeEpsilon: 1e-9, sampleRate: 24000, nMels: 128, fMax: 12000, log: { type: 'ln', floor: 1e-5 } } as const;
  report('log-mel 60 s, 24 kHz, n_fft 1920, hop 480, 128 mels', await time(() => melSpectrogram(s24, amphionMel)), 60);
  const whisperMel = { nFft: 400, hop: 160, sampleRate: 16000, nMels: 80, power: 2, dropLastFrame: true, log: { type: 'log10', floor: 1e-10, dynamicRange: 8, offset: 4, scale: 0.25 } } as const;
  report('log-mel 60 s, 16 kHz, n_fft 400, hop 160, 80 mels (log10, Whisper-style)', await time(() => melSpectrogram(s16, whisperMel)), 60);
  report('stacked Kaldi fbank 60 s, 16 kHz, 80 bins → 160', await time(() => stackedFbank(s16, { sampleRate: 16000, numMelBins: 80, stack: 2 })), 60);

  // 4. Griffin-Lim
  const ten = s22.subarray(0, 220500);
  const magnitude = spectrogram(ten, { nFft: 1024, hop: 256 });
  report('Griffin-Lim 10 s, 22.05 kHz, n_fft 1024, 32 it, momentum 0.99', await time(() => griffinLim(magnitude, { nFft: 1024, hop: 256, iterations: 32, momentum: 0.99, length: ten.length }), 3), 10);

  // 5. event-loop delay, as the lateness of a 1 ms interval timer (perf_hooks'
  // monitorEventLoopDelay missed synchronous blocks of several hundred ms in this setup).
  const watchLoop = async (work: () => Promise<unknown>) => {
    const lateness: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      lateness.push(Math.max(0, now - last - 1));
      last = now;
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = performance.now();
    await work();
    const wall = performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(ticker);
    const sorted = lateness.sort((a, b) => a - b);
    return { maxMs: sorted.at(-1) ?? 0, p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0, wall };
  };
  const loopDelay = async (workers: number) => {
    const audio = makeAudioToolkit({ config: { ...config, audio: { ...config.audio, workers } } });
    const job = async () => {
      const pcm = await audio.decode({ path: mp3Path, format: 'mp3', field: 'audio' }, { sampleRate: 24000 });
      return audio.melSpectrogram(pcm.channels[0]!, amphionMel);
    };
    await Promise.all([job(), job()]); // start the workers and warm them
    const result = await watchLoop(() => Promise.all([job(), job(), job(), job()]));
    await audio.close();
    return result;
  };
  const pooled = await loopDelay(config.audio.workers);
  const inline = await loopDelay(0);
  // The same measurement with nothing to do: what the machine's own scheduling costs.
  const idle = await watchLoop(() => new Promise((resolve) => setTimeout(resolve, pooled.wall)));

  console.log('| job | median | real-time factor | reference |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log();
  for (const line of targets) console.log(line);
  console.log(`event-loop delay while ${config.audio.workers} workers decode + mel 4 × 60 s MP3: max ${pooled.maxMs.toFixed(1)} ms, p99 ${pooled.p99Ms.toFixed(1)} ms (wall ${pooled.wall.toFixed(0)} ms; target max < 20 ms)`);
  console.log(`same work on the event loop (workers: 0), for contrast: max ${inline.maxMs.toFixed(1)} ms (wall ${inline.wall.toFixed(0)} ms)`);
  console.log(`idle baseline over the same time: max ${idle.maxMs.toFixed(1)} ms, p99 ${idle.p99Ms.toFixed(1)} ms (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
