// The public voice catalogue on a real SQLite database: filters OR within a list and AND
// across lists, name search, limits 8–50, and a cursor that stays right when voices are
// published between two pages (they come after the pages already read, never twice).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HubConfig } from '../../core/config/load-config.ts';
import { openDatabase, type Db } from '../../core/store/database.ts';
import { cataloguePage, parseCatalogueQuery } from '../../core/surfaces/dubbing/catalogue.ts';
import { makeDubbingStore, type DubbingStore } from '../../core/surfaces/dubbing/store.ts';

describe('the public voice catalogue', () => {
  let dir: string;
  let db: Db;
  let store: DubbingStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalogue-'));
    db = openDatabase({ config: { dataDir: dir } as HubConfig });
    store = makeDubbingStore(db, { initialCredits: 0, uploadTtlSeconds: 60 });
  });
  after(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  function publish(name: string, languages: string[], genres: string[], styles: string[]): string {
    const { voice } = store.createVoice({ owner: 'k', name, numberOfFiles: 1, maxMinutes: 5, separate: false, requiredCredits: 50 });
    store.updateVoice(voice.id, { status: 'done' });
    assert.ok(store.publish(voice.id, { languages, genres, styles }));
    return voice.id;
  }
  const names = (query: string) => cataloguePage(store, query, 'http://hub').voices.map((v) => v.name);

  it('ORs values within a filter and ANDs the filters', () => {
    publish('Ana', ['spanish'], ['pop'], ['singing']);
    publish('Ben', ['english'], ['rock'], ['singing']);
    publish('Cho', ['korean', 'english'], ['pop', 'jazz'], ['rapping']);
    publish('Dee', ['english'], ['pop'], ['speaking']);
    // An unpublished (private) voice never shows.
    store.createVoice({ owner: 'k', name: 'Private', numberOfFiles: 1, maxMinutes: 5, separate: false, requiredCredits: 50 });
    assert.deepEqual(names('languages=english&languages=spanish'), ['Ana', 'Ben', 'Cho', 'Dee']);
    assert.deepEqual(names('languages=english'), ['Ben', 'Cho', 'Dee']);
    assert.deepEqual(names('languages=english&genres=pop'), ['Cho', 'Dee']);
    assert.deepEqual(names('languages=english&genres=pop,rock&styles=singing'), ['Ben']);
    assert.deepEqual(names('genres[]=jazz&genres[]=rock'), ['Ben', 'Cho']);
    assert.deepEqual(names('search=e'), ['Ben', 'Dee']);
    assert.deepEqual(names('search=%25'), [], 'LIKE wildcards are searched for literally');
  });

  it('pages with a cursor that publishing more voices does not disturb', () => {
    for (let i = 0; i < 12; i++) publish(`Pop ${String(i).padStart(2, '0')}`, ['thai'], ['country'], ['other']);
    const first = cataloguePage(store, 'genres=country&limit=8', 'http://hub');
    assert.equal(first.voices.length, 8);
    assert.match(first.nextCursor!, /^\d+_[0-9a-f-]{36}$/);
    publish('Pop late', ['thai'], ['country'], ['other']);
    const second = cataloguePage(store, `genres=country&limit=8&cursor=${first.nextCursor}`, 'http://hub');
    assert.deepEqual(second.voices.map((v) => v.name), ['Pop 08', 'Pop 09', 'Pop 10', 'Pop 11', 'Pop late']);
    assert.equal(second.nextCursor, null);
    const seen = [...first.voices, ...second.voices].map((v) => v.id);
    assert.equal(new Set(seen).size, seen.length, 'no voice twice');
  });

  it('refuses values outside the seed\'s enums and limits', () => {
    for (const query of ['genres=polka', 'limit=7', 'limit=51', 'limit=ten', 'cursor=abc', 'search=', `search=${'x'.repeat(51)}`, 'colour=red']) {
      assert.throws(() => parseCatalogueQuery(query), (e: Error & { code?: string; status?: number }) => e.code === 'invalid_request' && e.status === 422, query);
    }
    assert.equal(parseCatalogueQuery('model=vevo').limit, 50, 'the OpenAI list\'s own parameter is left to it');
  });
});
