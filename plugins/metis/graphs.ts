// Metis' own graphs: its stage-1 model fine-tuned for TTS, cut as MaskGCT's T2S is (the same
// DiffLlamaPrefix network and contract; EXPORT.md). Everything else it runs — w2v-BERT, the
// semantic codec, the acoustic codec and both S2A models — is MaskGCT's, through the
// `maskgct-stages` capability, so no weight file is held twice.
import { t2sGraphs } from '../maskgct-common/t2s-graphs.ts';

export const graphs = t2sGraphs;
