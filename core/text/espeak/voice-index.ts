// Language code → espeak voice, as the Python phonemizer picks it: the first voice whose
// own language is the code; failing that, a voice that lists the code among its others,
// preferring the one named after it (`fr` → roa/fr rather than roa/fr-BE).

export interface VoiceLanguages {
  readonly identifier: string;
  /** The voice's own language first. */
  readonly languages: readonly string[];
}

export function voiceIndex(voices: readonly VoiceLanguages[]): (language: string) => string | undefined {
  const own = new Map<string, string>();
  const listed = new Map<string, string[]>();
  for (const voice of voices) {
    const [first, ...others] = voice.languages;
    if (first && !own.has(first)) own.set(first, voice.identifier);
    for (const code of others) listed.set(code, [...(listed.get(code) ?? []), voice.identifier]);
  }
  return (language) => {
    const code = language.trim().toLowerCase().replaceAll('_', '-');
    const found = own.get(code);
    if (found) return found;
    const candidates = listed.get(code) ?? [];
    return candidates.find((id) => id.toLowerCase().endsWith(`/${code}`)) ?? candidates[0];
  };
}
