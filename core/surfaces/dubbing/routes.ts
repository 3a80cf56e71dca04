// The handlers of seed 001's operations (and the hub's few additions: the presigned upload,
// the dub download, a voice's avatar, publishing a voice). Each checks what a client can get
// wrong before any work, changes status only with a conditional update (two racing calls:
// one wins, the other gets the seed's wrong-state error), and queues the work as a hub task.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { closeAfterAnswer } from '../../http/lingering-close.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { FINISHED } from '../../jobs/types.ts';
import { FetchError, type SafeFetcher } from '../../net/safe-fetch.ts';
import { dubbingErrors as E } from './errors.ts';
import { audioFormatOf, dubError, saveRequestBody } from './inputs.ts';
import { validators } from './schemas.ts';
import type { DubRow, VoiceRow } from './store.ts';
import { voiceCredits, type DubbingWork } from './work.ts';
import { dubView, publicVoiceView, voiceView } from './views.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function bodyOf<T>(validate: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }, req: Request): T {
  const body = structuredClone(req.fields ?? {});
  if (!validate(body)) {
    const first = validate.errors?.[0];
    throw E.invalid(`${first?.instancePath.slice(1) || 'body'}: ${first?.message ?? 'is invalid'}`);
  }
  return body as T;
}

export function makeDubbingRoutes(deps: { work: DubbingWork; jobs: Jobs; fetcher: SafeFetcher; audio: AudioToolkit; maxUploadBytes: number }) {
  const { store, files, kinds } = deps.work;
  const owner = (req: Request) => req.principal!.keyId;
  const param = (req: Request, name: string) => String(req.params[name] ?? '');

  /**
   * A row whose task ended without running its kind (cancelled while queued, or dropped by the
   * queue) would wait forever: it is settled here, as the kind settles a failure — status
   * error, the task's reason, credits back.
   */
  function settle<T extends DubRow | VoiceRow>(row: T, table: 'dub' | 'voice'): T {
    if (!row.task_id || row.status === 'done' || row.status === 'error' || row.status === 'new' || row.status === 'preprocessed') return row;
    const task = deps.jobs.find(row.task_id);
    if (!task || !FINISHED.has(task.status)) return row;
    const cancelled = task.status === 'cancelled';
    store.fail(table, row.id, row.owner, cancelled ? 'cancelled' : (task.error?.code ?? 'internal'), cancelled ? 'the job was cancelled' : (task.error?.detail ?? 'the job ended without finishing'));
    return ((table === 'dub' ? store.dub(row.id, row.owner) : store.voice(row.id, row.owner)) ?? row) as T;
  }

  // A key sees its own dubs and voices (another key's answer 404, as if they did not exist); the admin role sees all.
  const admin = (req: Request) => req.principal!.role === 'admin';
  const dubOf = (req: Request) => {
    const id = param(req, 'dubId').toLowerCase();
    const dub = UUID.test(id) ? (admin(req) ? store.anyDub(id) : store.dub(id, owner(req))) : undefined;
    if (!dub) throw E.dubNotFound();
    return settle(dub, 'dub');
  };
  const voiceOf = (req: Request) => {
    const id = param(req, 'voiceId').toLowerCase();
    const voice = UUID.test(id) ? (admin(req) ? store.anyVoice(id) : store.voice(id, owner(req))) : undefined;
    if (!voice) throw E.voiceNotFound();
    return settle(voice, 'voice');
  };

  const handlers: Record<string, RequestHandler> = {
    me(req, res) {
      res.json({ user: { apiCredits: store.credits(owner(req)) } });
    },

    async createDub(req, res) {
      const body = bodyOf<{ voiceId: string; link?: string; pitchShift: number; separate: boolean }>(validators.createDub, req);
      // A link the fetcher would refuse (scheme, loopback, private, metadata ranges) is refused now.
      if (body.link !== undefined) {
        try {
          await deps.fetcher.check(body.link);
        } catch (error) {
          if (error instanceof FetchError) throw dubError('link_refused', 422, error.message);
          throw error;
        }
      }
      const voiceId = body.voiceId.toLowerCase();
      const voice = store.anyVoice(voiceId);
      if (!voice || (voice.owner !== owner(req) && voice.seq === null)) throw E.dubVoiceNotFound(body.voiceId);
      store.credits(owner(req));
      const { dub, uploadToken } = store.createDub({ owner: owner(req), voiceId, link: body.link ?? null, separate: body.separate, pitchShift: body.pitchShift });
      res.json({ dub: dubView(dub, baseUrl(req)), uploadUrl: uploadToken ? `${baseUrl(req)}/v1/uploads/${uploadToken}` : null });
    },

    getDub(req, res) {
      res.json({ dub: dubView(dubOf(req), baseUrl(req)) });
    },

    async preprocess(req, res) {
      const dub = dubOf(req);
      if (dub.status !== 'new') throw E.dubNotNew(dub.status);
      if (dub.input_source === 'upload' && !store.slots('dub', dub.id)[0]?.file) throw E.uploadMissing('the dub\'s file has not been uploaded yet: PUT it to the uploadUrl the create call returned');
      if (!store.updateDub(dub.id, { status: 'preprocessing' }, 'new')) throw E.dubNotNew(store.dub(dub.id, dub.owner)!.status);
      // The answer is the state this call made (the job may move it on before the answer leaves).
      const view = dubView(store.dub(dub.id, dub.owner)!, baseUrl(req));
      try {
        const task = await deps.jobs.submitSystem(kinds.preprocess, { id: dub.id, owner: dub.owner }, req.principal, req.id ?? 'dubbing');
        store.updateDub(dub.id, { task_id: task.id });
        view.taskId = task.id;
      } catch (error) {
        store.updateDub(dub.id, { status: 'new' }, 'preprocessing');
        throw error;
      }
      res.json({ dub: view });
    },

    async generate(req, res) {
      const dub = dubOf(req);
      if (dub.status !== 'preprocessed') throw E.dubNotPreprocessed(dub.status);
      const cost = dub.required_credits ?? 0;
      const spent = store.spendOnDub(dub.id, dub.owner, cost);
      if (!spent.ok) {
        if ('balance' in spent) throw E.insufficientCredits(cost, spent.balance);
        throw E.dubNotPreprocessed(store.dub(dub.id, dub.owner)!.status);
      }
      const view = dubView(store.dub(dub.id, dub.owner)!, baseUrl(req));
      try {
        const task = await deps.jobs.submitSystem(kinds.generate, { id: dub.id, owner: dub.owner }, req.principal, req.id ?? 'dubbing');
        store.updateDub(dub.id, { task_id: task.id });
        view.taskId = task.id;
      } catch (error) {
        const left = store.refund(dub.owner, cost);
        store.updateDub(dub.id, { status: 'preprocessed', api_credits_used: 0, api_credits_left: left }, 'queued');
        throw error;
      }
      res.json({ dub: view });
    },

    async dubAudio(req, res) {
      const dub = dubOf(req);
      if (dub.status !== 'done' || !dub.result_format) throw dubError('dub_not_done', 409, `Dub is ${dub.status}; its audio is ready when it is done`);
      const path = files.path(dub.folder, `dub.${dub.result_format}`);
      const info = await stat(path);
      res.setHeader('Content-Type', deps.audio.contentType(dub.result_format));
      res.setHeader('Content-Length', String(info.size));
      res.setHeader('Content-Disposition', `attachment; filename="dub-${dub.id}.${dub.result_format}"`);
      createReadStream(path).pipe(res);
    },

    createVoice(req, res) {
      const body = bodyOf<{ name: string; numberOfFiles: number; maxMinutes: number; separate: boolean }>(validators.createVoice, req);
      store.credits(owner(req));
      const { voice, uploadTokens } = store.createVoice({ owner: owner(req), ...body, requiredCredits: voiceCredits(body.maxMinutes) });
      res.json({ voice: voiceView(voice), uploadUrls: uploadTokens.map((t) => `${baseUrl(req)}/v1/uploads/${t}`) });
    },

    getVoice(req, res) {
      res.json({ voice: voiceView(voiceOf(req)) });
    },

    async clone(req, res) {
      const voice = voiceOf(req);
      if (voice.status !== 'new') throw E.voiceNotNew(voice.status);
      const missing = store.slots('voice', voice.id).filter((s) => !s.file).map((s) => s.slot);
      if (missing.length) throw E.uploadMissing(`file(s) ${missing.join(', ')} of ${store.slots('voice', voice.id).length} have not been uploaded yet: PUT each to its uploadUrl`);
      const spent = store.spendOnVoice(voice.id, voice.owner, voice.required_credits);
      if (!spent.ok) {
        if ('balance' in spent) throw E.insufficientCredits(voice.required_credits, spent.balance);
        throw E.voiceNotNew(store.voice(voice.id, voice.owner)!.status);
      }
      const view = voiceView(store.voice(voice.id, voice.owner)!);
      try {
        const task = await deps.jobs.submitSystem(kinds.clone, { id: voice.id, owner: voice.owner }, req.principal, req.id ?? 'dubbing');
        store.updateVoice(voice.id, { task_id: task.id });
        view.taskId = task.id;
      } catch (error) {
        const left = store.refund(voice.owner, voice.required_credits);
        store.updateVoice(voice.id, { status: 'new', api_credits_used: 0, api_credits_left: left }, 'queued');
        throw error;
      }
      res.json({ voice: view });
    },

    /** PUT to a presigned URL: the token is the credential (as with S3), valid until it expires. */
    async upload(req, res) {
      const token = param(req, 'token');
      const slot = /^[A-Za-z0-9_-]{32}$/.test(token) ? store.uploadSlot(token) : undefined;
      if (!slot) throw dubError('not_found', 404, 'upload URL not found or expired');
      const row = slot.target === 'dub' ? store.dub(slot.target_id, slot.owner) : store.voice(slot.target_id, slot.owner);
      if (!row || row.status !== 'new') throw dubError('upload_closed', 409, `the ${slot.target} is ${row?.status ?? 'gone'}; uploads are taken only while it is new`);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > deps.maxUploadBytes) {
        closeAfterAnswer(req, res);
        throw dubError('payload_too_large', 413, `the file is larger than the ${deps.maxUploadBytes}-byte limit`);
      }
      const name = `upload-${slot.slot}`;
      const path = `${await files.folder(row.folder)}/${name}`;
      const bytes = await saveRequestBody(req, res, path, deps.maxUploadBytes);
      let format: string;
      try {
        if (bytes === 0) throw dubError('empty_upload', 422, 'the upload is empty');
        format = await audioFormatOf(path, deps.audio.decodableFormats);
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      store.fillSlot(token, name, format);
      res.json({ uploaded: true, bytes, format });
    },

    /** Operators put finished voices in the public catalogue (admin role). */
    publish(req, res) {
      const body = bodyOf<{ languages: string[]; genres: string[]; styles: string[] }>(validators.publish, req);
      const id = param(req, 'voiceId');
      const row = UUID.test(id) ? store.publish(id.toLowerCase(), body) : undefined;
      if (!row) throw dubError('not_found', 404, 'Voice not found, or not done yet');
      res.json({ voice: publicVoiceView(row, baseUrl(req)) });
    },

    async avatar(req, res) {
      const id = param(req, 'voiceId');
      const row = UUID.test(id) ? store.anyVoice(id.toLowerCase()) : undefined;
      if (!row || row.seq === null) throw E.voiceNotFound();
      const path = files.path(row.folder, 'avatar.webp');
      res.setHeader('Content-Type', 'image/webp');
      res.setHeader('Content-Length', String((await stat(path)).size));
      createReadStream(path).pipe(res);
    },
  };
  return handlers;
}
