// GET /v1/voices is two documents' voice list at once: the OpenAI-style list of a TTS
// model's voices (seed 004: `object`, `data`, `default`; the hub adds `model`) and seed
// 001's public catalogue (`voices`, `nextCursor`). One handler answers both, in one object.
// Without a TTS model the OpenAI part is an empty list (the catalogue still answers); a
// catalogue filter that is wrong is 422 with both error shapes in one body
// (`{code, message}` and OpenAI's `{error: {...}}`), so either kind of client reads it.
import type { Request, RequestHandler } from 'express';
import { HubError } from '../../errors.ts';
import { openAiErrorBody } from '../openai/openai-errors.ts';
import { cataloguePage } from './catalogue.ts';
import { baseUrl } from './routes.ts';
import type { DubbingStore } from './store.ts';

export function voicesWithCatalogue(store: DubbingStore, modelVoices: (req: Request) => Promise<Record<string, unknown>>): RequestHandler {
  return async function voices(req, res) {
    const url = req.originalUrl ?? req.url;
    const mark = url.indexOf('?');
    let catalogue;
    try {
      catalogue = cataloguePage(store, mark < 0 ? '' : url.slice(mark + 1), baseUrl(req));
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      res.status(error.status).json({ code: error.code, message: error.message, ...openAiErrorBody(error) });
      return;
    }
    let listed: Record<string, unknown>;
    try {
      listed = await modelVoices(req);
    } catch (error) {
      // No TTS plugin at all: the catalogue alone. A named model that is wrong stays an error.
      if (!(error instanceof HubError) || error.status !== 503 || req.query.model !== undefined) throw error;
      listed = { object: 'list', data: [], default: null, model: null };
    }
    res.json({ ...listed, ...catalogue });
  };
}
