// Values the chain keeps for each request (its id, scope, matched route) live in WeakMaps
// beside the request and are read through accessors on the app's request prototype,
// defined once. Not as new properties on each request: express already gives a request
// so many of its own that one more can turn it into a dictionary-mode object, and every later
// property read on it (the router reads many) slows down: one more property measured several
// microseconds on a health probe.

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
