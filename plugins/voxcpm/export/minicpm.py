"""MiniCPM-4 as VoxCPM uses it (src/voxcpm/modules/minicpm4/model.py), re-declared in plain
torch with the same parameter names, and with the KV cache made explicit so a graph can take
the past and give the present: `forward(x, past_k, past_v, causal)` with caches
[layers, batch, kv_heads, past, head_dim]. The static cache of the reference (`forward_step`
writing position p of a preallocated buffer) computes the same attention; the check in
export_voxcpm.py compares prefill + step with one causal pass over the whole sequence.

muP: residual branches scaled by scale_depth/sqrt(num_layers) when use_mup. LongRoPE: the
reference builds its tables for seq_len = max_position_embeddings, so the factor set (long
when max_position_embeddings > original_max_position_embeddings, else short) is fixed per
config; cos/sin are computed here from the positions with exactly the reference's arithmetic
(outer(t, 1/ext) * inv_freq, then × scaling_factor).
"""
import math

import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class LongRoPE(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim = cfg["kv_channels"] or cfg["hidden_size"] // cfg["num_attention_heads"]
        scaling = cfg["rope_scaling"]
        original = scaling["original_max_position_embeddings"]
        factors = scaling["long_factor"] if cfg["max_position_embeddings"] > original else scaling["short_factor"]
        self.scaling_factor = math.sqrt(1 + math.log(cfg["max_position_embeddings"] / original) / math.log(original))
        self.register_buffer("inv_freq", 1.0 / (cfg["rope_theta"] ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)
        self.register_buffer("inv_ext", 1.0 / torch.tensor(factors, dtype=torch.float32), persistent=False)

    def forward(self, positions):
        freqs = positions.float()[:, None] * self.inv_ext[None, :] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos() * self.scaling_factor, emb.sin() * self.scaling_factor


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg["num_key_value_heads"]
        self.head_dim = cfg["kv_channels"] or cfg["hidden_size"] // self.heads
        h = cfg["hidden_size"]
        self.q_proj = nn.Linear(h, self.heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, h, bias=False)

    def forward(self, x, rope, past_k, past_v, mask):
        b, n, _ = x.shape
        q = self.q_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, n, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, n, self.kv_heads, self.head_dim).transpose(1, 2)
        if rope is not None:
            cos, sin = rope
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        # GQA: each KV head serves heads/kv_heads query heads (enable_gqa in the reference).
        group = self.heads // self.kv_heads
        kk = k[:, :, None].expand(b, self.kv_heads, group, k.shape[2], self.head_dim).reshape(b, self.heads, -1, self.head_dim)
        vv = v[:, :, None].expand(b, self.kv_heads, group, v.shape[2], self.head_dim).reshape(b, self.heads, -1, self.head_dim)
        scores = q @ kk.transpose(-1, -2) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores.masked_fill(mask, float("-inf"))
        out = (scores.softmax(-1) @ vv).transpose(1, 2).reshape(b, n, self.heads * self.head_dim)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h, inter = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(h, inter, bias=False)
        self.up_proj = nn.Linear(h, inter, bias=False)
        self.down_proj = nn.Linear(inter, h, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.branch_scale = cfg["scale_depth"] / math.sqrt(cfg["num_hidden_layers"]) if cfg.get("use_mup", True) else 1.0

    def forward(self, x, rope, past_k, past_v, mask):
        attended, k, v = self.self_attn(self.input_layernorm(x), rope, past_k, past_v, mask)
        x = x + attended * self.branch_scale
        x = x + self.mlp(self.post_attention_layernorm(x)) * self.branch_scale
        return x, k, v


class MiniCPMModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        if cfg["vocab_size"] > 0:
            self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.rope_emb = None if cfg.get("no_rope", False) else LongRoPE(cfg)

    def empty_cache(self, batch=1):
        a = self.layers[0].self_attn
        return torch.zeros(len(self.layers), batch, a.kv_heads, 0, a.head_dim)

    def forward(self, x, past_k=None, past_v=None, causal=True):
        """x [b, n, h]; caches [L, b, kv, past, d] → hidden [b, n, h], present caches."""
        if past_k is None:
            past_k = past_v = self.empty_cache(x.shape[0])
        past = past_k.shape[3]
        n = x.shape[1]
        positions = torch.arange(n) + past
        rope = self.rope_emb(positions) if self.rope_emb is not None else None
        # Query at absolute position p sees keys 0..p (is_causal over the whole sequence).
        mask = (torch.arange(past + n)[None, :] > positions[:, None]) if causal else None
        keys, values = [], []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, rope, past_k[i], past_v[i], mask)
            keys.append(k)
            values.append(v)
        return self.norm(x), torch.stack(keys), torch.stack(values)
