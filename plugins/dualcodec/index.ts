// DualCodec 12.5 Hz (12hz_v1), the checkpoint Amphion's examples use: the seed's
// /api/codec/dualcodec routes. The 25 Hz checkpoint is the `dualcodec-25hz` plugin (25hz/).
import { makeDualcodecPlugin } from './declaration.ts';
import { DUALCODEC_VARIANTS } from './variants.ts';

export default makeDualcodecPlugin(DUALCODEC_VARIANTS['12hz']);
