// Punctuation preservation as the Python `phonemizer` package does it: espeak drops
// punctuation, so the text is cut at each run of marks, the pieces are phonemized, and
// the marks are put back between them. Models trained on that output expect exactly it.

export type MarkPosition = 'begin' | 'inside' | 'end' | 'alone';

export interface Mark {
  readonly mark: string;
  readonly position: MarkPosition;
}

function escapeClass(marks: string): string {
  return marks.replace(/[\\\]^-]/g, '\\$&');
}

/** Cuts a line at each run of marks (with the spaces around them): 'hi, you!' → ['hi', 'you'], [',' inside, '!' end]. */
export function preservePunctuation(line: string, marks: string): { chunks: string[]; marks: Mark[] } {
  const pattern = new RegExp(`(?:\\s*[${escapeClass(marks)}]+\\s*)+`, 'gu');
  const found = [...line.matchAll(pattern)].map((m) => m[0]);
  if (found.length === 0) return { chunks: [line], marks: [] };
  if (found.length === 1 && found[0] === line) return { chunks: [], marks: [{ mark: line, position: 'alone' }] };

  const kept: Mark[] = found.map((mark, i) => ({
    mark,
    position: i === 0 && line.startsWith(mark) ? 'begin' : i === found.length - 1 && line.endsWith(mark) ? 'end' : 'inside',
  }));
  const chunks: string[] = [];
  let rest = line;
  for (const { mark } of kept) {
    const at = rest.indexOf(mark);
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at + mark.length);
  }
  chunks.push(rest);
  return { chunks: chunks.filter((c) => c !== ''), marks: kept };
}

/** Puts the marks back between phonemized chunks; spaces inside a mark become the word separator. */
export function restorePunctuation(chunks: readonly string[], marks: readonly Mark[], wordSeparator: string): string[] {
  let text = [...chunks];
  const out: string[] = [];
  for (let i = 0; i < marks.length; i++) {
    const current = marks[i]!;
    if (text.length === 0) {
      out.push(marks.slice(i).map((m) => m.mark.replace(/\s/gu, wordSeparator)).join(''));
      return out;
    }
    if (wordSeparator && text[0]!.endsWith(wordSeparator)) text[0] = text[0]!.slice(0, -wordSeparator.length);
    const mark = current.mark.replace(/\s/gu, wordSeparator);
    switch (current.position) {
      case 'begin':
        text[0] = mark + text[0];
        break;
      case 'end':
        out.push(text[0] + mark);
        text = text.slice(1);
        break;
      case 'alone':
        out.push(mark);
        break;
      case 'inside':
        text = text.length === 1 ? [text[0] + mark] : [text[0] + mark + text[1], ...text.slice(2)];
        break;
    }
  }
  return [...out, ...text];
}
