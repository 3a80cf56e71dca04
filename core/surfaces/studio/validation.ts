// Request checks in the seed's validation shape: 422 with `{"detail": [{loc, msg, type}]}`,
// the loc/msg/type wording FastAPI (pydantic 2) uses, so voicebox clients read our errors
// as they read theirs. Bodies are checked against the seed's own schemas (schemas.ts).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { HubError } from '../../errors.ts';
import { STUDIO_SCHEMAS, type StudioSchemaName } from './schemas.ts';

export interface ValidationIssue {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** A 422 whose detail is the list of issues (the studio's error handler writes it as the seed does). */
export class StudioValidationError extends HubError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[]) {
    super('validation_failed', 422, issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.issues = issues;
  }
}

export const invalid = (loc: readonly (string | number)[], msg: string, type: string) => new StudioValidationError([{ loc, msg, type }]);

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['string_type', 'Input should be a valid string'],
  integer: ['int_type', 'Input should be a valid integer'],
  number: ['float_type', 'Input should be a valid number'],
  boolean: ['bool_type', 'Input should be a valid boolean'],
  object: ['model_attributes_type', 'Input should be a valid dictionary or object to extract fields from'],
};

function issueOf(error: ErrorObject, root: readonly string[]): ValidationIssue {
  const path = error.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  const loc = [...root, ...path];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { loc: [...loc, params.missingProperty as string], msg: 'Field required', type: 'missing' };
    case 'maxLength':
      return { loc, msg: `String should have at most ${params.limit} characters`, type: 'string_too_long' };
    case 'minLength':
      return { loc, msg: `String should have at least ${params.limit} character${params.limit === 1 ? '' : 's'}`, type: 'string_too_short' };
    case 'pattern':
      return { loc, msg: `String should match pattern '${params.pattern}'`, type: 'string_pattern_mismatch' };
    case 'minimum':
      return { loc, msg: `Input should be greater than or equal to ${params.limit}`, type: 'greater_than_equal' };
    case 'maximum':
      return { loc, msg: `Input should be less than or equal to ${params.limit}`, type: 'less_than_equal' };
    case 'type': {
      const [type, msg] = TYPE_NAMES[String(params.type).split(',')[0]!] ?? ['type_error', error.message ?? 'Input has the wrong type'];
      return { loc, msg, type };
    }
    default:
      return { loc, msg: error.message ?? 'Input is invalid', type: 'value_error' };
  }
}

// One error per request (allErrors off): no amplification on hostile input, and the first
// problem is the one a client fixes first. Extra fields are ignored, as the seed's models do.
const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true, coerceTypes: false });
const compiled = new Map<StudioSchemaName, ValidateFunction>();

/** Checks a JSON body against one of the seed's request models (they hold no $ref); returns it with defaults applied. */
export function validateBody(name: StudioSchemaName, body: unknown): Record<string, unknown> {
  let validate = compiled.get(name);
  if (!validate) compiled.set(name, (validate = ajv.compile(STUDIO_SCHEMAS[name])));
  const copy = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body } : body;
  if (!validate(copy)) throw new StudioValidationError([issueOf(validate.errors![0]!, ['body'])]);
  return copy as Record<string, unknown>;
}

/** A query parameter declared `integer` (FastAPI parses the text; `12abc` is refused). */
export function queryInteger(value: unknown, name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[+-]?\d{1,15}$/.test(value.trim())) {
    throw invalid(['query', name], 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing');
  }
  const n = Number(value);
  if (bounds.min !== undefined && n < bounds.min) throw invalid(['query', name], `Input should be greater than or equal to ${bounds.min}`, 'greater_than_equal');
  if (bounds.max !== undefined && n > bounds.max) throw invalid(['query', name], `Input should be less than or equal to ${bounds.max}`, 'less_than_equal');
  return n;
}

/** An optional text query parameter given at most once. */
export function queryText(value: unknown, name: string, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(['query', name], 'Input should be a valid string', 'string_type');
  if ([...value].length > maxLength) throw invalid(['query', name], `String should have at most ${maxLength} characters`, 'string_too_long');
  return value;
}
