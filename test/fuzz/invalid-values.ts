// Values that a field's own JSON Schema certainly refuses: the wrong JSON type, numbers
// outside the range, NaN and Infinity spelt as strings (and as 1e999 in JSON text), strings
// longer than allowed or empty where one character is the least, enum values that are not
// in the enum, with control characters and unicode edge cases inside. A field whose schema
// refuses nothing for certain (no type, a free string in a form) gets no arbitrary.
import fc from 'fast-check';
import type { JsonSchema } from './operations.ts';

/** Serialised as the bare token 1e999 (JSON.parse reads it as Infinity). */
export const RAW_INFINITY = Symbol('1e999');

/** Strings that break naive handling: control characters, lone surrogates, RTL marks, NUL, BOM, emoji, combining marks. */
export const EDGE_STRINGS = ['\u0000', '\u001b[31m', '\ud800', '\udfff', '\u202e', '\ufeff', '\u0301\u0301\u0301', '👩‍👩‍👧‍👦', 'a\r\nX-Injected: 1', '../../etc/passwd', '%00', '${jndi:ldap://x}', '<script>', "'; DROP TABLE x;--"];

const edge = fc.constantFrom(...EDGE_STRINGS);
const notNumeric = fc.constantFrom('NaN', 'Infinity', '-Infinity', 'abc', '1e999', '--1', '');

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

/** JSON values of none of `types`. */
function otherJsonTypes(types: readonly string[]): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (!types.includes('string')) out.push(fc.oneof(notNumeric, edge, fc.string({ maxLength: 20 })));
  // 0 and 1 stand for false and true where a field documents it (OpenAI's `cache`): never used against a boolean.
  if (!types.includes('number') && !types.includes('integer')) out.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).filter((n) => !(types.includes('boolean') && (n === 0 || n === 1))));
  if (!types.includes('boolean')) out.push(fc.boolean());
  if (!types.includes('object')) out.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }));
  if (!types.includes('array')) out.push(fc.array(fc.integer(), { maxLength: 3 }));
  if (!types.includes('null')) out.push(fc.constant(null));
  return out;
}

function outOfRange(schema: JsonSchema, integer: boolean): fc.Arbitrary<number>[] {
  const out: fc.Arbitrary<number>[] = [];
  const step = integer ? 1 : 1e-3;
  if (typeof schema.minimum === 'number') out.push(fc.constantFrom(schema.minimum - step, schema.minimum - 1000, -1e12));
  if (typeof schema.exclusiveMinimum === 'number') out.push(fc.constant(schema.exclusiveMinimum));
  if (typeof schema.maximum === 'number') out.push(fc.constantFrom(schema.maximum + step, schema.maximum + 1000, 1e12));
  if (typeof schema.exclusiveMaximum === 'number') out.push(fc.constant(schema.exclusiveMaximum));
  return out;
}

function badStrings(schema: JsonSchema): fc.Arbitrary<string>[] {
  const out: fc.Arbitrary<string>[] = [];
  if (typeof schema.maxLength === 'number' && schema.maxLength < 200_000) {
    out.push(fc.tuple(edge, fc.integer({ min: 1, max: 50 })).map(([e, extra]) => e + 'x'.repeat(schema.maxLength + extra)));
  }
  if (typeof schema.minLength === 'number' && schema.minLength >= 1) out.push(fc.constant(''));
  if (Array.isArray(schema.enum)) {
    const allowed = new Set(schema.enum.map(String));
    out.push(fc.oneof(edge, fc.string({ minLength: 1, maxLength: 30 })).map((s) => `zz-${s}`).filter((s) => !allowed.has(s)));
  }
  return out;
}

/**
 * An arbitrary of values `schema` certainly refuses, or undefined. `form`: the value travels
 * as text (multipart or urlencoded), where the server coerces numbers and booleans.
 */
export function invalidValue(schema: JsonSchema, form: boolean): fc.Arbitrary<unknown> | undefined {
  const types = typesOf(schema);
  if (types.length === 0 && !Array.isArray(schema.enum)) return undefined;
  const choices: fc.Arbitrary<unknown>[] = [];
  const numeric = types.includes('integer') || types.includes('number');
  const integerOnly = types.includes('integer') && !types.includes('number');
  if (form) {
    if (numeric && !types.includes('string')) {
      choices.push(notNumeric.filter((s) => s !== ''), ...outOfRange(schema, integerOnly).map((a) => a.map(String)));
      if (integerOnly) choices.push(fc.constantFrom('1.5', '2.25', '1e400'));
    } else if (types.includes('boolean') && types.length === 1) {
      choices.push(fc.constantFrom('maybe', '2', 'yes please', EDGE_STRINGS[0]!));
    }
    if (types.includes('string') || Array.isArray(schema.enum)) choices.push(...badStrings(schema));
    return choices.length ? fc.oneof(...choices) : undefined;
  }
  if (types.length) choices.push(...otherJsonTypes(types));
  if (numeric) {
    choices.push(...outOfRange(schema, integerOnly), fc.constant(RAW_INFINITY));
    if (integerOnly) choices.push(fc.constantFrom(1.5, 0.001, 2 ** 60 + 0.5));
  }
  if (types.includes('string') || Array.isArray(schema.enum)) choices.push(...badStrings(schema));
  // A string field nested 64 levels deep: a type error and a nesting bomb at once.
  if (types.length && !types.includes('array')) choices.push(fc.constant(JSON.parse('['.repeat(64) + ']'.repeat(64))));
  return choices.length ? fc.oneof(...choices) : undefined;
}

/** JSON text, with RAW_INFINITY written as 1e999. */
export function jsonText(value: Record<string, unknown>): string {
  return JSON.stringify(value, (_key, v) => (v === RAW_INFINITY ? '__RAW_INFINITY__' : v)).replaceAll('"__RAW_INFINITY__"', '1e999');
}
