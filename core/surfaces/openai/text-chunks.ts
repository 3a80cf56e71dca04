// Splits speech input into the chunks that are synthesised one at a time (and streamed as
// each is ready). Breaks fall at sentence ends first, then at clause marks, then between
// words; neighbouring short sentences share a chunk up to `maxChars`.

const SENTENCE = /[^.!?;。！？；…\n]+(?:[.!?;。！？；…]+["'”’)\]]*|\n+|$)|[.!?;。！？；…\n]+/gu;
const CLAUSE = /[^,:，：、]+(?:[,:，：、]+|$)|[,:，：、]+/gu;
const WORD = /\S+\s*/gu;

/** Cuts one piece into parts of at most `max` characters, at the coarsest break that fits. */
function cut(piece: string, max: number, patterns: readonly RegExp[]): string[] {
  if ([...piece].length <= max) return [piece];
  const [pattern, ...finer] = patterns;
  if (!pattern) {
    const chars = [...piece];
    const parts: string[] = [];
    for (let i = 0; i < chars.length; i += max) parts.push(chars.slice(i, i + max).join(''));
    return parts;
  }
  return pack((piece.match(pattern) ?? [piece]).flatMap((part) => cut(part, max, finer)), max);
}

/** Greedily joins consecutive parts while the result stays within `max` characters. */
function pack(parts: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    if (current && [...current].length + [...part].length > max) {
      out.push(current);
      current = '';
    }
    current += part;
  }
  if (current) out.push(current);
  return out;
}

export function splitIntoChunks(text: string, maxChars: number): string[] {
  const chunks = cut(text, maxChars, [SENTENCE, CLAUSE, WORD])
    .map((chunk) => chunk.replace(/\s+/gu, ' ').trim())
    .filter((chunk) => /[\p{L}\p{N}]/u.test(chunk));
  // Input with nothing speakable (only punctuation) still goes to the plugin once: it decides.
  return chunks.length ? chunks : [text.trim() || text];
}
