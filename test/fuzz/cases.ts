// One fuzz case is one request that is certainly wrong in one chosen way, on one operation:
// a field its schema refuses (on top of the operation's own example values, so the check
// that should refuse it is reached), a required field or upload left out, a broken audio
// file in an upload field, a body that is not a JSON object or not JSON at all, a body of a
// type the route does not take, a malformed path parameter, or a query value out of bounds.
import fc from 'fast-check';
import { wavFile } from '../security/support/audio-bytes.ts';
import { multipartBody, multipartType, type Part } from '../security/support/multipart-body.ts';
import { brokenAudio } from './broken-audio.ts';
import { EDGE_STRINGS, invalidValue, jsonText } from './invalid-values.ts';
import { isUpload, type BodyForm, type FuzzOperation, type JsonSchema } from './operations.ts';

/** How fast-check prints a case in a counterexample: the request, not the whole operation. */
function printable<T extends Omit<FuzzCase, typeof fc.toStringMethod>>(c: T): FuzzCase {
  return Object.assign(c, { [fc.toStringMethod]: () => `${c.op.method} ${c.path.slice(0, 200)} [${c.kind}] ${c.body ? c.body.subarray(0, 300).toString('latin1') : ''}` });
}

export interface FuzzCase {
  readonly op: FuzzOperation;
  readonly kind: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly [fc.toStringMethod]: () => string;
}

const VALID_WAV = wavFile({ sampleRate: 16000, dataBytes: 16000 });

/** Path parameters no id ever is: invalid escapes, climbing segments, separators, control characters, length. */
export const MALFORMED_SEGMENTS = ['%ff', '%E0%A4%A', '%', '%zz', '..', '%2e%2e', '.', '%2F', 'a%5Cb', '%00', '%0d%0a', 'x'.repeat(300), '%F0%9F%98'];

/** Percent-encodes the UTF-8 bytes of `s` (encodeURIComponent throws on a lone surrogate). */
const percent = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');

const benignId = fc.stringMatching(/^[a-z0-9]{6,12}$/).map((s) => `fz${s}`);
const malformedSegment = fc.oneof(fc.constantFrom(...MALFORMED_SEGMENTS), fc.constantFrom(...EDGE_STRINGS).map((s) => percent(s) + '%'));

function fillPath(template: string, values: readonly string[]): string {
  let index = 0;
  return template.replace(/\{[^}]+\}/g, () => values[index++] ?? 'x');
}

const exampleOf = (schema: JsonSchema, name: string, form: BodyForm): unknown =>
  schema.examples?.[0] ?? schema.example ?? schema.default ?? form.example[name];

/** The required fields with example values, and a valid WAV in each required upload. */
function baseFields(form: BodyForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of form.schema.required ?? []) {
    const schema = form.schema.properties?.[name] ?? {};
    if (isUpload(schema)) out[name] = { upload: VALID_WAV, filename: 'ok.wav', type: 'audio/wav' };
    else {
      const value = exampleOf(schema, name, form);
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

interface Upload {
  readonly upload: Buffer;
  readonly filename: string;
  readonly type: string;
}
const isFile = (v: unknown): v is Upload => typeof v === 'object' && v !== null && 'upload' in v;

/** Encodes fields (and files) as the body form says. */
function encode(form: BodyForm, fields: Record<string, unknown>): { headers: Record<string, string>; body: Buffer } {
  if (form.type === 'application/json') {
    const plain = Object.fromEntries(Object.entries(fields).filter(([, v]) => !isFile(v)));
    return { headers: { 'content-type': 'application/json' }, body: Buffer.from(jsonText(plain)) };
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'symbol' ? '1e999' : JSON.stringify(v) ?? '');
  if (form.type === 'application/x-www-form-urlencoded') {
    const body = Object.entries(fields).filter(([, v]) => !isFile(v)).map(([k, v]) => `${percent(k)}=${percent(text(v))}`).join('&');
    return { headers: { 'content-type': form.type }, body: Buffer.from(body) };
  }
  const parts: Part[] = Object.entries(fields).map(([name, v]) => (isFile(v) ? { name, data: v.upload, filename: v.filename, type: v.type } : { name, data: text(v) }));
  return { headers: { 'content-type': multipartType() }, body: multipartBody(parts) };
}

function bodyCases(op: FuzzOperation, form: BodyForm, path: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase>[] {
  const properties = Object.entries<JsonSchema>(form.schema.properties ?? {});
  const textForm = form.type !== 'application/json';
  const out: fc.Arbitrary<FuzzCase>[] = [];
  const make = (kind: string, fields: Record<string, unknown>, p: string): FuzzCase => printable({ op, kind: `${kind} (${form.type})`, path: p, ...encode(form, fields) });

  const invalid = properties.flatMap(([name, schema]) => {
    if (isUpload(schema)) return [];
    const arb = invalidValue(schema, textForm);
    return arb ? [fc.tuple(fc.constant(name), arb)] : [];
  });
  if (invalid.length) {
    out.push(
      fc.tuple(fc.oneof(...invalid), fc.boolean(), path).map(([[name, value], extra, p]) => make(`field ${name}`, { ...baseFields(form), [name]: value, ...(extra ? { zz_unknown_field: 'x' } : {}) }, p)),
    );
  }
  const required = (form.schema.required ?? []) as string[];
  if (required.length) {
    out.push(fc.tuple(fc.constantFrom(...required), path).map(([name, p]) => {
      const fields = baseFields(form);
      delete fields[name];
      return make(`missing ${name}`, fields, p);
    }));
  }
  const uploads = properties.filter(([, s]) => isUpload(s)).map(([name]) => name);
  if (uploads.length && form.type === 'multipart/form-data') {
    out.push(fc.tuple(fc.constantFrom(...uploads), brokenAudio, path).map(([name, audio, p]) =>
      make(`audio ${audio.name} in ${name}`, { ...baseFields(form), [name]: { upload: audio.bytes, filename: audio.filename, type: audio.type } }, p)));
  }
  if (form.type === 'application/json') {
    const first = properties[0]?.[0] ?? 'field';
    const raw = fc.constantFrom(
      ['not json', '{"text": '],
      ['an array', '[1, 2, 3]'],
      ['a string', '"hello"'],
      ['null', 'null'],
      ['a trailing comma', '{"a": 1,}'],
      ['a duplicate key', `{"${first}": "a", "${first}": "b"}`],
      ['deep nesting', `{"${first}": ${'{"a":'.repeat(200)}1${'}'.repeat(200)}}`],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    );
    out.push(fc.tuple(raw, path).map(([[name, text], p]) => printable({ op, kind: `raw body: ${name}`, path: p, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) })));
  }
  return out;
}

/** Cases for one operation; undefined when nothing about it can certainly be wrong. */
function operationCases(op: FuzzOperation): fc.Arbitrary<FuzzCase> | undefined {
  const ids = fc.array(benignId, { minLength: op.pathParams.length, maxLength: op.pathParams.length });
  const path = ids.map((values) => fillPath(op.template, values));
  const kinds: fc.Arbitrary<FuzzCase>[] = op.bodies.flatMap((form) => bodyCases(op, form, path));
  if (op.bodies.length) {
    kinds.push(fc.tuple(fc.constantFrom('text/plain', 'application/xml', 'image/png', 'multipart/mixed; boundary=x'), path).map(([type, p]) => printable({ op, kind: `body of type ${type}`, path: p, headers: { 'content-type': type }, body: Buffer.from('<x>1</x>') })));
  }
  if (op.pathParams.length) {
    kinds.push(fc.tuple(fc.nat({ max: op.pathParams.length - 1 }), malformedSegment, ids).map(([which, bad, values]) => {
      const filled = values.map((v, i) => (i === which ? bad : v));
      return printable({ op, kind: `path parameter ${op.pathParams[which]} = ${bad.slice(0, 20)}`, path: fillPath(op.template, filled), headers: {} });
    }));
  }
  const queries = op.query.flatMap(({ name, schema }) => {
    const arb = invalidValue(schema, true);
    return arb ? [fc.tuple(fc.constant(name), arb)] : [];
  });
  if (queries.length) {
    kinds.push(fc.tuple(fc.oneof(...queries), path).map(([[name, value], p]) => printable({ op, kind: `query ${name}`, path: `${p}?${percent(name)}=${percent(String(value))}`, headers: {} })));
  }
  return kinds.length ? fc.oneof(...kinds) : undefined;
}

/** Every operation equally likely, then one of its ways of being wrong. */
export function fuzzCases(ops: readonly FuzzOperation[]): { arbitrary: fc.Arbitrary<FuzzCase>; routes: number } {
  const perOp = ops.flatMap((op) => {
    const arb = operationCases(op);
    return arb ? [arb] : [];
  });
  return { arbitrary: fc.oneof(...perOp), routes: perOp.length };
}
