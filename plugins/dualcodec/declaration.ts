// One DualCodec plugin per published checkpoint: the same pipeline and routes, with the
// variant's hop, codebooks and graph contracts.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { DUALCODEC_CODEC } from '../dualcodec-common/codec.ts';
import { dualcodecCodec } from './capability.ts';
import { dualcodecGraphs } from './graphs.ts';
import { decodeRoute, encodeRoute } from './routes.ts';
import { DUALCODEC, type DualcodecVariant } from './variants.ts';

export function makeDualcodecPlugin(variant: DualcodecVariant) {
  return definePlugin({
    name: variant.plugin,
    title: `DualCodec ${variant.frameRate} Hz`,
    task: 'codec',
    summary:
      `DualCodec ${variant.modelId} (Amphion): a low-frame-rate, semantically enhanced 24 kHz speech codec; ${variant.frameRate} frames/s, ` +
      `1 × ${DUALCODEC.semanticVocab} semantic + up to ${variant.acousticLayers} × ${variant.acousticVocab} acoustic codebooks.`,
    license: 'code MIT (Amphion/DualCodec); weights apache-2.0 per the HF card, trained on Emilia (commercial use unconfirmed)',
    sampleRate: DUALCODEC.sampleRate,
    graphs: dualcodecGraphs(variant),
    routes: [encodeRoute(variant), decodeRoute(variant)],
    // encode/decode for the models trained on this codec's tokens (DualCodec-VALL-E)
    capabilities: { [DUALCODEC_CODEC]: dualcodecCodec(variant) },
  });
}
