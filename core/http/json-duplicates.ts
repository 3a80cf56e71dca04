// JSON.parse keeps the last of two equal keys (RFC 8259 §4 leaves duplicates undefined),
// so `{"voice":"a","voice":"b"}` would pass one value to the checks and another to a
// reader that takes the first. The body is refused instead, naming the key. This scans
// text that JSON.parse has already accepted, so it only tracks strings and nesting.

/** The first key that appears twice in one object, with the path of that object, or undefined. */
export function duplicateKey(text: string): { key: string; path: string } | undefined {
  // One entry per open container: the keys seen so far (objects) or null (arrays), and its path.
  const stack: { keys: Set<string> | null; path: string; expectKey: boolean; lastKey?: string; index: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string; // "\u0061" and "a" are the same key
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      const path = !top ? '' : top.keys ? `${top.path}${top.path ? '.' : ''}${top.lastKey}` : `${top.path}[${top.index}]`;
      stack.push({ keys: c === '{' ? new Set() : null, path, expectKey: c === '{', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}
