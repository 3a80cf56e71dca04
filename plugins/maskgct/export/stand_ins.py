"""Small random stand-ins for MaskGCT's modules, for a dry run of export_maskgct.py.

Each class has the attribute names and call signatures the export wrappers use on Amphion's
real modules (MaskGCT_T2S, MaskGCT_S2A, DiffLlama(Prefix), RepCodec, CodecEncoder/Decoder with
ResidualVQ and Vocos, Wav2Vec2BertModel) and the contract's real widths (1536/1024 hidden,
8192/1024 vocabularies, 961 bins), but one light layer where the real model has many. What a
dry run proves: the graph cut exports with torch 1.13 and loads against graphs.ts. What it
does not: that the real layers export (see EXPORT.md's gotchas for those).
"""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


def step_embedding(t, dim):
    """SinusoidalPosEmb of llama_nar.py: t in [0, 1], scale 1."""
    half = dim // 2
    freqs = torch.exp(torch.arange(half) * -(math.log(10000) / (half - 1)))
    angles = t[:, None] * freqs[None, :]
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


class Attention(nn.Module):
    """Bidirectional multi-head attention with an additive padding mask, written with plain ops."""

    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        scores = scores + (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        return self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    """One pre-norm block whose norm weight comes from the step embedding (adaptive RMSNorm)."""

    def __init__(self, dim):
        super().__init__()
        self.to_weight = nn.Linear(dim, dim)
        self.attention = Attention(dim)
        self.mlp = nn.Linear(dim, dim)

    def forward(self, x, step, mask):
        norm = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.to_weight(step)[:, None, :]
        x = x + self.attention(norm, mask)
        return x + self.mlp(F.silu(x))


class DiffLlamaPrefix(nn.Module):
    """forward(x, t, x_mask, phone_embedding, phone_mask): phones prepended, removed from the output."""

    def __init__(self, dim):
        super().__init__()
        self.cond_mlp = nn.Linear(dim, dim)
        self.diff_step_mlp = nn.Linear(dim, dim)
        self.block = Block(dim)

    def forward(self, x, diffusion_step, x_mask, phone_embedding=None, phone_mask=None):
        phones = self.cond_mlp(phone_embedding)
        h = torch.cat([phones, x], dim=1)
        mask = torch.cat([phone_mask.to(x.dtype), x_mask.to(x.dtype)], dim=1)
        step = self.diff_step_mlp(step_embedding(diffusion_step, x.shape[-1]))
        return self.block(h, step, mask)[:, phones.shape[1]:]


class DiffLlama(nn.Module):
    """forward(x, t, cond, x_mask): the frame condition is added to the input."""

    def __init__(self, dim):
        super().__init__()
        self.cond_mlp = nn.Linear(dim, dim)
        self.diff_step_mlp = nn.Linear(dim, dim)
        self.block = Block(dim)

    def forward(self, x, diffusion_step, cond, x_mask):
        step = self.diff_step_mlp(step_embedding(diffusion_step, x.shape[-1]))
        return self.block(x + self.cond_mlp(cond), step, x_mask)


class T2S(nn.Module):
    def __init__(self, dim=1536, vocab=8192):
        super().__init__()
        self.mask_emb = nn.Embedding(1, dim)
        self.to_logit = nn.Linear(dim, vocab)
        self.cond_emb = nn.Embedding(vocab, dim)
        self.phone_emb = nn.Embedding(1024, dim, padding_idx=1023)
        self.diff_estimator = DiffLlamaPrefix(dim)


class S2A(nn.Module):
    def __init__(self, num_quantizer, dim=1024, codebook=1024, cond_vocab=8192):
        super().__init__()
        self.layer_emb = nn.Embedding(num_quantizer, dim)
        self.mask_emb = nn.Embedding(1, dim)
        self.token_emb = nn.ModuleList([nn.Embedding(codebook, dim) for _ in range(num_quantizer)])
        self.to_logits = nn.ModuleList([nn.Linear(dim, codebook) for _ in range(num_quantizer)])
        self.cond_emb = nn.Embedding(cond_vocab, dim)
        self.diff_estimator = DiffLlama(dim)


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


class RepCodec(nn.Module):
    """quantize(x [B, T, 1024]) -> (codes [B, T], reconstruction)."""

    def __init__(self, dim=1024, vocab=8192):
        super().__init__()
        self.vq = FactorizedVQ(dim, codebook=vocab)

    def quantize(self, x):
        z = x.transpose(1, 2)
        codes = self.vq.indices(z)
        return codes, self.vq.decode(codes).transpose(1, 2)


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
        "semantic_codec": RepCodec(),
        "codec_encoder": CodecEncoder(),
        "codec_decoder": CodecDecoder(),
        "t2s": T2S(),
        "s2a_1layer": S2A(num_quantizer=1),
        "s2a_full": S2A(num_quantizer=12),
    }
