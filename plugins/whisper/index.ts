// Whisper base (74 M parameters, multilingual): a CPU-friendly default for transcribing
// uploads and reference clips. Converted graphs: see EXPORT.md.
import { makeWhisperPlugin } from './plugin.ts';
import { PRESETS } from './presets.ts';

export default makeWhisperPlugin({ name: 'whisper', title: 'Whisper (base)', path: '/transcribe', preset: PRESETS.base });
