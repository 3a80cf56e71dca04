// Content features (50 Hz) onto the mel frames (24 kHz, hop 256), as Amphion's
// offline_resolution_transformation (processors/content_extractor.py) maps them: each source
// frame repeated source_hop times, averaged in groups of target_hop, the last frame repeated
// to fill. For 20 ms at 24 kHz (480 samples) against hop 256 the reduced hops are 15 and 8.
import { SVC } from '../settings.ts';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function hopsOf(frameSeconds = SVC.contentFrameSeconds, sampleRate = SVC.sampleRate, hop = SVC.hop): { source: number; target: number } {
  const source = Math.round(frameSeconds * sampleRate);
  const g = gcd(source, hop);
  return { source: source / g, target: hop / g };
}

/** get_valid_features: frames a clip of `seconds` has, ceil((d − shift)/shift) + 1. */
export function validFrames(seconds: number, frameSeconds = SVC.contentFrameSeconds): number {
  return Math.max(1, Math.ceil((seconds - frameSeconds) / frameSeconds) + 1);
}

/** [sourceFrames × dim] → [targetLen × dim], frame-major. */
export function alignContent(content: Float32Array, dim: number, targetLen: number, hops = hopsOf()): Float32Array {
  const sourceFrames = content.length / dim;
  const used = Math.min(Math.floor((targetLen * hops.target) / hops.source) + 1, sourceFrames);
  const total = Math.floor((used * hops.source) / hops.target) * hops.target;
  const groups = total / hops.target;
  const out = new Float32Array(targetLen * dim);
  for (let g = 0; g < Math.min(groups, targetLen); g++) {
    // average of up-sampled positions g·target … (g+1)·target − 1, position p reads frame floor(p / source)
    for (let p = g * hops.target; p < (g + 1) * hops.target; p++) {
      const frame = Math.floor(p / hops.source);
      for (let d = 0; d < dim; d++) out[g * dim + d]! += content[frame * dim + d]! / hops.target;
    }
  }
  const filled = Math.min(groups, targetLen);
  if (filled > 0) for (let t = filled; t < targetLen; t++) out.copyWithin(t * dim, (filled - 1) * dim, filled * dim);
  return out;
}
