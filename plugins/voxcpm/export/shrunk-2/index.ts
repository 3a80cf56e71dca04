import { VARIANTS } from '../../variants.ts';
import { shrunkPlugin } from '../shrunk.ts';

export default shrunkPlugin(VARIANTS['2']);
