// How a decode request carries its tokens. Form fields hold JSON as text (the seed's
// `tokens` string field); JSON bodies hold it parsed; and a client may send an encode
// response back whole, either as the body or as the `tokens` field. Values found inside
// a response sent as `tokens` were not seen by the route's schema, so they are checked
// here, and a value given both there and at the top level must agree.
import { errors } from '../../core/errors.ts';

/** A form field's JSON text parsed, or a JSON body's value as it is. */
export function jsonField(field: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw errors.invalidField(field, `is not valid JSON: ${(error as Error).message}`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field's value and where it came from ('length' or 'tokens.length'), for messages. */
export interface Found {
  readonly field: string;
  readonly value: unknown;
}

/**
 * The fields of a request that may also sit inside an encode response sent as `container`.
 * Keys of the response that are not `allowed` are refused, as unknown top-level fields are.
 */
export function makeFieldSource(top: Readonly<Record<string, unknown>>, container: string, nested: Readonly<Record<string, unknown>> | undefined, allowed: readonly string[]) {
  if (nested) {
    for (const key of Object.keys(nested)) {
      if (!allowed.includes(key)) throw errors.invalidField(`${container}.${key}`, `is not a field of an encode response (fields: ${allowed.join(', ')})`);
    }
  }
  return {
    /** The value of `name` from the top level or the nested response; 400 when both differ. */
    get(name: string): Found | undefined {
      const outer = top[name];
      const inner = nested && Object.hasOwn(nested, name) ? nested[name] : undefined;
      if (outer !== undefined && inner !== undefined) {
        // A form field holds JSON text where the nested response holds the parsed value.
        const comparable = typeof outer === 'string' && typeof inner !== 'string' ? jsonField(name, outer) : outer;
        if (JSON.stringify(comparable) !== JSON.stringify(inner)) throw errors.invalidField(name, `differs from ${container}.${name} in the same request; send it once`);
      }
      if (outer !== undefined) return { field: name, value: outer };
      if (inner !== undefined) return { field: `${container}.${name}`, value: inner };
      return undefined;
    },
  };
}

export function integerOf(found: Found, min: number, max: number): number {
  const { field, value } = found;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.invalidField(field, `must be an integer; found ${JSON.stringify(value)}`);
  if (value < min || value > max) throw errors.invalidField(field, `must lie in ${min}..${max}; found ${value}`);
  return value;
}

/** A metadata field that must repeat what this model produces (rate, variant, counts); `mismatch` says why. */
export function expectSame(found: Found | undefined, expected: number | string, mismatch: string): void {
  if (found === undefined || found.value === expected) return;
  throw errors.invalidField(found.field, `is ${JSON.stringify(found.value)}; ${mismatch}`);
}

/** A fixed-length vector of finite numbers within ±limit (a speaker embedding). */
export function readVector(found: Found, size: number, limit: number): Float32Array {
  const { field } = found;
  const value = jsonField(field, found.value);
  if (!Array.isArray(value)) throw errors.invalidField(field, `must be an array of ${size} numbers`);
  if (value.length !== size) throw errors.invalidField(field, `must hold ${size} numbers; found ${value.length}`);
  const out = new Float32Array(size);
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limit) {
      throw errors.invalidField(`${field}[${i}]`, `must be a number within ±${limit}; found ${JSON.stringify(v)}`);
    }
    out[i] = v;
  });
  return out;
}
