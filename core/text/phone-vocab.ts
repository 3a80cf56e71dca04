// Phone → id tables that ship with a model's weights (Amphion's `vocab.json`:
// `{"vocab": {",": 0, ".": 1, ...}}`, or a flat object). Phones the table lacks are
// dropped, as the Python front end drops them; callers can see which.
import { readFile } from 'node:fs/promises';
import { errors } from '../errors.ts';

export interface PhoneVocab {
  readonly size: number;
  has(phone: string): boolean;
  id(phone: string): number | undefined;
  /** Ids of the known phones, in order, and the phones that had none. */
  ids(phones: readonly string[]): { ids: number[]; unknown: string[] };
}

export function phoneVocabFrom(data: unknown, source = 'phone vocabulary'): PhoneVocab {
  const table = typeof data === 'object' && data !== null && 'vocab' in data ? (data as { vocab: unknown }).vocab : data;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw errors.unavailable(`${source}: expected an object of phone → id`);
  }
  const map = new Map<string, number>();
  for (const [phone, id] of Object.entries(table)) {
    if (!Number.isInteger(id) || (id as number) < 0) throw errors.unavailable(`${source}: id of '${phone}' is not a non-negative integer`);
    map.set(phone, id as number);
  }
  return {
    size: map.size,
    has: (phone) => map.has(phone),
    id: (phone) => map.get(phone),
    ids(phones) {
      const ids: number[] = [];
      const unknown: string[] = [];
      for (const phone of phones) {
        const id = map.get(phone);
        if (id === undefined) unknown.push(phone);
        else ids.push(id);
      }
      return { ids, unknown };
    },
  };
}

export async function loadPhoneVocab(path: string): Promise<PhoneVocab> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw errors.unavailable(`phone vocabulary ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return phoneVocabFrom(JSON.parse(text), `phone vocabulary ${path}`);
  } catch (error) {
    if (error instanceof SyntaxError) throw errors.unavailable(`phone vocabulary ${path} is not JSON: ${error.message}`);
    throw error;
  }
}
