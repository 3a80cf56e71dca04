// VoxCPM2: 2 B parameters, 30 languages, 16 kHz in and 48 kHz out.
import { makeVoxcpmPlugin } from '../plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeVoxcpmPlugin({ name: 'voxcpm2', variant: VARIANTS['2'] });
