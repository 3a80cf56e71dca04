"""Vevo's networks that MaskGCT's recipe does not already declare, in plain torch (no
`transformers`), with the upstream parameter names so a checkpoint loads by name:

- `ContentTokenizer`: the inference half of the vq32 `VevoRepCodec`
  (Amphion models/codec/vevo/vevo_repcodec.py, config hubert_large_l18_c32.yaml): encoder
  (Conv1d k3 no bias → EncoderBlocks of two residual units [ELU → Conv1d k3 (no bias) → ELU →
  1×1 Conv1d (no bias)] + Conv1d k3 with bias) → projector (Conv1d k3, no bias) → nearest of
  32 codes by squared L2 distance to the EMA codebook buffer `embed` [dim, 32]. The decoder
  (training only) is not declared.
- `FlowMatchingTransformer`: `cond_emb` [8192, hidden] + the FM `DiffLlama`
  (models/vc/flow_matching_transformer/llama_nar.py): MaskGCT's DiffLlama stack with
  `mel_mlp` (mel → hidden) in and `mel_out_mlp` (hidden → mel) out, `cond_mlp(cond)` added.
- `ArLlama`: `LlamaForCausalLM` as ar_model.py builds it (untied lm_head, RMSNorm eps 1e-6,
  RoPE θ 10000, SwiGLU, MHA, no biases), with an explicit K/V cache: forward(ids, past_k,
  past_v) → logits, present_k, present_v; caches [layers, 1, heads, positions, head_dim].
  `head_dim` may differ from hidden/heads only in the shrunk test modules.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from diff_llama import _Stack, feed_forward, rotate_half

ROPE_THETA = 10000.0
RMS_EPS = 1e-6

# ------------------------------------------------------------------ vq32 content tokenizer


class Conv(nn.Module):
    """vevo_repcodec.Conv1d: a wrapper holding `.conv`, 'same' padding for odd kernels."""

    def __init__(self, cin, cout, kernel, bias):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, padding=(kernel - 1) // 2, bias=bias)

    def forward(self, x):
        return self.conv(x)


class ResidualUnit(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.activation = nn.ELU()
        self.conv1 = Conv(channels, channels, 3, bias=False)
        self.conv2 = nn.Conv1d(channels, channels, 1, bias=False)

    def forward(self, x):
        return x + self.conv2(self.activation(self.conv1(self.activation(x))))


class EncoderBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.res_units = nn.ModuleList([ResidualUnit(channels), ResidualUnit(channels)])
        self.conv = Conv(channels, channels, 3, bias=True)

    def forward(self, x):
        for unit in self.res_units:
            x = unit(x)
        return self.conv(x)


class Encoder(nn.Module):
    def __init__(self, input_channels, channels, blocks=2):
        super().__init__()
        self.conv = Conv(input_channels, channels, 3, bias=False)
        self.conv_blocks = nn.ModuleList([EncoderBlock(channels) for _ in range(blocks)])

    def forward(self, x):
        x = self.conv(x)
        for block in self.conv_blocks:
            x = block(x)
        return x


class Projector(nn.Module):
    def __init__(self, channels, code_dim):
        super().__init__()
        self.project = Conv(channels, code_dim, 3, bias=False)

    def forward(self, x):
        return self.project(x)


class EmaCodebook(nn.Module):
    """One VectorQuantize layer: buffers `embed` [dim, n], `cluster_size`, `embed_avg`."""

    def __init__(self, dim, size):
        super().__init__()
        self.register_buffer("embed", torch.randn(dim, size))
        self.register_buffer("cluster_size", torch.zeros(size))
        self.register_buffer("embed_avg", self.embed.clone())

    def indices(self, z):
        """z [B, T, dim] → ids [B, T]: argmax of −(|z|² − 2 z·e + |e|²)."""
        dist = z.pow(2).sum(-1, keepdim=True) - 2 * z @ self.embed + self.embed.pow(2).sum(0)
        return (-dist).argmax(-1)


class Quantizer(nn.Module):
    def __init__(self, code_dim, size):
        super().__init__()
        self.codebook = nn.Module()
        self.codebook.layers = nn.ModuleList([EmaCodebook(code_dim, size)])


class ContentTokenizer(nn.Module):
    def __init__(self, input_channels=1024, encode_channels=1024, code_dim=1024, codebook_size=32):
        super().__init__()
        self.encoder = Encoder(input_channels, encode_channels)
        self.projector = Projector(encode_channels, code_dim)
        self.quantizer = Quantizer(code_dim, codebook_size)

    def forward(self, features):
        """features [B, T, 1024] (raw HuBERT) → ids [B, T]."""
        z = self.projector(self.encoder(features.transpose(1, 2)))
        return self.quantizer.codebook.layers[0].indices(z.transpose(1, 2))


# ------------------------------------------------------------------ flow matching


class FmDiffLlama(_Stack):
    def __init__(self, mel_dim=128, hidden_size=1024, num_heads=16, num_layers=16, ratio=4):
        super().__init__(hidden_size, num_heads, num_layers, ratio)
        self.mel_mlp = feed_forward(hidden_size, ratio * hidden_size)
        self.mel_mlp[0] = nn.Linear(mel_dim, ratio * hidden_size)
        self.mel_out_mlp = feed_forward(hidden_size, ratio * hidden_size)
        self.mel_out_mlp[2] = nn.Linear(ratio * hidden_size, mel_dim)

    def forward(self, x, diffusion_step, cond, x_mask):
        x = self.mel_mlp(x) + self.cond_mlp(cond)
        return self.mel_out_mlp(self.run(x, diffusion_step, x_mask))


class FlowMatchingTransformer(nn.Module):
    def __init__(self, mel_dim=128, hidden_size=1024, num_layers=16, num_heads=16, cond_codebook_size=8192, ratio=4):
        super().__init__()
        self.cond_emb = nn.Embedding(cond_codebook_size, hidden_size)
        self.diff_estimator = FmDiffLlama(mel_dim, hidden_size, num_heads, num_layers, ratio)


# ------------------------------------------------------------------ AR Llama with a K/V cache


class RMSNorm(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS))


class CachedAttention(nn.Module):
    def __init__(self, hidden, heads, head_dim):
        super().__init__()
        self.heads, self.head_dim = heads, head_dim
        self.q_proj = nn.Linear(hidden, heads * head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, heads * head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, heads * head_dim, bias=False)
        self.o_proj = nn.Linear(heads * head_dim, hidden, bias=False)
        inv_freq = 1.0 / ROPE_THETA ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, x, past_k, past_v, bias):
        b, n, _ = x.shape
        split = lambda t: t.view(b, n, self.heads, self.head_dim).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        # positions continue after the cached ones
        positions = torch.arange(n, dtype=torch.float32) + past_k.shape[2]
        angles = positions[:, None] * self.inv_freq[None, :]
        angles = torch.cat([angles, angles], dim=-1)
        cos, sin = angles.cos(), angles.sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + bias
        out = scores.softmax(dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, n, -1)), k, v


class ArMlp(nn.Module):
    def __init__(self, hidden, inner):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inner, bias=False)
        self.up_proj = nn.Linear(hidden, inner, bias=False)
        self.down_proj = nn.Linear(inner, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class ArLayer(nn.Module):
    def __init__(self, hidden, heads, head_dim, inner):
        super().__init__()
        self.self_attn = CachedAttention(hidden, heads, head_dim)
        self.mlp = ArMlp(hidden, inner)
        self.input_layernorm = RMSNorm(hidden)
        self.post_attention_layernorm = RMSNorm(hidden)

    def forward(self, x, past_k, past_v, bias):
        attended, k, v = self.self_attn(self.input_layernorm(x), past_k, past_v, bias)
        x = x + attended
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


class LlamaModel(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, head_dim, inner):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([ArLayer(hidden, heads, head_dim, inner) for _ in range(layers)])
        self.norm = RMSNorm(hidden)


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, head_dim=None, inner=None):
        super().__init__()
        self.model = LlamaModel(vocab, hidden, layers, heads, head_dim or hidden // heads, inner or 4 * hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, past_key, past_value):
        n, past = input_ids.shape[1], past_key.shape[3]
        # causal over the new tokens, everything cached is visible: key j hidden from query i when j > past + i
        query = torch.arange(n)[:, None] + past
        key = torch.arange(past + n)[None, :]
        bias = (key > query).to(torch.float32) * torch.finfo(torch.float32).min
        x = self.model.embed_tokens(input_ids)
        keys, values = [], []
        for i, layer in enumerate(self.model.layers):
            x, k, v = layer(x, past_key[i], past_value[i], bias)
            keys.append(k)
            values.append(v)
        return self.lm_head(self.model.norm(x)), torch.stack(keys), torch.stack(values)


class ArModel(nn.Module):
    """ar_model.py AutoregressiveTransformer: the Llama is its `model` (checkpoint keys model.model.*, model.lm_head.*)."""

    def __init__(self, input_vocab, output_vocab=8192, hidden=1920, layers=12, heads=16, head_dim=None, inner=None):
        super().__init__()
        self.model = LlamaForCausalLM(input_vocab + output_vocab + 20, hidden, layers, heads, head_dim, inner or 4 * hidden)
