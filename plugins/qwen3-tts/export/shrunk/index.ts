// What `export_qwen3_tts.py --small` exports: the plugin's own contracts (qwen3Graphs) at the
// shrunk widths of the recipe's SMALL config, so its check runs the hub's contract code on
// graphs small enough for a test.
import { makeQwen3Plugin } from '../../plugin.ts';
import { VARIANTS } from '../../variants.ts';

export default makeQwen3Plugin({
  ...VARIANTS['0.6B-Base'],
  plugin: 'qwen3-tts-shrunk',
  talker: { hidden: 64, layers: 1, kvHeads: 2, headDim: 16 },
  predictor: { hidden: 32, layers: 1, kvHeads: 2, headDim: 8 },
});
