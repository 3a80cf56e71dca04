"""The Vocos ConvNeXt backbone and Amphion's factorised residual VQ, in plain torch, with the
parameter names of Amphion's models/codec/kmeans/vocos.py `VocosBackbone` (non-adaptive norm)
and models/codec/amphion_codec/quantize/{residual_vq.py, factorized_vector_quantize.py}.
Shared by MaskGCT's semantic codec (RepCodec) and acoustic codec.

Facts carried over (the code is ours):
- backbone: `embed` Conv1d(k7, pad 3) → LayerNorm(eps 1e-6) → ConvNeXt blocks → final LayerNorm;
  block: depthwise Conv1d(k7, pad 3) → LayerNorm(eps 1e-6) → Linear → GELU → Linear → ×gamma
  (layer scale, initialised 1/num_layers) → + residual;
- factorised VQ: weight-normed 1×1 `in_project` to the code width, nearest codebook row after
  L2-normalising both (the largest dot product), the raw codebook row, weight-normed
  `out_project` back; the residual VQ codes what earlier layers left.
"""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import weight_norm


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, intermediate_dim, layer_scale):
        super().__init__()
        self.dwconv = nn.Conv1d(dim, dim, kernel_size=7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, intermediate_dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(intermediate_dim, dim)
        self.gamma = nn.Parameter(layer_scale * torch.ones(dim))

    def forward(self, x):
        y = self.pwconv2(self.act(self.pwconv1(self.norm(self.dwconv(x).transpose(1, 2)))))
        return x + (self.gamma * y).transpose(1, 2)


class VocosBackbone(nn.Module):
    """[B, input_channels, T] → [B, T, dim]."""

    def __init__(self, input_channels, dim, intermediate_dim, num_layers):
        super().__init__()
        self.embed = nn.Conv1d(input_channels, dim, kernel_size=7, padding=3)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.convnext = nn.ModuleList([ConvNeXtBlock(dim, intermediate_dim, 1 / num_layers) for _ in range(num_layers)])
        self.final_layer_norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        x = self.norm(self.embed(x).transpose(1, 2)).transpose(1, 2)
        for block in self.convnext:
            x = block(x)
        return self.final_layer_norm(x.transpose(1, 2))


class FactorizedVectorQuantize(nn.Module):
    def __init__(self, input_dim, codebook_size, codebook_dim):
        super().__init__()
        self.in_project = weight_norm(nn.Conv1d(input_dim, codebook_dim, kernel_size=1))
        self.out_project = weight_norm(nn.Conv1d(codebook_dim, input_dim, kernel_size=1))
        self.codebook = nn.Embedding(codebook_size, codebook_dim)

    def indices(self, z):
        """z [B, D, T] → ids [B, T]."""
        latents = F.normalize(self.in_project(z).transpose(1, 2), dim=-1)
        return (latents @ F.normalize(self.codebook.weight, dim=-1).t()).argmax(-1)

    def decode(self, ids):
        """ids [B, T] → [B, D, T]."""
        return self.out_project(self.codebook(ids).transpose(1, 2))


class ResidualVQ(nn.Module):
    """forward(z [B, D, T]) → (quantized [B, D, T], ids [n_q, B, T], None, None, None), as Amphion's
    ResidualVQ in eval; vq2emb(ids [n_q, B, T]) → Σ decoded [B, D, T]."""

    def __init__(self, input_dim, num_quantizers, codebook_size, codebook_dim):
        super().__init__()
        self.quantizers = nn.ModuleList([FactorizedVectorQuantize(input_dim, codebook_size, codebook_dim) for _ in range(num_quantizers)])

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
