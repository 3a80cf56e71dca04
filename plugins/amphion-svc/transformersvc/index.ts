// Amphion transformersvc: the shared SVC pipeline (../make-plugin.ts) with this model's entry of VARIANTS.
import { makeSvcPlugin } from '../make-plugin.ts';
import { VARIANTS } from '../variants.ts';

export default makeSvcPlugin(VARIANTS.transformersvc);
