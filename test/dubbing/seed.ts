// Seed 001 is an OpenAPI document printed twice inside a page of text (a curl line before
// it, prose after): the first balanced JSON object that parses is the document.
import { loadSeed } from '../support/seeds.ts';

export type SeedDoc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

export function firstJsonObject(text: string, from = 0): { value: unknown; end: number } | undefined {
  for (let start = text.indexOf('{', from); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 };
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}

export function loadSeed001(): { doc: SeedDoc } | { skip: string } {
  const seed = loadSeed('001_');
  if ('skip' in seed) return seed;
  const found = firstJsonObject(seed.text);
  if (!found) throw new Error('seed 001: no OpenAPI document found in the file');
  return { doc: found.value as SeedDoc };
}
