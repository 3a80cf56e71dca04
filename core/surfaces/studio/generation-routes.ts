// POST /generate, POST /transcribe and GET /audio/{generation_id}.
//
// A generation runs as a hub task (core/jobs `runHere`): it has a status, progress events
// (/ws/progress/{id}, /api/tasks/{id}/events) and a stored result, and can be cancelled.
// By default the call waits and answers the seed's GenerationResponse, with the task id in
// `X-Task-Id`; with `Prefer: respond-async` (or `?async=true`) it answers 202 with the
// task's URLs at once, and the task's result is that same GenerationResponse.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { errors } from '../../errors.ts';
import { asyncRequested } from '../../jobs/async-dispatch.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { taskUrls } from '../../jobs/task-view.ts';
import type { Engines } from './engines.ts';
import { prepareGeneration, runGeneration, type GenerateDeps, type GenerationInput } from './generate.ts';
import { audioUpload, decodeUpload } from './profile-routes.ts';
import { validateBody } from './validation.ts';
import { generationView, param, viewerOf } from './views.ts';

export interface GenerationRouteDeps extends GenerateDeps {
  readonly jobs: Jobs;
  readonly engines: Engines;
  readonly audio: AudioToolkit;
  /** Longest upload POST /transcribe takes (the content upload class). */
  readonly maxTranscribeSeconds: number;
  readonly prefix: string;
  /** installed, smoke or weight-free: sent with every answer a model made. */
  readonly weightState: (plugin: string) => string;
}

export function makeGenerationRoutes(deps: GenerationRouteDeps): Record<string, RequestHandler> {
  return {
    async generate(req, res) {
      const viewer = viewerOf(req);
      const body = validateBody('GenerationRequest', req.fields);
      const input: GenerationInput = {
        profile_id: body.profile_id as string,
        text: body.text as string,
        language: body.language as string,
        seed: (body.seed as number | null | undefined) ?? null,
        model_size: (body.model_size as string | null | undefined) ?? null,
        engine: (body.engine as string | null | undefined) ?? null,
      };
      const asked = asyncRequested(req);
      const prepared = prepareGeneration(deps, viewer, input); // 404 / 400 / 422 before a task exists
      const { task, done } = deps.jobs.runHere(
        { owner: viewer.owner, plugin: prepared.engine.plugin, surface: 'studio', method: 'POST', path: `${deps.prefix}/generate`, requestId: req.id },
        async ({ signal, progress }) => {
          const generation = await runGeneration(deps, viewer, input, prepared, { signal, requestId: req.id, progress });
          // Smoke graphs make meaningless audio: the answer says which weights made it, as every inference does.
          const headers = { 'X-Weight-State': deps.weightState(prepared.engine.plugin) };
          return { contentType: 'application/json; charset=utf-8', headers, body: Buffer.from(JSON.stringify(generationView(generation))) };
        },
      );
      if (asked.async) {
        done.catch(() => {}); // recorded on the task
        const urls = taskUrls(task.id);
        if (asked.viaPrefer) res.setHeader('Preference-Applied', 'respond-async');
        res.status(202).location(urls.status_url).json({ task_id: task.id, status: 'running', ...urls });
        return;
      }
      // A client that hangs up cancels its generation, as it would a synchronous plugin call.
      res.once('close', () => {
        if (!res.writableFinished) void deps.jobs.cancel(task.id, req.principal).catch(() => {});
      });
      let rendered;
      try {
        rendered = await done;
      } catch (error) {
        if (res.destroyed) return; // the client left and its generation was cancelled: nobody to answer
        throw error;
      }
      res.setHeader('X-Task-Id', task.id);
      for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
      res.status(200).type(rendered.contentType).end(rendered.body);
    },

    async transcribe(req, res) {
      const upload = audioUpload(req.files, 'file');
      const language = req.fields?.language;
      if (language !== undefined && typeof language !== 'string') throw errors.badRequest('language: must be given once, as text');
      const asr = deps.engines.asr();
      const pcm = await decodeUpload(deps.audio, upload, { maxSeconds: deps.maxTranscribeSeconds, limitClass: 'content' });
      const duration = pcm.samples.length / pcm.sampleRate;
      await asr.ready();
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort(new Error('client went away'));
      });
      const ctx = asr.context({ signal: controller.signal, requestId: req.id });
      const result = await asr.capability.transcribe({ samples: pcm.samples, sampleRate: pcm.sampleRate, ...(language ? { language } : {}) }, ctx);
      res.setHeader('X-Weight-State', deps.weightState(asr.plugin));
      res.json({ text: result.text, duration });
    },

    async audio(req, res) {
      const generation = deps.store.generation(viewerOf(req), param(req, 'generation_id'));
      const path = deps.files.pathOf(generation.file);
      const size = await stat(path).then((s) => s.size).catch(() => {
        throw errors.notFound(`audio of generation '${generation.id}'`);
      });
      res.status(200).type('audio/wav').setHeader('Content-Length', String(size));
      res.setHeader('Content-Disposition', `inline; filename="${generation.id}.wav"`);
      await pipeline(createReadStream(path), res);
    },
  };
}
