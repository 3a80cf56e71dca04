// Values the chain keeps for each request (its id, scope, matched route, the work to run
// when it closes) live in one record beside the request, in a WeakMap, and are read through
// accessors on the app's request prototype, defined once. Not as new properties on each
// request: express already gives a request so many of its own that one more can turn it into
// a dictionary-mode object, and every later property read on it (the router reads many)
// slows down: one more property measured several microseconds on a health probe. One record
// rather than a WeakMap per fact: each entry is an insert into a weak table that only a
// garbage collection empties, and four per request cost a health probe more than the rest
// of its bookkeeping.

export interface RequestRecord {
  id: string | undefined;
  route: unknown;
  /** The matched route's template with its mount prefix ('/api/vocoder/:name'). */
  routeTemplate: string | undefined;
  scope: unknown;
  closeHooks: (() => void)[] | undefined;
}

const records = new WeakMap<object, RequestRecord>();

/** The record of `req`, made on first use. */
export function recordOf(req: object): RequestRecord {
  let record = records.get(req);
  if (!record) {
    // Every field from the start: all records share one shape.
    record = { id: undefined, route: undefined, routeTemplate: undefined, scope: undefined, closeHooks: undefined };
    records.set(req, record);
  }
  return record;
}

const defined = new WeakMap<object, Set<string>>();

/** Defines `name` on the prototype of `instance` the first time an instance of it passes. */
export function accessorOnPrototype(instance: object, name: string, accessor: { get(this: object): unknown; set?(this: object, value: unknown): void }): void {
  const proto = Object.getPrototypeOf(instance) as object;
  let names = defined.get(proto);
  if (names?.has(name)) return;
  if (!names) defined.set(proto, (names = new Set()));
  names.add(name);
  Object.defineProperty(proto, name, { configurable: true, enumerable: false, ...accessor });
}
