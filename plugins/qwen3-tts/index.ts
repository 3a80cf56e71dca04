// Qwen3-TTS 12 Hz 0.6B CustomVoice (Qwen, Apache-2.0): nine built-in voices, the smallest
// checkpoint. The other checkpoints are the same plugin with other data: base/ (0.6B cloning),
// 1b7/ (voices + instructions), 1b7-base/, voicedesign/ (1.7B voice design).
import { makeQwen3Plugin } from './plugin.ts';
import { VARIANTS } from './variants.ts';

export default makeQwen3Plugin(VARIANTS['0.6B-CustomVoice']);
