// Which plugins the studio speaks and listens with. Speech: a plugin whose `tts`
// capability clones from a reference clip (`supports` has 'reference'): the one a request
// names in `engine`, else the configured default when it is installed, else the first
// cloning TTS in registry order. Transcription: the first plugin offering `asr`.
import type { AsrCapability, CapabilityProvider, CapabilityRegistry, TtsCapability } from '../../capabilities.ts';
import { errors } from '../../errors.ts';
import { clonesVoices } from '../openai/voices.ts';
import { invalid } from './validation.ts';

export type CloningEngine = CapabilityProvider<TtsCapability>;

export interface Engines {
  /** Usable cloning TTS plugins (weights installed or smoke), in registry order. */
  cloning(): CloningEngine[];
  /** The engine a generation runs on; 422 for an engine that is not a usable cloning TTS, 503 when there is none. */
  choose(requested: string | undefined): CloningEngine;
  /** The engine a request naming none would get, if any. */
  current(): CloningEngine | undefined;
  asr(): CapabilityProvider<AsrCapability>;
}

export function makeEngines(deps: { capabilities: CapabilityRegistry; defaultEngine: string }): Engines {
  const cloning = () => deps.capabilities.list<TtsCapability>('tts').filter(clonesVoices);
  const current = () => {
    const all = cloning();
    return all.find((p) => p.plugin === deps.defaultEngine) ?? all[0];
  };
  return {
    cloning,
    current,
    choose(requested) {
      if (requested === undefined) {
        const engine = current();
        if (!engine) throw errors.unavailable('no installed plugin offers voice cloning (a tts capability that supports a reference clip); see GET /models/status');
        return engine;
      }
      const engine = cloning().find((p) => p.plugin === requested);
      if (engine) return engine;
      const names = cloning().map((p) => p.plugin);
      throw invalid(['body', 'engine'], `Engine '${requested}' is not an installed voice-cloning TTS; available: ${names.length ? names.join(', ') : 'none'}`, 'enum');
    },
    asr() {
      const provider = deps.capabilities.list<AsrCapability>('asr')[0];
      if (!provider) throw errors.unavailable('no installed plugin offers speech recognition (asr); see GET /models/status');
      return provider;
    },
  };
}
