"""A small random stand-in for the one MaskGCT module not yet re-declared in plain torch:
w2v-BERT 2.0 (`transformers`' Wav2Vec2BertModel; T2S, S2A and both codecs are the real
architectures: maskgct_modules.py, semantic_codec.py, acoustic_codec.py). It has the call
signature the export wrapper uses and the contract's widths (160 features in, 1024 hidden, 25
hidden states) but one light layer: for the w2v_bert graph a run proves the graph cut and the
contract, not the architecture. The SeamlessM4T/w2v-BERT statistics are random too.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn


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
    }
