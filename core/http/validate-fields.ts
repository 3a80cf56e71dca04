// Compiles each route's field schema once at boot and checks every request against it.
// Form fields arrive as text and are coerced per schema; JSON fields are taken as typed.
// `allErrors` stays off: one precise message, and no amplification on hostile input.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';
import { capabilityRule } from '../plugin/capability-fields.ts';
import type { RouteDecl } from '../plugin/types.ts';
import { EXTRA_KEYWORDS } from '../plugin/validate-plugin.ts';
import './request-types.ts';

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, useDefaults: true, coerceTypes: coerce, removeAdditional: false });
  for (const keyword of EXTRA_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

// A value of the right type that lies outside what the route declares (range, length, choices,
// pattern) is well-formed but cannot be served: 422, as pydantic-based servers answer. A missing
// field, a wrong type or an unknown field is a malformed request: 400 ("invalid parameters").
const OUT_OF_RANGE = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'enum', 'const', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern']);

const formAjv = makeAjv(true);
const jsonAjv = makeAjv(false);

export function describeError(error: ErrorObject): { field: string; rule: string } {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  switch (error.keyword) {
    case 'required':
      return { field: (error.params as { missingProperty: string }).missingProperty, rule: 'is required' };
    case 'additionalProperties':
      return { field: (error.params as { additionalProperty: string }).additionalProperty, rule: 'is not a field of this route' };
    case 'enum':
      return { field: path, rule: `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    default:
      return { field: path || 'body', rule: error.message ?? 'is invalid' };
  }
}

/** Maps alias names (`x-aliases` on a property) to the field's documented name. */
function aliasTable(fields: RouteDecl['fields']): Map<string, string> {
  const table = new Map<string, string>();
  for (const [name, schema] of Object.entries(fields.properties)) {
    for (const alias of ((schema as { 'x-aliases'?: string[] })['x-aliases'] ?? [])) table.set(alias, name);
  }
  return table;
}

const MAX_DEPTH = 16;

/** Before the schema sees it: no nesting bombs, no `__proto__` key (it would set a prototype). */
function checkShape(value: unknown, path: string, depth: number): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) throw errors.invalidField(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.forEach((v, i) => checkShape(v, `${path}[${i}]`, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    if (key === '__proto__') throw errors.invalidField(`${path}.__proto__`, 'is not a field of this route');
    checkShape(v, `${path}.${key}`, depth + 1);
  }
}

/** After coercion: numbers are finite and, when whole, exactly representable. */
function checkNumbers(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw errors.invalidField(path, 'must be a finite number');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw errors.invalidField(path, 'must lie between -(2^53 - 1) and 2^53 - 1');
  } else if (Array.isArray(value)) value.forEach((v, i) => checkNumbers(v, `${path}[${i}]`));
  else if (typeof value === 'object' && value !== null) for (const [key, v] of Object.entries(value)) checkNumbers(v, `${path}.${key}`);
}

export interface FieldValidator {
  (fields: Record<string, unknown>, source: 'form' | 'json'): Record<string, unknown>;
}

export function compileFieldValidator(route: Pick<RouteDecl, 'fields'>): FieldValidator {
  // Unknown fields are refused unless a route opts in: a typo must not be silently ignored.
  const schema = { additionalProperties: false, ...route.fields };
  const form: ValidateFunction = formAjv.compile(schema);
  const json: ValidateFunction = jsonAjv.compile(schema);
  const aliases = aliasTable(route.fields);
  return (input, source) => {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const name = aliases.get(key) ?? key;
      if (name === '__proto__') throw errors.invalidField(name, 'is not a field of this route');
      checkShape(value, name, 1);
      if (Object.hasOwn(fields, name)) throw errors.invalidField(name, `given twice (as '${name}' and an alias)`);
      fields[name] = value;
    }
    const validate = source === 'form' ? form : json;
    if (!validate(fields)) {
      const error = validate.errors![0]!;
      const { field, rule } = describeError(error);
      const detail = (error.keyword === 'enum' && capabilityRule(route.fields, field, fields[field])) || rule;
      throw OUT_OF_RANGE.has(error.keyword) ? errors.invalidValue(field, detail) : errors.invalidField(field, detail);
    }
    for (const [name, value] of Object.entries(fields)) checkNumbers(value, name);
    return fields;
  };
}

export function makeFieldValidation(route: Pick<RouteDecl, 'fields'>): RequestHandler {
  const validate = compileFieldValidator(route);
  return function validateFields(req, _res, next) {
    const source = req.is('application/json') ? 'json' : 'form';
    req.fields = validate(req.fields ?? {}, source);
    next();
  };
}
