// Qwen3-TTS 12 Hz 1.7B VoiceDesign: a voice made from a description in the instructions.
import { makeQwen3Plugin } from '../plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeQwen3Plugin(VARIANTS['1.7B-VoiceDesign']);
