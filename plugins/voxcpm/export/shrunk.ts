// What `export_voxcpm.py --small` exports: a variant's contracts with one layer in each LM
// cache (every width the contract fixes is kept), so the recipe's check runs the plugin's own
// contract code on graphs small enough for a test.
import { makeVoxcpmPlugin } from '../plugin.ts';
import type { VoxcpmVariant } from '../variants.ts';

export const shrunkPlugin = (variant: VoxcpmVariant) =>
  makeVoxcpmPlugin({ name: `voxcpm-shrunk-${variant.id.toLowerCase().replace('.', '-')}`, variant: { ...variant, lm: { ...variant.lm, layers: 1 }, residualLayers: 1 } });
