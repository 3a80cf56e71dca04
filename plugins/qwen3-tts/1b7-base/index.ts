// Qwen3-TTS 12 Hz 1.7B Base: voice cloning from a reference clip.
import { makeQwen3Plugin } from '../plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeQwen3Plugin(VARIANTS['1.7B-Base']);
