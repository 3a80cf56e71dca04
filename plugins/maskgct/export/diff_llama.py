"""MaskGCT's DiffLlama and DiffLlamaPrefix (Amphion models/tts/maskgct/llama_nar.py), written in
plain torch so the export needs no `transformers`: the parameter names and shapes of the
published T2S and S2A checkpoints (see manifest.json), the same computation.

Facts carried over from the upstream code (the code itself is ours):
- a bidirectional Llama: per layer, adaptive RMSNorm → self-attention with rotary position
  embeddings (θ 10000, positions 0..T-1) → residual, adaptive RMSNorm → SwiGLU MLP (4× hidden) →
  residual; q/k/v/o and the MLP have no biases; attention heads share nothing (no GQA);
- adaptive RMSNorm: `x · rsqrt(mean(x²) + 1e-6) · to_weight(step)`, where the step embedding
  is `diff_step_mlp(sinusoidal(t))` (sinusoid: half sin, half cos, log(10000)/(half − 1));
- the padding mask is additive (0 for a valid key, the float minimum otherwise), no causal mask,
  and cut to the key length (`attention_mask[:, :, :, :key_len]`);
- DiffLlama (S2A) adds `cond_mlp(cond)` to its input; DiffLlamaPrefix (T2S) prepends
  `cond_mlp(phone_embedding)` and returns the positions after the phones;
- both derive from `LlamaModel(LlamaConfig(0, 256, 1024, 1, 1))`: DiffLlama keeps that
  model's `embed_tokens` (a [0, 256] table, saved in the checkpoint, never used) while
  DiffLlamaPrefix sets it to None. The rotary frequencies are a non-persistent buffer.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

ROPE_THETA = 10000.0
RMS_EPS = 1e-6


def step_embedding(t, dim):
    """SinusoidalPosEmb: t [B] → [B, dim]."""
    half = dim // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000) / (half - 1)))
    angles = t[:, None] * freqs[None, :]
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


def feed_forward(hidden, inner):
    """Linear → SiLU → Linear, named as nn.Sequential numbers them (0 and 2)."""
    return nn.Sequential(nn.Linear(hidden, inner), nn.SiLU(), nn.Linear(inner, hidden))


class AdaptiveRMSNorm(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.to_weight = nn.Linear(hidden, hidden)

    def forward(self, x, step):
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS)
        return self.to_weight(step).unsqueeze(1) * x


def rotate_half(x):
    first, second = x.chunk(2, dim=-1)
    return torch.cat([-second, first], dim=-1)


class Attention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        inv_freq = 1.0 / ROPE_THETA ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim)
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, x, bias):
        b, n, _ = x.shape
        split = lambda t: t.view(b, n, self.heads, self.head_dim).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        angles = torch.arange(n, dtype=torch.float32, device=x.device)[:, None] * self.inv_freq[None, :]
        angles = torch.cat([angles, angles], dim=-1)
        cos, sin = angles.cos(), angles.sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + bias
        out = scores.softmax(dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, n, -1))


class Mlp(nn.Module):
    def __init__(self, hidden, inner):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inner, bias=False)
        self.up_proj = nn.Linear(hidden, inner, bias=False)
        self.down_proj = nn.Linear(inner, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, hidden, heads, ratio):
        super().__init__()
        self.self_attn = Attention(hidden, heads)
        self.mlp = Mlp(hidden, ratio * hidden)
        self.input_layernorm = AdaptiveRMSNorm(hidden)
        self.post_attention_layernorm = AdaptiveRMSNorm(hidden)

    def forward(self, x, step, bias):
        x = x + self.self_attn(self.input_layernorm(x, step), bias)
        return x + self.mlp(self.post_attention_layernorm(x, step))


def additive_mask(mask, dtype):
    """[B, T] of 1 (valid) / 0 (padding) → [B, 1, 1, T] of 0 / the float minimum."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class _Stack(nn.Module):
    """`ratio`: inner width over hidden of every MLP (published: 4; the test run shrinks it)."""

    def __init__(self, hidden, heads, layers, ratio):
        super().__init__()
        self.layers = nn.ModuleList([Layer(hidden, heads, ratio) for _ in range(layers)])
        self.norm = AdaptiveRMSNorm(hidden)
        self.diff_step_mlp = feed_forward(hidden, ratio * hidden)
        self.cond_mlp = feed_forward(hidden, ratio * hidden)

    def run(self, x, diffusion_step, mask):
        step = self.diff_step_mlp(step_embedding(diffusion_step, x.shape[-1]))
        # Keys beyond the sequence are cut off, as the Llama attention slices its mask to the
        # key length (the T2S unconditional pass sends a mask longer than its input).
        bias = additive_mask(mask, x.dtype)[..., : x.shape[1]]
        for layer in self.layers:
            x = layer(x, step, bias)
        return self.norm(x, step)


class DiffLlama(_Stack):
    """S2A's estimator: forward(x, t, cond, x_mask) → [B, T, hidden]."""

    def __init__(self, hidden_size=1024, num_heads=16, num_layers=16, ratio=4):
        super().__init__(hidden_size, num_heads, num_layers, ratio)
        # LlamaModel(LlamaConfig(0, 256, ...)).embed_tokens, kept by DiffLlama: no rows.
        self.embed_tokens = nn.Embedding(0, 256)

    def forward(self, x, diffusion_step, cond, x_mask):
        return self.run(x + self.cond_mlp(cond), diffusion_step, x_mask)


class DiffLlamaPrefix(_Stack):
    """T2S's estimator: forward(x, t, x_mask, phone_embedding, phone_mask) → the positions after the phones."""

    def __init__(self, hidden_size=1024, num_heads=16, num_layers=16, ratio=4):
        super().__init__(hidden_size, num_heads, num_layers, ratio)

    def forward(self, x, diffusion_step, x_mask, phone_embedding=None, phone_mask=None):
        if phone_embedding is None:
            return self.run(x, diffusion_step, x_mask)
        phones = self.cond_mlp(phone_embedding)
        hidden = self.run(torch.cat([phones, x], dim=1), diffusion_step, torch.cat([phone_mask.to(x_mask.dtype), x_mask], dim=1))
        return hidden[:, phones.shape[1]:]
