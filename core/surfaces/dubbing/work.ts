// The dubbing surface's long work as hub tasks (core/jobs system kinds: the durable queue,
// progress over WebSocket/SSE, re-run after a restart). Each kind moves its row through the
// seed's statuses and, on failure, records the error on the row and gives the credits back.
//
//   preprocess  1. input (link through the safe fetcher, or the uploaded file), sniffed
//               2. decode at the working rate, duration check (maxInputMinutes)
//               3. vocals / accompaniment (separation plugin or the weight-free fallback)
//   generate    1. starting: the voice's reference clips, a voice-conversion provider
//               2. processing: vocal stem → the voice (capability), then pitch shift
//               3. finalizing: loudness-matched remix without clipping, encode
//   clone       1. each upload decoded (and separated when asked), silence trimmed
//               2. cut to maxMinutes, reference segments picked (the loudest voiced pieces)
//               3. stored: reference clip, segment list, avatar
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { CapabilityProvider, VoiceConversionCapability } from '../../capabilities.ts';
import type { HubConfig } from '../../config/load-config.ts';
import { errors, HubError } from '../../errors.ts';
import type { SystemTaskContext, SystemTaskKind } from '../../jobs/system-task.ts';
import { SHUTDOWN } from '../../jobs/task-runner.ts';
import type { Logger } from '../../log/logger.ts';
import type { SafeFetcher } from '../../net/safe-fetch.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';
import type { Db } from '../../store/database.ts';
import { join } from 'node:path';
import { makeDubbingFiles } from './files.ts';
import { audioFormatOf, dubError, fetchLink } from './inputs.ts';
import { remix } from './remix.ts';
import { separateStems } from './separation.ts';
import { makeDubbingStore, type DubRow } from './store.ts';

/** The seed's prices: 10 credits per minute of dub input, 10 per maxMinute of a voice. */
export const dubCredits = (durationMs: number) => Math.max(1, Math.ceil((durationMs / 60_000) * 10));
export const voiceCredits = (maxMinutes: number) => 10 * maxMinutes;

/** Reference pieces are cut at silence to at most this length, then the loudest are kept. */
const PIECE_SECONDS = 8;

export interface DubbingWorkDeps {
  config: HubConfig;
  db: Db;
  runtime: PluginRuntime;
  audio: AudioToolkit;
  fetcher: SafeFetcher;
  logger: Logger;
}

type Job = { id: string; owner: string };

export function makeDubbingWork(deps: DubbingWorkDeps) {
  const settings = deps.config.dubbing;
  const store = makeDubbingStore(deps.db, { initialCredits: settings.initialCredits, uploadTtlSeconds: settings.uploadTtlSeconds });
  const files = makeDubbingFiles(join(deps.config.dataDir, 'dubbing'));
  const rate = settings.sampleRate;
  const maxInputBytes = deps.config.uploads.classes.content.maxBytes;

  /** The converter a dub runs with: a 'singing' one when any is usable, else any. */
  function converter(): CapabilityProvider<VoiceConversionCapability> {
    const all = deps.runtime.list<VoiceConversionCapability>('voice-conversion');
    const chosen = all.find((p) => p.capability.domain === 'singing') ?? all[0];
    if (!chosen) throw dubError('no_converter', 503, 'no installed plugin offers voice conversion (a voice-conversion capability); see GET /api/health');
    return chosen;
  }

  const failure = (error: unknown, signal: AbortSignal) => {
    if (signal.aborted) return { code: 'cancelled', message: 'the job was cancelled (DELETE or cancel of its task)' };
    if (error instanceof HubError) return { code: error.code === 'duration_too_long' ? 'input_too_long' : error.code, message: error.message };
    if ((error as Error)?.name === 'AbortError') return { code: 'cancelled', message: 'the job was stopped' };
    return { code: 'internal', message: 'the job failed inside the hub; the operator can find it in the log' };
  };

  async function inputOf(dub: DubRow, signal: AbortSignal): Promise<{ path: string; format: string }> {
    if (dub.link) {
      const path = join(await files.folder(dub.folder), 'input');
      await fetchLink(deps.fetcher, dub.link, path, { maxBytes: maxInputBytes, signal, deadlineMs: settings.linkTimeoutSeconds * 1000 });
      return { path, format: await audioFormatOf(path, deps.audio.decodableFormats) };
    }
    const slot = store.slots('dub', dub.id)[0];
    if (!slot?.file || !slot.format) throw dubError('upload_missing', 409, 'the dub\'s file has not been uploaded (PUT it to the uploadUrl)');
    return { path: files.path(dub.folder, slot.file), format: slot.format };
  }

  async function decodeStereo(source: { path: string; format: string }, maxSeconds: number, signal: AbortSignal): Promise<Float32Array[]> {
    const pcm = await deps.audio.decode({ ...source, field: 'input', limitClass: 'content' }, { sampleRate: rate, mono: false, maxSeconds, signal });
    if (pcm.channels.length === 0 || pcm.channels[0]!.length === 0) throw dubError('empty_input', 422, 'the input holds no audio');
    return pcm.channels.slice(0, 2);
  }

  const base = (ctx: SystemTaskContext) => ({ signal: ctx.signal, requestId: ctx.taskId });

  async function preprocess(job: Job, ctx: SystemTaskContext) {
    const dub = store.dub(job.id, job.owner);
    if (!dub) throw errors.notFound(`dub '${job.id}'`);
    // 1. input
    ctx.progress(0, 'reading the input', 'input');
    const input = await inputOf(dub, ctx.signal);
    // 2. decode, duration
    ctx.progress(0.2, 'decoding', 'decode');
    const mix = await decodeStereo(input, settings.maxInputMinutes * 60, ctx.signal);
    const durationMs = Math.round((mix[0]!.length / rate) * 1000);
    // 3. stems
    let method = 'none';
    let vocals: Float32Array[] = mix;
    let accompaniment: Float32Array[] = mix.map((c) => new Float32Array(c.length));
    if (dub.separate) {
      ctx.progress(0.4, 'separating vocals from accompaniment', 'separate');
      const stems = await separateStems(deps, { channels: mix, sampleRate: rate }, base(ctx));
      const fit = (channels: Float32Array[]) => Promise.all(channels.map(async (c) => fitLength(stems.sampleRate === rate ? c : await deps.audio.resample(c, stems.sampleRate, rate), mix[0]!.length)));
      vocals = await fit(stems.vocals);
      accompaniment = await fit(stems.accompaniment);
      method = stems.method;
    }
    await files.writeChannels(dub.folder, 'vocals', [mixdown(vocals)]);
    await files.writeChannels(dub.folder, 'accompaniment', accompaniment);
    store.updateDub(dub.id, { status: 'preprocessed', input_duration: durationMs, required_credits: dubCredits(durationMs), separation: `${method}|${accompaniment.length}` }, 'preprocessing');
    ctx.progress(1, 'preprocessed', 'done');
  }

  async function generate(job: Job, ctx: SystemTaskContext) {
    const dub = store.dub(job.id, job.owner);
    if (!dub) throw errors.notFound(`dub '${job.id}'`);
    // 1. starting
    store.updateDub(dub.id, { status: 'starting' });
    ctx.progress(0, 'loading the voice and the converter', 'starting');
    const voice = dub.voice_id ? store.anyVoice(dub.voice_id) : undefined;
    if (!voice || voice.status !== 'done' || (voice.owner !== job.owner && voice.seq === null)) throw dubError('voice_not_ready', 409, `voice '${dub.voice_id}' is not a finished voice this key can use`);
    const [reference] = await files.readChannels(voice.folder, 'reference', 1);
    const provider = converter();
    await provider.ready();
    store.updateDub(dub.id, { engine: provider.plugin });
    // 2. processing
    store.updateDub(dub.id, { status: 'processing' });
    const [vocal] = await files.readChannels(dub.folder, 'vocals', 1);
    const channels = Number((dub.separation ?? 'none|2').split('|')[1]) || 1;
    const accompaniment = await files.readChannels(dub.folder, 'accompaniment', channels);
    ctx.progress(0.1, `converting the vocals with ${provider.plugin}`, 'convert');
    const converted = await provider.capability.convert(
      { source: { samples: vocal!, sampleRate: rate }, reference: { samples: reference!, sampleRate: rate } },
      provider.context({ ...base(ctx), progress: (f, m) => ctx.progress(0.1 + 0.7 * f, m, 'convert') }),
    );
    let sung = fitLength(converted.sampleRate === rate ? converted.audio : await deps.audio.resample(converted.audio, converted.sampleRate, rate), vocal!.length);
    if (dub.pitch_shift !== 0) {
      ctx.progress(0.8, `shifting the pitch by ${dub.pitch_shift} semitones`, 'pitch');
      sung = await deps.audio.pitchShift(sung, rate, dub.pitch_shift);
    }
    // 3. finalizing
    store.updateDub(dub.id, { status: 'finalizing' });
    ctx.progress(0.9, 'mixing and encoding', 'finalizing');
    const mixed = await remix(deps.audio, { vocal: sung, original: vocal!, accompaniment, sampleRate: rate });
    const encoded = await deps.audio.encode(mixed, rate, settings.format);
    await files.write(dub.folder, `dub.${encoded.format}`, encoded.bytes);
    store.updateDub(dub.id, { status: 'done', result_format: encoded.format, completed_at: new Date().toISOString() }, 'finalizing');
    ctx.progress(1, 'done', 'done');
  }

  async function clone(job: Job, ctx: SystemTaskContext) {
    const voice = store.voice(job.id, job.owner);
    if (!voice) throw errors.notFound(`voice '${job.id}'`);
    store.updateVoice(voice.id, { status: 'starting' });
    const slots = store.slots('voice', voice.id);
    store.updateVoice(voice.id, { status: 'processing' });
    // 1. each file: decode, separate when asked, trim silence
    const limit = voice.max_minutes * 60 * rate;
    const kept: Float32Array[] = [];
    let total = 0;
    let method = voice.separate ? 'none' : 'not asked';
    for (const [i, slot] of slots.entries()) {
      if (total >= limit) break;
      ctx.progress((0.7 * i) / slots.length, `reading file ${i + 1} of ${slots.length}`, 'read');
      // Read up to the longer of maxMinutes and a dub's limit, then cut: a long recording is trimmed, not refused.
      const channels = await decodeStereo({ path: files.path(voice.folder, slot.file!), format: slot.format! }, Math.max(voice.max_minutes, settings.maxInputMinutes) * 60, ctx.signal);
      let mono = mixdown(channels);
      if (voice.separate) {
        const stems = await separateStems(deps, { channels, sampleRate: rate }, base(ctx));
        const vocals = mixdown(stems.vocals);
        mono = stems.sampleRate === rate ? vocals : await deps.audio.resample(vocals, stems.sampleRate, rate);
        method = stems.method;
      }
      const trimmed = (await deps.audio.trimSilence(mono, rate)).audio;
      // 2. cut to maxMinutes
      const take = trimmed.subarray(0, Math.min(trimmed.length, limit - total));
      if (take.length) kept.push(take);
      total += take.length;
    }
    if (total < rate) throw dubError('too_little_audio', 422, `the uploads hold ${(total / rate).toFixed(1)} s of voice after silence is trimmed; at least 1 s is needed`);
    const training = concat(kept);
    // 2. reference segments: pieces cut at silence, the loudest first, up to maxReferenceSeconds
    ctx.progress(0.8, 'picking reference segments', 'segments');
    const pieces = await deps.audio.splitAtSilence(training, rate, { maxSeconds: PIECE_SECONDS });
    const ranked = pieces.map((p) => ({ ...p, level: rms(training.subarray(p.start, p.end)) })).sort((a, b) => b.level - a.level);
    const chosen: typeof ranked = [];
    let seconds = 0;
    for (const piece of ranked) {
      const length = (piece.end - piece.start) / rate;
      if (seconds + length > settings.maxReferenceSeconds && chosen.length) continue;
      chosen.push(piece);
      seconds += length;
    }
    chosen.sort((a, b) => a.start - b.start);
    const reference = concat(chosen.map((p) => training.subarray(p.start, Math.min(p.end, p.start + settings.maxReferenceSeconds * rate))));
    // 3. store
    store.updateVoice(voice.id, { status: 'finalizing' });
    ctx.progress(0.9, 'storing the voice', 'finalizing');
    await files.writeChannels(voice.folder, 'reference', [reference]);
    await files.write(voice.folder, 'reference.wav', (await deps.audio.encode(reference, rate, 'wav')).bytes);
    await files.write(voice.folder, 'segments.json', new TextEncoder().encode(JSON.stringify({ sampleRate: rate, trainingSeconds: total / rate, segments: chosen.map((p) => ({ start: p.start / rate, end: p.end / rate })) })));
    await files.write(voice.folder, 'avatar.webp', (await deps.audio.renderWaveform(reference, { width: 256, height: 256, format: 'webp' })).bytes);
    store.updateVoice(voice.id, { status: 'done', separation: method, reference_seconds: reference.length / rate, completed_at: new Date().toISOString() }, 'finalizing');
    ctx.progress(1, 'done', 'done');
  }

  /** A kind whose failures land on the row (errorCode, errorMessage, status error) with the credits refunded. */
  function kind(lane: string, path: string, table: 'dub' | 'voice', run: (job: Job, ctx: SystemTaskContext) => Promise<void>): SystemTaskKind {
    return {
      lane,
      path,
      idempotent: true,
      async run(input, ctx) {
        const job = { id: String(input.id), owner: String(input.owner) };
        try {
          await run(job, ctx);
        } catch (error) {
          // Stopped by a shutdown: the task is re-queued at the next boot and runs again; the row waits as it is.
          if (ctx.signal.aborted && ctx.signal.reason === SHUTDOWN) throw error;
          const { code, message } = failure(error, ctx.signal);
          store.fail(table, job.id, job.owner, code, message);
          if (!(error instanceof HubError) && !ctx.signal.aborted) deps.logger.error('dubbing job failed', { lane, id: job.id, error: (error as Error)?.stack ?? String(error) });
          throw error;
        }
        const row = table === 'dub' ? store.dub(job.id, job.owner) : store.voice(job.id, job.owner);
        return { contentType: 'application/json', body: new TextEncoder().encode(JSON.stringify({ id: job.id, status: row?.status ?? 'gone' })) };
      },
    };
  }

  const kinds = {
    preprocess: kind('hub:dub-preprocess', '/v1/me/dubs/{dubId}/preprocess', 'dub', preprocess),
    generate: kind('hub:dub-generate', '/v1/me/dubs/{dubId}/generate', 'dub', generate),
    clone: kind('hub:voice-clone', '/v1/me/voices/{voiceId}/clone', 'voice', clone),
  };
  return { store, files, kinds, list: [kinds.preprocess, kinds.generate, kinds.clone] as const, converter };
}

export type DubbingWork = ReturnType<typeof makeDubbingWork>;

function fitLength(signal: Float32Array, length: number): Float32Array {
  if (signal.length === length) return signal;
  const out = new Float32Array(length);
  out.set(signal.subarray(0, length));
  return out;
}

function mixdown(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const out = new Float32Array(channels[0]!.length);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i]! += channel[i]! / channels.length;
  return out;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function rms(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return x.length ? Math.sqrt(sum / x.length) : 0;
}
