// VoxCPM1.5: 44.1 kHz AudioVAE, patches of 4 (6.25 LM steps per second).
import { makeVoxcpmPlugin } from '../plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeVoxcpmPlugin({ name: 'voxcpm15', variant: VARIANTS['1.5'] });
