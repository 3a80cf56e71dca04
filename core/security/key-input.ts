// What an operator may ask for when creating a key, checked the same way for the CLI and
// the HTTP surface: a printable name, a role, an expiry in the future, positive limits.
import { errors } from '../errors.ts';
import { ROLES, type NewKey, type Role } from './key-store.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_LIMIT = 1_000_000;

/** `30d`, `12h`, `2w` from now, or an ISO 8601 date / date-time. */
export function parseExpiry(text: string, now = new Date()): Date {
  const relative = /^(\d{1,5})([mhdw])$/.exec(text.trim());
  const when = relative ? new Date(now.getTime() + Number(relative[1]) * UNITS[relative[2]!]!) : /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(when.getTime())) throw errors.invalidField('expires', `'${text.slice(0, 40)}' is neither a duration like 30d / 12h nor an ISO 8601 date`);
  if (when <= now) throw errors.invalidField('expires', 'must lie in the future');
  return when;
}

function positiveLimit(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) throw errors.invalidField(field, `must be an integer from 1 to ${MAX_LIMIT}`);
  return value;
}

export function checkedNewKey(input: { name: string; role?: string; expires?: string; perMinute?: number; perHour?: number }): NewKey {
  const name = input.name.trim();
  if (!name || name.length > 100 || /[\x00-\x1f\x7f]/.test(name)) throw errors.invalidField('name', 'must be 1 to 100 printable characters');
  const role = (input.role ?? 'user') as Role;
  if (!ROLES.includes(role)) throw errors.invalidField('role', `must be one of: ${ROLES.join(', ')}`);
  const perMinute = positiveLimit('per_minute', input.perMinute);
  const perHour = positiveLimit('per_hour', input.perHour);
  return {
    name,
    role,
    ...(input.expires ? { expiresAt: parseExpiry(input.expires) } : {}),
    limits: { ...(perMinute ? { perMinute } : {}), ...(perHour ? { perHour } : {}) },
  };
}
