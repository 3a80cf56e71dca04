"""MaskGCT's semantic codec: Amphion's models/codec/kmeans/repcodec_model.py `RepCodec` with
config/maskgct.json's semantic_codec (codebook 8192 × 8, hidden 1024, Vocos width 384,
intermediate 2048, 12 layers, one quantizer, no down-sampling), in plain torch with the
released checkpoint's names (manifest.json). quantize(x [B, T, 1024]) → (ids [B, T], quantized).
"""
from torch import nn

from vocos import ResidualVQ, VocosBackbone

SEMANTIC = dict(codebook_size=8192, hidden_size=1024, codebook_dim=8, vocos_dim=384, vocos_intermediate_dim=2048, vocos_num_layers=12)


class RepCodec(nn.Module):
    def __init__(self, codebook_size, hidden_size, codebook_dim, vocos_dim, vocos_intermediate_dim, vocos_num_layers):
        super().__init__()

        def half():
            return nn.Sequential(VocosBackbone(hidden_size, vocos_dim, vocos_intermediate_dim, vocos_num_layers), nn.Linear(vocos_dim, hidden_size))

        self.encoder = half()
        self.decoder = half()
        self.quantizer = ResidualVQ(hidden_size, 1, codebook_size, codebook_dim)

    def quantize(self, x):
        quantized, ids, *_ = self.quantizer(self.encoder(x.transpose(1, 2)).transpose(1, 2))
        return ids[0], quantized.transpose(1, 2)


def build_semantic_codec(small=False):
    return RepCodec(**{**SEMANTIC, **(dict(vocos_dim=64, vocos_intermediate_dim=128, vocos_num_layers=2) if small else {})})
