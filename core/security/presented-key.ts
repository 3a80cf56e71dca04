// Where a client may put its key: `X-API-Key` (Amphion), `Authorization: Api-Key <key>`
// (VoiceDub) or `Authorization: Bearer <key>` (OpenAI clients). X-API-Key wins when both
// are sent, so a proxy that adds its own Authorization cannot take over the call.

export type PresentedKey =
  | { readonly kind: 'none' }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'malformed'; readonly problem: string };

const SCHEME = /^(Bearer|Api-Key)[ \t]+(\S+)[ \t]*$/i;
/** Longer than any key the hub issues or accepts; not worth hashing. */
const MAX_KEY_LENGTH = 512;

export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): PresentedKey {
  const header = headers['x-api-key'];
  const auth = headers.authorization;
  let key: string | undefined;
  if (typeof header === 'string' && header.trim()) key = header.trim();
  else if (typeof auth === 'string' && auth.trim()) {
    const match = SCHEME.exec(auth.trim());
    if (!match) {
      const scheme = auth.trim().split(/\s/, 1)[0]!.slice(0, 20);
      return { kind: 'malformed', problem: `Authorization scheme '${scheme}' is not accepted; send the key as 'X-API-Key: <key>', 'Authorization: Bearer <key>' or 'Authorization: Api-Key <key>'` };
    }
    key = match[2]!;
  }
  if (key === undefined) return { kind: 'none' };
  if (key.length > MAX_KEY_LENGTH) return { kind: 'malformed', problem: 'invalid API key' };
  return { kind: 'key', key };
}
