"""Small random stand-ins for the MaskGCT modules not yet re-declared in plain torch: w2v-BERT 2.0
and the acoustic codec (T2S, S2A and the semantic codec are the real architectures:
maskgct_modules.py, semantic_codec.py). Each class has the attribute names and call signatures
the export wrappers use on the real modules (CodecEncoder/Decoder with ResidualVQ and Vocos,
Wav2Vec2BertModel) and the contract's widths (1024 hidden, 1024 vocabulary, 961 bins),
but one light layer where the real model has many: for these graphs a run proves the graph cut
and the contract, not the architecture.
"""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class FactorizedVQ(nn.Module):
    """Factorized VQ: project to 8 dims, nearest codebook row by cosine, project back."""

    def __init__(self, dim, codebook=1024, codebook_dim=8):
        super().__init__()
        self.in_project = nn.Conv1d(dim, codebook_dim, 1)
        self.out_project = nn.Conv1d(codebook_dim, dim, 1)
        self.codebook = nn.Embedding(codebook, codebook_dim)

    def indices(self, z):
        latent = F.normalize(self.in_project(z).transpose(1, 2), dim=-1)  # [B, T, 8]
        return (latent @ F.normalize(self.codebook.weight, dim=-1).t()).argmax(-1)

    def decode(self, ids):
        return self.out_project(self.codebook(ids).transpose(1, 2))


class ResidualVQ(nn.Module):
    """forward(z) -> (quantized, indices [n_q, B, T], ...); vq2emb(indices) -> [B, C, T]."""

    def __init__(self, dim=256, layers=12):
        super().__init__()
        self.quantizers = nn.ModuleList([FactorizedVQ(dim) for _ in range(layers)])

    def forward(self, z):
        residual, quantized, all_ids = z, torch.zeros_like(z), []
        for q in self.quantizers:
            ids = q.indices(residual)
            step = q.decode(ids)
            quantized, residual = quantized + step, residual - step
            all_ids.append(ids)
        return quantized, torch.stack(all_ids), None, None, None

    def vq2emb(self, vq):
        return sum(q.decode(vq[i]) for i, q in enumerate(self.quantizers))


class CodecEncoder(nn.Module):
    """Strides 3, 4, 5, 8 with kernel 2s and padding ceil(s/2), as Amphion's EncoderBlocks: T/480 frames."""

    def __init__(self, out_channels=256):
        super().__init__()
        channels = [1, 16, 32, 64, 128]
        layers = []
        for i, s in enumerate([3, 4, 5, 8]):
            layers += [nn.Conv1d(channels[i], channels[i + 1], 2 * s, stride=s, padding=math.ceil(s / 2)), nn.Tanh()]
        layers.append(nn.Conv1d(channels[-1], out_channels, 3, padding=1))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)


class VocosBackbone(nn.Module):
    def __init__(self, input_channels=256, dim=64):
        super().__init__()
        self.embed = nn.Conv1d(input_channels, dim, 7, padding=3)
        self.final_layer_norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        return self.final_layer_norm(self.embed(x).transpose(1, 2))


class CodecDecoder(nn.Module):
    def __init__(self, dim=64, n_fft=1920):
        super().__init__()
        self.quantizer = ResidualVQ()
        self.model = nn.Module()  # Vocos: .backbone and .head.out, as Amphion names them
        self.model.backbone = VocosBackbone(dim=dim)
        self.model.head = nn.Module()
        self.model.head.out = nn.Linear(dim, n_fft + 2)

    def vq2emb(self, vq, n_quantizers=None):
        return self.quantizer.vq2emb(vq)


class Wav2Vec2Bert(nn.Module):
    """forward(input_features, attention_mask, output_hidden_states) -> object with hidden_states (25 entries)."""

    def __init__(self, dim=1024, layers=24):
        super().__init__()
        self.feature_projection = nn.Linear(160, dim)
        self.layer = nn.Linear(dim, dim)
        self.layers = layers

    def forward(self, input_features, attention_mask=None, output_hidden_states=True):
        x = self.feature_projection(input_features) * attention_mask[..., None].to(input_features.dtype)
        states = [x]
        for _ in range(self.layers):
            x = x + torch.tanh(self.layer(x))
            states.append(x)
        return SimpleNamespace(hidden_states=tuple(states))


def build_stand_ins():
    return {
        "w2v_bert": Wav2Vec2Bert(),
        "semantic_mean": torch.randn(1024) * 0.1,
        "semantic_std": torch.rand(1024) + 0.5,
        "codec_encoder": CodecEncoder(),
        "codec_decoder": CodecDecoder(),
    }
