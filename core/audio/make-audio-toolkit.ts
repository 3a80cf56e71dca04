// The audio toolkit: the `AudioToolkit` methods, each posting a job to the worker pool.
// Limits come from the configuration (upload-class durations, pool size).
import type { HubConfig } from '../config/load-config.ts';
import { errors, isHubError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { DecodeRequest } from './decode/decode-audio.ts';
import { denseFilterbank, melFilterbank } from './dsp/mel-filterbank.ts';
import { pitchShiftParts } from './dsp/pitch-shift-parts.ts';
import { CONTENT_TYPES, DECODABLE_FORMATS, ENCODE_FORMATS, type EncodeFormat } from './formats.ts';
import { assertNotMoved, markMoved, movableBuffer } from './moved-bytes.ts';
import { createWavStream } from './encode/wav-writer.ts';
import type { AudioToolkit, DecodeOptions, Pcm } from './toolkit.ts';
import { JobTimeoutError, makeWorkerPool, WorkerCrashError, type WorkerPool } from './worker-pool.ts';

export interface AudioService extends AudioToolkit {
  /** Stops the workers (container disposal). */
  close(): Promise<void>;
  readonly pool: WorkerPool;
}

/** Posting a view of a bigger buffer would clone the whole buffer: send a compact copy. */
const compact = (a: Float32Array): Float32Array => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice());
/** One copy every worker reads in place: posting it shares the memory instead of cloning it per job. */
const shared = (a: Float32Array): Float32Array => {
  const copy = new Float32Array(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
};
const asChannels = (audio: Float32Array | readonly Float32Array[]): Float32Array[] => (audio instanceof Float32Array ? [compact(audio)] : audio.map(compact));

export function makeAudioToolkit(deps: { config: HubConfig; logger?: Logger }): AudioService {
  const settings = deps.config.audio;
  const pool = makeWorkerPool({ size: settings.workers, maxQueue: settings.maxQueue, jobTimeoutMs: settings.jobTimeoutSeconds * 1000, logger: deps.logger });
  // Outside tests, load the workers at boot (each takes ~0.3–1 s to load its modules).
  if (deps.config.env !== 'test') pool.warm();
  const classes = deps.config.uploads.classes;

  const requestFor = (format: string, field: string, limitClass: 'content' | 'reference' | undefined, options: DecodeOptions): DecodeRequest => {
    const classLimit = classes[limitClass ?? 'content'].maxSeconds;
    return {
      format, field, limitClass: limitClass ?? 'content', mono: options.mono ?? true, sampleRate: options.sampleRate,
      maxSeconds: Math.min(classLimit, options.maxSeconds ?? classLimit),
    };
  };

  /** Timeouts and crashes while decoding are the file's fault: 400 naming the field. */
  const decodeFailure = (field: string) => (error: unknown): never => {
    if (isHubError(error)) throw error;
    if (error instanceof JobTimeoutError) throw errors.badAudio(field, `decoding did not finish within ${settings.jobTimeoutSeconds} s`);
    if (error instanceof WorkerCrashError) throw errors.badAudio(field, 'the file could not be decoded (the decoder failed)');
    throw error;
  };

  /** Other jobs: a timeout means the hub is overloaded, not that the caller erred. */
  const busy = (error: unknown): never => {
    if (error instanceof JobTimeoutError) throw errors.unavailable(error.message);
    throw error;
  };

  /** The job options that send `bytes`: moved when the caller consumes them and they can move alone. */
  const sending = (bytes: Uint8Array, field: string, options: DecodeOptions) => {
    assertNotMoved(bytes, `the '${field}' audio`);
    const buffer = options.consume ? movableBuffer(bytes) : undefined;
    if (buffer) markMoved(buffer);
    return { signal: options.signal, transfer: buffer && [buffer] };
  };

  const decodeSource = async (source: Parameters<AudioToolkit['decode']>[0], options: DecodeOptions = {}): Promise<Pcm> => {
    const field = source.field ?? 'audio';
    const request = requestFor(source.format, field, source.limitClass, options);
    const job = source.bytes ? pool.run('decodeBytes', { bytes: source.bytes, request }, sending(source.bytes, field, options)) : pool.run('decodeFile', { path: source.path, request }, { signal: options.signal });
    return job.catch(decodeFailure(field));
  };

  const toolkit: AudioService = {
    pool,
    formats: ENCODE_FORMATS,
    decodableFormats: DECODABLE_FORMATS,
    contentType: (format) => CONTENT_TYPES[format as EncodeFormat] ?? 'application/octet-stream',

    decode: decodeSource,
    async decodeMel(source, mel, options = {}) {
      const field = source.field ?? 'audio';
      const request = requestFor(source.format, field, source.limitClass, { ...options, sampleRate: mel.sampleRate, mono: true });
      const where = source.bytes ? { bytes: source.bytes } : { path: source.path };
      const send = source.bytes ? sending(source.bytes, field, options) : { signal: options.signal };
      return pool.run('decodeMel', { source: where, request, options: mel, minSamples: options.minSamples ?? 1 }, send).catch(decodeFailure(field));
    },
    async decodeBytes(bytes, format, options = {}) {
      const field = options.field ?? 'audio';
      const request = requestFor(format, field, undefined, options);
      return pool.run('decodeBytes', { bytes, request }, sending(bytes, field, options)).catch(decodeFailure(field));
    },
    async probe(source) {
      const pcm = await decodeSource(source, { mono: false });
      return { sampleRate: pcm.sampleRate, channels: pcm.channels.length, durationSeconds: pcm.channels[0]!.length / pcm.sampleRate };
    },
    async resample(signal, from, to) {
      const [out] = await pool.run('resample', { channels: [compact(signal)], from, to }).catch(busy);
      return out!;
    },
    async encode(audio, sampleRate, format, options = {}) {
      if (!(ENCODE_FORMATS as readonly string[]).includes(format)) throw errors.badRequest(`response_format '${format}' is not supported; supported: ${ENCODE_FORMATS.join(', ')}`);
      const channels = asChannels(audio);
      const transfer = options.consume ? channels.flatMap((c) => (c.buffer instanceof ArrayBuffer ? [c.buffer] : [])) : undefined;
      const bytes = await pool.run('encode', { channels, sampleRate, format: format as EncodeFormat, options: { bitrate: options.bitrate } }, { transfer: transfer && new Set(transfer).size === transfer.length ? transfer : undefined }).catch(busy);
      return { bytes, contentType: toolkit.contentType(format), format };
    },
    createWavStream,

    stft: (signal, options) => pool.run('stft', { signal: compact(signal), options }).catch(busy),
    istft: (spec, options) => pool.run('istft', { spec, options }).catch(busy),
    spectrogram: (signal, options) => pool.run('spectrogram', { signal: compact(signal), options }).catch(busy),
    melSpectrogram: (signal, options) => pool.run('melSpectrogram', { signal: compact(signal), options }).catch(busy),
    melFilterbank(options) {
      const bank = melFilterbank(options);
      return { data: denseFilterbank(bank), dims: [bank.nMels, bank.bins] };
    },
    kaldiFbank: (signal, options) => pool.run('kaldiFbank', { signal: compact(signal), options }).catch(busy),
    stackedFbank: (signal, options) => pool.run('stackedFbank', { signal: compact(signal), options }).catch(busy),
    pitch: (signal, sampleRate, options) => pool.run('pitch', { signal: compact(signal), sampleRate, options }).catch(busy),
    chroma: (signal, sampleRate, options) => pool.run('chroma', { signal: compact(signal), sampleRate, options }).catch(busy),

    griffinLim: (magnitude, options) => pool.run('griffinLim', { magnitude, options }).catch(busy),
    melToAudio: (mel, options) => pool.run('melToAudio', { mel, options }).catch(busy),
    timeStretch: (signal, sampleRate, speed) => pool.run('timeStretch', { signal: compact(signal), sampleRate, speed }).catch(busy),
    async pitchShift(signal, sampleRate, semitones) {
      // A long signal is cut into output ranges made on all workers at once (each part is
      // bit for bit that slice of the whole; see pitch-shift.ts).
      const ranges = pitchShiftParts(signal.length, sampleRate, settings.workers);
      if (ranges.length < 2) return pool.run('pitchShift', { signal: compact(signal), sampleRate, semitones }).catch(busy);
      const input = shared(signal);
      const output = new Float32Array(new SharedArrayBuffer(signal.byteLength));
      await Promise.all(ranges.map((range) => pool.run('pitchShiftRange', { signal: input, sampleRate, semitones, range, output }).catch(busy)));
      return output;
    },

    loudness: (audio, sampleRate) => pool.run('loudness', { channels: asChannels(audio), sampleRate }).catch(busy),
    async normalizeLoudness(audio, sampleRate, options = {}) {
      const result = await pool.run('normalizeLoudness', { channels: [compact(audio)], sampleRate, ...options }).catch(busy);
      return result.channels[0]!;
    },
    async normalizePeak(audio, options = {}) {
      const [out] = await pool.run('normalizePeak', { channels: [compact(audio)], peakDb: options.peakDb }).catch(busy);
      return out!;
    },
    trimSilence: (audio, sampleRate, options) => pool.run('trimSilence', { signal: compact(audio), sampleRate, options }).catch(busy),
    splitAtSilence: (audio, sampleRate, options) => pool.run('splitAtSilence', { signal: compact(audio), sampleRate, options }).catch(busy),

    renderSpectrogram: (audio, sampleRate, options) => pool.run('renderSpectrogram', { signal: compact(audio), sampleRate, options }).catch(busy),
    renderWaveform: (audio, options) => pool.run('renderWaveform', { signal: compact(audio), options }).catch(busy),

    close: () => pool.close(),
  };
  return toolkit;
}
