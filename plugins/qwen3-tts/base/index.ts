// Qwen3-TTS 12 Hz 0.6B Base: voice cloning from a reference clip (ICL or x-vector only).
import { makeQwen3Plugin } from '../plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeQwen3Plugin(VARIANTS['0.6B-Base']);
