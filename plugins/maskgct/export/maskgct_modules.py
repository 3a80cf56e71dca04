"""MaskGCT's T2S and S2A models (Amphion models/tts/maskgct/maskgct_t2s.py MaskGCT_T2S and
maskgct_s2a.py MaskGCT_S2A) in plain torch: the embeddings and heads around the DiffLlama
estimators, with the published checkpoints' names and shapes (manifest.json). Only what
inference touches is computed by the export wrappers; the modules hold every parameter the
checkpoints hold, so `load_state_dict(strict=True)` takes them whole.

Configurations (config/maskgct.json): T2S hidden 1536, 16 layers, 16 heads, 8192 semantic
codes, 1024 phone ids (padding 1023); S2A hidden 1024, 16 layers, 16 heads, 1024 acoustic codes
per codebook, 8192 semantic codes as condition; one codebook (s2a_1layer) or twelve (s2a_full).
"""
from torch import nn

from diff_llama import DiffLlama, DiffLlamaPrefix

T2S = dict(hidden_size=1536, num_layers=16, num_heads=16, cond_codebook_size=8192)
S2A = dict(hidden_size=1024, num_layers=16, num_heads=16, codebook_size=1024, cond_codebook_size=8192)
PHONES = 1024


class MaskGCT_T2S(nn.Module):
    def __init__(self, hidden_size, num_layers, num_heads, cond_codebook_size, ratio=4):
        super().__init__()
        self.mask_emb = nn.Embedding(1, hidden_size)
        self.to_logit = nn.Linear(hidden_size, cond_codebook_size)
        self.cond_emb = nn.Embedding(cond_codebook_size, hidden_size)
        self.phone_emb = nn.Embedding(PHONES, hidden_size, padding_idx=PHONES - 1)
        self.diff_estimator = DiffLlamaPrefix(hidden_size, num_heads, num_layers, ratio)


class MaskGCT_S2A(nn.Module):
    def __init__(self, num_quantizer, hidden_size, num_layers, num_heads, codebook_size, cond_codebook_size, ratio=4):
        super().__init__()
        self.layer_emb = nn.Embedding(num_quantizer, hidden_size)
        self.mask_emb = nn.Embedding(1, hidden_size)
        self.token_emb = nn.ModuleList([nn.Embedding(codebook_size, hidden_size) for _ in range(num_quantizer)])
        self.to_logits = nn.ModuleList([nn.Linear(hidden_size, codebook_size) for _ in range(num_quantizer)])
        self.cond_emb = nn.Embedding(cond_codebook_size, hidden_size)
        self.diff_estimator = DiffLlama(hidden_size, num_heads, num_layers, ratio)


# The test run's modules: the contract fixes the hidden widths and vocabularies, so one layer
# and MLPs as wide as the hidden state instead of sixteen layers and 4× MLPs.
SMALL = dict(num_layers=1, ratio=1)


def build_t2s(small=False):
    return MaskGCT_T2S(**{**T2S, **(SMALL if small else {})})


def build_s2a(num_quantizer, small=False):
    return MaskGCT_S2A(num_quantizer, **{**S2A, **(SMALL if small else {})})
