// POST /v1/audio/speech and /v1/audio/speech/stream: read the request as OpenAI clients
// send it, pick the model and voice, then answer from the cache, with the whole encoded
// utterance, or as a stream.
import type { Request, RequestHandler, Response } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { HubConfig } from '../../config/load-config.ts';
import { errors } from '../../errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { UploadedFile } from '../../plugin/types.ts';
import { cacheEligibility, clientOptsOut, routeFor, type CacheState } from './cache-decision.ts';
import type { ModelTable, TtsProvider } from './models.ts';
import type { ReferenceStore } from './reference-store.ts';
import { cacheKey, type CachedAudio, type SpeechCache } from './speech-cache.ts';
import { makeSpeechFieldParser, STREAM_FORMATS, type SpeechParams } from './speech-fields.ts';
import { streamSpeech } from './stream-response.ts';
import { collect, planSpeech, synthesizeChunks, type SpeechPlan } from './synthesize.ts';
import type { VoiceFile } from './voice-file.ts';
import { clonesVoices, resolveVoice, type ResolvedVoice } from './voices.ts';
import { chunksAtRate, OPENAI_PCM_RATE } from './pcm-rate.ts';

export interface SpeechDeps {
  readonly config: HubConfig;
  readonly logger: Logger;
  readonly version: string;
  readonly audio: AudioToolkit;
  readonly models: ModelTable;
  readonly references: ReferenceStore;
  readonly voiceFile: VoiceFile;
  readonly cache: SpeechCache;
  readonly weightState: (plugin: string) => string;
  /** Formats offered on this surface (OpenAI's list, as far as the audio toolkit encodes them). */
  readonly formats: readonly string[];
}

/** Aborted when the client goes away before the answer is complete. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client went away'));
  });
  return controller.signal;
}

function adhocUpload(req: Request): UploadedFile | undefined {
  return req.files?.custom_voice_file ?? req.files?.speaker_wav;
}

export function makeSpeechHandler(deps: SpeechDeps, options: { alwaysStream: boolean }): RequestHandler {
  const parse = makeSpeechFieldParser(deps.formats);
  const defaultFormat = deps.formats.includes('mp3') ? 'mp3' : deps.formats[0]!;

  /** The ad-hoc clip, checked as a reference upload; it is used for this request only. */
  async function adhocVoice(provider: TtsProvider, upload: UploadedFile, params: SpeechParams): Promise<ResolvedVoice> {
    if (!clonesVoices(provider)) throw errors.invalidField(upload.field, `model '${provider.plugin}' cannot clone voices from reference audio`);
    // Decoding checks the clip (readable, within the reference duration limit) before the model runs.
    await deps.audio.probe({ ...upload, limitClass: 'reference' });
    const reference = { ...upload, ...(params.referenceText ? { text: params.referenceText } : {}) };
    return { reference, identity: 'adhoc' };
  }

  function headersFor(plan: SpeechPlan, state: CacheState): Record<string, string> {
    return {
      'X-Cache': state,
      'X-Route': routeFor(state),
      'X-Model': plan.provider.plugin,
      'X-Weight-State': deps.weightState(plan.provider.plugin),
      ...(plan.ignored.length ? { 'X-Ignored-Fields': plan.ignored.join(', ') } : {}),
    };
  }

  function sendAudio(res: Response, encoded: CachedAudio, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('X-Sample-Rate', String(encoded.sampleRate));
    res.setHeader('X-Audio-Duration', encoded.duration.toFixed(3));
    res.setHeader('Content-Disposition', `inline; filename="speech.${encoded.format}"`);
    res.status(200).type(encoded.contentType).end(encoded.bytes);
  }

  return async function speech(req, res) {
    const params = parse(req.fields ?? {}, req.is('application/json') ? 'json' : 'form');
    const transport: 'sse' | 'audio' | undefined = params.streamFormat === 'sse' ? 'sse' : options.alwaysStream || params.stream ? 'audio' : undefined;
    const format = params.format ?? (transport === 'sse' ? 'pcm' : transport === 'audio' ? 'wav' : defaultFormat);
    if (transport && !(STREAM_FORMATS as readonly string[]).includes(format)) {
      throw errors.invalidField('response_format', `'${format}' cannot be streamed; streaming sends: ${STREAM_FORMATS.join(', ')}`);
    }
    const provider = deps.models.resolve(params.model);
    const upload = adhocUpload(req);
    if (upload && transport) {
      // Cloning from an upload would put the voice's preparation before the first chunk, which streams exist to send early.
      throw errors.invalidValue(upload.field, 'ad-hoc cloning is not offered on streams (preparing the voice would delay the first chunk); register the clip with POST /v1/references/add and stream with it as `voice`, or request the whole file from /v1/audio/speech');
    }
    const voice = upload ? await adhocVoice(provider, upload, params) : await resolveVoice(provider, params.voice, deps.references, req.principal!, await deps.voiceFile.current());
    const plan = planSpeech(provider, params, voice, deps.config.openai.chunkLength);
    const signal = abortOnClose(res);
    const chunks = () => {
      const made = synthesizeChunks(plan, deps, { signal, requestId: req.id });
      return format === 'pcm' ? chunksAtRate(made, OPENAI_PCM_RATE, deps.audio) : made;
    };

    const eligibility = cacheEligibility({ cache: deps.cache, adhoc: upload !== undefined, optOut: clientOptsOut(req, params.cache), streaming: transport !== undefined });
    try {
      if (transport) {
        const target = { format: format as 'wav' | 'pcm', transport, headers: headersFor(plan, eligibility as CacheState), inputCharacters: [...params.input].length };
        return await streamSpeech(res, chunks(), target, deps.audio);
      }
      const key =
        eligibility === 'LOOKUP'
          ? cacheKey({ v: 2, hub: deps.version, plugin: provider.plugin, weights: deps.weightState(provider.plugin), voice: voice.identity, request: { ...plan.request, reference: undefined }, chunks: plan.chunks, stretch: plan.stretch, format })
          : undefined;
      const hit = key ? await deps.cache.get(key) : undefined;
      if (hit) return sendAudio(res, hit, headersFor(plan, 'HIT'));

      const { samples, sampleRate } = await collect(chunks());
      const encoded = await deps.audio.encode(samples, sampleRate, format);
      const result: CachedAudio = { format, contentType: encoded.contentType, sampleRate, duration: samples.length / sampleRate, bytes: encoded.bytes };
      if (key) {
        await deps.cache.put(key, result).catch((error: Error) => deps.logger.warn('speech cache write failed', { requestId: req.id, error: error.message }));
      }
      sendAudio(res, result, headersFor(plan, key ? 'MISS' : (eligibility as CacheState)));
    } catch (error) {
      // The client left mid-way: there is nobody to answer, and nothing failed on our side.
      if (signal.aborted) return;
      throw error;
    }
  };
}
