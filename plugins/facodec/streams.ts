// FACodec's token streams as clients see them. The seed names three: content, prosody and
// timbre. FACodec's timbre is not coded: it is a continuous 256-dim speaker embedding,
// returned as `speaker_embedding`. Its third code stream is the residual (acoustic detail)
// quantiser, which the API keeps under the seed's name `timbre_tokens`:
//   prosody_tokens  1 × 1024   vq_id[0:1]
//   content_tokens  2 × 1024   vq_id[1:3]
//   timbre_tokens   3 × 1024   vq_id[3:6], the residual codes
// all at 80 frames per second.
import type { GridSpec } from '../codec-tokens/token-grid.ts';
import { FACODEC, maxFrames } from './settings.ts';

export const STREAMS = {
  prosody_tokens: { layers: FACODEC.layers.prosody, codebook: 'prosody' },
  content_tokens: { layers: FACODEC.layers.content, codebook: 'content' },
  timbre_tokens: { layers: FACODEC.layers.residual, codebook: 'residual (acoustic detail)' },
} as const;

export type StreamName = keyof typeof STREAMS;

export function streamSpec(name: StreamName, field: string = name): GridSpec {
  const { layers, codebook } = STREAMS[name];
  return {
    field,
    minLayers: layers,
    maxLayers: layers,
    layersHint: `FACodec's ${codebook} quantiser has ${layers} layer${layers > 1 ? 's' : ''}`,
    codebook: () => ({ size: FACODEC.codebookSize, name: codebook }),
    maxFrames,
    maxFramesReason: `${FACODEC.maxSeconds} s at ${FACODEC.frameRate} frames/s`,
  };
}
