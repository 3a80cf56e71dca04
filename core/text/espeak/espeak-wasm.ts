// The espeak-ng WebAssembly build (@echogarden/espeak-ng-emscripten), wrapped in a small
// typed surface. It holds global state (the current voice), so exactly one caller owns an
// instance: the espeak worker thread.
import initEspeak from '@echogarden/espeak-ng-emscripten';

export interface EspeakVoiceInfo {
  /** espeak's identifier, e.g. `gmw/en-US`. */
  readonly identifier: string;
  readonly name: string;
  /** Language codes in espeak's priority order; the first is the voice's own. */
  readonly languages: readonly string[];
}

export interface SynthesisSettings {
  /** Voice identifier, optionally with a variant: `gmw/en-US+f3`. */
  readonly voice: string;
  /** Words per minute. */
  readonly rate: number;
  /** Base pitch, 0–100 (espeak's scale, 50 is the voice's default). */
  readonly pitch: number;
  /** Pitch range, 0–100 (0 is monotone). */
  readonly range: number;
}

export interface EspeakWasm {
  readonly voices: readonly EspeakVoiceInfo[];
  readonly variants: readonly string[];
  /** IPA with `_` between phones and spaces between words, one call per clause joined by a space. */
  textToPhonemes(text: string, voice: string): string;
  synthesize(text: string, settings: SynthesisSettings): Float32Array;
}

interface EmscriptenWorker {
  set_voice(name: string): number;
  convert_to_phonemes(text: string, ipa: boolean): { ptr: number };
  synthesize(text: string, callback: (samples: Int16Array) => boolean | void): void;
  set_rate(value: number): void;
  set_pitch(value: number): void;
  set_range(value: number): void;
  list_voices(): { name: string; identifier: string; languages: { priority: number; name: string }[] }[];
}

interface EmscriptenModule {
  eSpeakNGWorker: new () => EmscriptenWorker;
  HEAPU8: Uint8Array;
  _free(ptr: number): void;
  FS: { readdir(path: string): string[] };
}

const VARIANTS_DIR = '/usr/share/espeak-ng-data/voices/!v';
const utf8 = new TextDecoder();

// espeak_Synth runs with the SSML flag set, so markup characters in plain text must be escaped.
function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export async function loadEspeakWasm(): Promise<EspeakWasm> {
  const module = (await (initEspeak as unknown as () => Promise<EmscriptenModule>)()) as EmscriptenModule;
  const worker = new module.eSpeakNGWorker();
  let currentVoice = '';

  const useVoice = (voice: string) => {
    if (voice === currentVoice) return;
    if (worker.set_voice(voice) !== 0) throw new Error(`espeak has no voice '${voice}'`);
    currentVoice = voice;
  };

  // The glue returns a heap string it allocated with new[]; read it and give it back.
  const takeString = (ptr: number): string => {
    let end = ptr;
    while (module.HEAPU8[end] !== 0) end++;
    const text = utf8.decode(module.HEAPU8.subarray(ptr, end));
    module._free(ptr);
    return text;
  };

  const voices = worker.list_voices().map((v) => ({
    identifier: v.identifier,
    name: v.name,
    languages: v.languages.map((l) => l.name),
  }));
  const variants = module.FS.readdir(VARIANTS_DIR).filter((name) => !name.startsWith('.'));

  return {
    voices,
    variants,
    textToPhonemes(text, voice) {
      useVoice(voice);
      // The glue joins espeak's clause-by-clause results with " | "; phonemizer joins them with a space.
      return takeString(worker.convert_to_phonemes(text, true).ptr).split(' | ').join(' ');
    },
    synthesize(text, settings) {
      useVoice(settings.voice);
      worker.set_rate(settings.rate);
      worker.set_pitch(settings.pitch);
      worker.set_range(settings.range);
      const chunks: Int16Array[] = [];
      worker.synthesize(escapeMarkup(text), (samples) => {
        if (samples.length > 0) chunks.push(samples);
      });
      const total = chunks.reduce((sum, c) => sum + c.length, 0);
      const out = new Float32Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        for (let i = 0; i < chunk.length; i++) out[offset + i] = chunk[i]! / 32768;
        offset += chunk.length;
      }
      return out;
    },
  };
}
