// Request checks the seed's VoxCPM server makes with 422 (pydantic), shared by the route and
// the tts capability so both answer the same.
import { errors } from '../../core/errors.ts';
import { VOXCPM } from './variants.ts';

export function checkedCfg(value: number | undefined): number {
  const cfg = value ?? VOXCPM.cfgValue;
  const [low, high] = VOXCPM.cfgRange;
  if (!Number.isFinite(cfg) || cfg < low || cfg > high) throw errors.unprocessable(`cfg_value: must be between ${low} and ${high}, got ${value}`);
  return cfg;
}

export { freshSeed } from '../../core/generation/rng.ts';
