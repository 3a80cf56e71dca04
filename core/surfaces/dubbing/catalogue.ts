// GET /v1/voices, the public voice catalogue of seed 001: `search` (name, case-insensitive
// substring), `genres`, `languages`, `styles` (several values OR'd within a filter, the
// filters AND'd), `limit` 8–50 and a cursor `<seq>_<id>` naming the last voice of the page.
// Voices enter the catalogue in publishing order (seq only grows), so a page read once stays
// the same when voices are published later: they appear after it. The filters come as
// repeated parameters (`genres=pop&genres=rock`), `genres[]=`, or comma-separated.
import { HubError } from '../../errors.ts';
import type { DubbingStore } from './store.ts';
import { publicVoiceView } from './views.ts';

export const GENRES = ['pop', 'rap', 'rock', 'country', 'rnb', 'alternative', 'jazz'] as const;
export const LANGUAGES = ['english', 'spanish', 'korean', 'japanese', 'french', 'russian', 'thai'] as const;
export const STYLES = ['singing', 'rapping', 'speaking', 'character', 'other'] as const;
const FILTERS = { genres: GENRES, languages: LANGUAGES, styles: STYLES } as const;
/** Parameters of other documents served on the same path (the OpenAI-style list's `model`). */
const FOREIGN = new Set(['model']);

/** The catalogue's query parameters, for the OpenAPI operation of GET /v1/voices. */
export const CATALOGUE_PARAMETERS = [
  { name: 'search', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 50 }, description: 'Public catalogue: name contains this (case-insensitive)' },
  ...(['genres', 'languages', 'styles'] as const).map((name) => ({ name, in: 'query', required: false, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string', enum: FILTERS[name] } }, description: `Public catalogue: any of these ${name} (repeat the parameter); different filters must all match` })),
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 8, maximum: 50, default: 50 }, description: 'Public catalogue: voices per page' },
  { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'Public catalogue: the nextCursor of the page before' },
];

/** The catalogue's part of the answer. */
export const CATALOGUE_RESPONSE = {
  type: 'object',
  properties: { voices: { type: 'array', items: { $ref: '#/components/schemas/DubbingPublicVoice' } }, nextCursor: { type: ['string', 'null'] } },
};

const invalid = (message: string) => new HubError('invalid_request', 422, message);

export interface CataloguePage {
  readonly voices: ReturnType<typeof publicVoiceView>[];
  readonly nextCursor: string | null;
}

export function parseCatalogueQuery(rawQuery: string) {
  const params = new URLSearchParams(rawQuery);
  const lists: Record<keyof typeof FILTERS, string[]> = { genres: [], languages: [], styles: [] };
  let search: string | undefined;
  let limit = 50;
  let after = 0;
  for (const [rawName, value] of params) {
    const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
    if (name in FILTERS) {
      const allowed = FILTERS[name as keyof typeof FILTERS] as readonly string[];
      for (const item of value.split(',').map((v) => v.trim()).filter(Boolean)) {
        if (!allowed.includes(item)) throw invalid(`${name}: '${item.slice(0, 40)}' is not one of ${allowed.join(', ')}`);
        lists[name as keyof typeof FILTERS].push(item);
      }
    } else if (name === 'search') {
      if (search !== undefined) throw invalid('search: give it once');
      if (value.length < 1 || value.length > 50) throw invalid('search: 1 to 50 characters');
      search = value;
    } else if (name === 'limit') {
      if (!/^\d{1,3}$/.test(value) || Number(value) < 8 || Number(value) > 50) throw invalid('limit: an integer from 8 to 50');
      limit = Number(value);
    } else if (name === 'cursor') {
      const match = /^(\d{1,15})_[0-9a-f-]{36}$/.exec(value);
      if (!match) throw invalid('cursor: not a cursor this API returned (use nextCursor as it came)');
      after = Number(match[1]);
    } else if (!FOREIGN.has(name)) {
      throw invalid(`unknown parameter '${name.slice(0, 40)}'; the catalogue takes search, genres, languages, styles, limit and cursor`);
    }
  }
  return { search, ...lists, limit, after };
}

export function cataloguePage(store: DubbingStore, rawQuery: string, base: string): CataloguePage {
  const query = parseCatalogueQuery(rawQuery);
  const rows = store.publicVoices({ ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { voices: page.map((row) => publicVoiceView(row, base)), nextCursor: rows.length > query.limit && last ? `${last.seq}_${last.id}` : null };
}
