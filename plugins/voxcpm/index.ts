// VoxCPM-0.5B (OpenBMB, Apache-2.0): the smallest generation, 16 kHz in and out, the best
// CPU candidate. VoxCPM1.5 and VoxCPM2 are the same plugin with other data (1.5/, 2/).
import { makeVoxcpmPlugin } from './plugin.ts';
import { VARIANTS } from './variants.ts';

export default makeVoxcpmPlugin({ name: 'voxcpm', variant: VARIANTS['0.5B'] });
