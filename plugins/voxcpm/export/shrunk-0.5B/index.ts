import { VARIANTS } from '../../variants.ts';
import { shrunkPlugin } from '../shrunk.ts';

export default shrunkPlugin(VARIANTS['0.5B']);
