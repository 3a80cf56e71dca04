// /history: the viewer's generations, newest first, filtered by profile and searched
// (full text over the generated text and the profile name), with stats; deleting an
// entry deletes its audio.
import type { RequestHandler } from 'express';
import type { StudioFiles } from './files.ts';
import type { StudioStore } from './store.ts';
import { queryInteger, queryText } from './validation.ts';
import { historyView, param, viewerOf } from './views.ts';

/** Longest search string: a search is a few words, and each word costs a subquery. */
const MAX_SEARCH = 500;

export function makeHistoryRoutes(deps: { store: StudioStore; files: StudioFiles; maxLimit: number }): Record<string, RequestHandler> {
  return {
    list(req, res) {
      const query = {
        profileId: queryText(req.query.profile_id, 'profile_id', 100),
        search: queryText(req.query.search, 'search', MAX_SEARCH),
        limit: queryInteger(req.query.limit, 'limit', 50, { min: 1, max: deps.maxLimit }),
        offset: queryInteger(req.query.offset, 'offset', 0, { min: 0 }),
      };
      const page = deps.store.history(viewerOf(req), query);
      res.json({ items: page.items.map(historyView), total: page.total });
    },
    get(req, res) {
      res.json(historyView(deps.store.generation(viewerOf(req), param(req, 'generation_id'))));
    },
    async remove(req, res) {
      const file = deps.store.deleteGeneration(viewerOf(req), param(req, 'generation_id'));
      await deps.files.remove(file);
      res.json({ message: 'Generation deleted successfully' });
    },
    stats(req, res) {
      res.json(deps.store.stats(viewerOf(req)));
    },
  };
}
