// DualCodec 25 Hz (25hz_v1): a DAC hop of 960 samples, so a decoder contract of its own
// and a weight folder of its own. Everything else is the `dualcodec` plugin's.
import { makeDualcodecPlugin } from '../declaration.ts';
import { DUALCODEC_VARIANTS } from '../variants.ts';

export default makeDualcodecPlugin(DUALCODEC_VARIANTS['25hz']);
