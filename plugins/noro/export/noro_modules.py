"""Noro's acoustic model (Amphion models/vc/Noro/noro_model.py, Noro_VCmodel), re-declared in
plain torch from that file for export: the reference encoder, the content/pitch condition
encoder and the WaveNet x0-estimator. Module and parameter names follow Amphion's, so the
released `model.safetensors` loads into `NoroModel` with strict=True (the training-only
pieces Noro_VCmodel builds but never runs at inference have no parameters).

Facts kept on purpose (EXPORT.md lists them):
- PositionalEncoding adds pe[:x.size(0)] to a batch-first tensor: it indexes by *batch*, so
  with batch 1 every frame gets pe[0] (sin 0 = 0 on even channels, cos 0 = 1 on odd ones).
- The reference encoder's FFN is Conv1d(k=9) → SiLU → Linear ("use_new_ffn"); pre-LN layers,
  a final LayerNorm, then 32 learned queries attend over the frames (heads = hidden / 64).
- DiffWaveNet embeds the raw diffusion time t ∈ (0, 1) (no ×1000) with a sinusoid over
  hidden/2 frequencies, log(10000)/(half − 1) apart; every 3rd residual layer (i % 3 == 0)
  cross-attends to the speaker queries and FiLMs the gated input with the result.

Attention is written out (same parameter names as nn.MultiheadAttention: in_proj_weight,
in_proj_bias, out_proj) so the TorchScript exporter never meets the fused fast path.
"""
import math

import torch
from torch import nn
from torch.nn import functional as F

# Amphion egs/vc/Noro/exp_config_base.json (model.*), the released configuration.
REFERENCE = dict(layers=6, hidden=512, heads=8, filter=2048, kernel=9, in_dim=80, queries=32)
WAVENET = dict(in_dim=80, hidden=512, out_dim=80, layers=47, cross_attn_every=3, dilation_cycle=2, heads=8)
CONTENT_DIM = 768


class Attention(nn.Module):
    """nn.MultiheadAttention(batch_first=True) at inference, no masks, parameters by its names."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.randn(3 * dim, dim) * 0.02)
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)

    def forward(self, query, key, value):
        d = query.shape[-1]
        w, b = self.in_proj_weight, self.in_proj_bias
        q = F.linear(query, w[:d], b[:d])
        k = F.linear(key, w[d:2 * d], b[d:2 * d])
        v = F.linear(value, w[2 * d:], b[2 * d:])
        split = lambda x: x.reshape(x.shape[0], x.shape[1], self.heads, d // self.heads).transpose(1, 2)  # noqa: E731
        q, k, v = split(q), split(k), split(v)
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.heads), dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], d)
        return self.out_proj(out)


class PositionalEncoding(nn.Module):
    def __init__(self, dim, max_len=5000):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe = torch.zeros(max_len, 1, dim)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]  # [B, 1, d]: by batch index, as Amphion's code does


class ConvFfn(nn.Module):
    def __init__(self, hidden, filter_size, kernel):
        super().__init__()
        self.ffn_1 = nn.Conv1d(hidden, filter_size, kernel, padding=kernel // 2)
        self.ffn_2 = nn.Linear(filter_size, hidden)

    def forward(self, x):
        return self.ffn_2(F.silu(self.ffn_1(x.transpose(1, 2)).transpose(1, 2)))


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, filter_size, kernel):
        super().__init__()
        self.ln_1 = nn.LayerNorm(hidden)
        self.ln_2 = nn.LayerNorm(hidden)
        self.self_attn = Attention(hidden, heads)
        self.ffn = ConvFfn(hidden, filter_size, kernel)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.self_attn(h, h, h)
        return x + self.ffn(self.ln_2(x))


class TransformerEncoder(nn.Module):
    def __init__(self, layers, hidden, heads, filter_size, kernel):
        super().__init__()
        self.position_emb = PositionalEncoding(hidden)
        self.layers = nn.ModuleList([EncoderLayer(hidden, heads, filter_size, kernel) for _ in range(layers)])
        self.last_ln = nn.LayerNorm(hidden)

    def forward(self, x):
        x = self.position_emb(x)
        for layer in self.layers:
            x = layer(x)
        return self.last_ln(x)


class ReferenceEncoder(nn.Module):
    """mel [B, T, 80] → speaker queries [B, 32, 512] (ref_out_dim = hidden: no out_linear)."""

    def __init__(self, layers, hidden, heads, filter, kernel, in_dim, queries):
        super().__init__()
        self.in_linear = nn.Linear(in_dim, hidden)
        self.transformer_encoder = TransformerEncoder(layers, hidden, heads, filter, kernel)
        self.query_embs = nn.Embedding(queries, hidden)
        self.query_attn = Attention(hidden, hidden // 64)

    def forward(self, mel):
        x = self.transformer_encoder(self.in_linear(mel))
        queries = self.query_embs.weight.unsqueeze(0).expand(x.shape[0], -1, -1)
        return self.query_attn(queries, x, x)


def sinusoid(t, dim):
    half = dim // 2
    freqs = torch.exp(torch.arange(half, device=t.device) * -(math.log(10000) / (half - 1)))
    args = t[:, None] * freqs[None, :]
    return torch.cat((args.sin(), args.cos()), dim=-1)


class FiLM(nn.Module):
    def __init__(self, in_dim, cond_dim):
        super().__init__()
        self.gain = nn.Linear(cond_dim, in_dim)
        self.bias = nn.Linear(cond_dim, in_dim)

    def forward(self, x, condition):
        return x * self.gain(condition) + self.bias(condition)


class ResidualBlock(nn.Module):
    def __init__(self, hidden, heads, dilation, has_cattn):
        super().__init__()
        self.has_cattn = has_cattn
        self.dilated_conv = nn.Conv1d(hidden, 2 * hidden, 3, padding=dilation, dilation=dilation)
        self.diffusion_proj = nn.Linear(hidden, hidden)
        self.cond_proj = nn.Conv1d(hidden, 2 * hidden, 1)
        self.out_proj = nn.Conv1d(hidden, 2 * hidden, 1)
        if has_cattn:
            self.attn = Attention(hidden, heads)
            self.film = FiLM(2 * hidden, hidden)
            self.ln = nn.LayerNorm(hidden)

    def forward(self, x, cond, step, speaker):
        y = x + self.diffusion_proj(step).unsqueeze(-1)  # [B, d, T]
        if self.has_cattn:
            q = self.ln(y.transpose(1, 2))
            attended = self.attn(q, speaker, speaker)  # [B, T, d]
        y = self.dilated_conv(y) + self.cond_proj(cond)  # [B, 2d, T]
        if self.has_cattn:
            y = self.film(y.transpose(1, 2), attended).transpose(1, 2)
        gate, filter_ = torch.chunk(y, 2, dim=1)
        y = self.out_proj(torch.sigmoid(gate) * torch.tanh(filter_))
        residual, skip = torch.chunk(y, 2, dim=1)
        return (x + residual) / math.sqrt(2.0), skip


class DiffWaveNet(nn.Module):
    """x_t [B, T, 80], condition [B, T, 512], speaker [B, 32, 512], t [B] → x̂₀ [B, T, 80] (x_mask None)."""

    def __init__(self, in_dim, hidden, out_dim, layers, cross_attn_every, dilation_cycle, heads):
        super().__init__()
        self.hidden = hidden
        self.in_proj = nn.Conv1d(in_dim, hidden, 1)
        self.mlp = nn.Sequential(nn.Linear(hidden, hidden * 4), nn.Mish(), nn.Linear(hidden * 4, hidden))
        self.cond_ln = nn.LayerNorm(hidden)
        self.layers = nn.ModuleList([ResidualBlock(hidden, heads, 2 ** (i % dilation_cycle), i % cross_attn_every == 0) for i in range(layers)])
        self.skip_proj = nn.Conv1d(hidden, hidden, 1)
        self.out_proj = nn.Conv1d(hidden, out_dim, 1)

    def forward(self, x, condition, speaker, t):
        cond = self.cond_ln(condition).transpose(1, 2)
        h = F.relu(self.in_proj(x.transpose(1, 2)))
        step = self.mlp(sinusoid(t, self.hidden).to(x.dtype))
        skips = 0
        for layer in self.layers:
            h, skip = layer(h, cond, step, speaker)
            skips = skips + skip
        h = F.relu(self.skip_proj(skips / math.sqrt(len(self.layers))))
        return self.out_proj(h).transpose(1, 2)


class ConditionEncoder(nn.Module):
    """content_f0_enc: LayerNorm(769) → (b t d → b d t) → Conv1d(769 → 512, k3, pad 1) → (b d t → b t d).
    Indices 0 and 2 of Amphion's nn.Sequential (1 and 3 are the parameter-free Rearranges)."""

    def __init__(self, content_dim=CONTENT_DIM, hidden=512):
        super().__init__()
        self.seq = nn.ModuleDict({"0": nn.LayerNorm(content_dim + 1), "2": nn.Conv1d(content_dim + 1, hidden, 3, padding=1)})

    def forward(self, content, pitch):
        x = self.seq["0"](torch.cat([content, pitch[:, :, None]], dim=-1))
        return self.seq["2"](x.transpose(1, 2)).transpose(1, 2)


class Diffusion(nn.Module):
    def __init__(self, **wavenet):
        super().__init__()
        self.diff_estimator = DiffWaveNet(**wavenet)


class NoroModel(nn.Module):
    """Noro_VCmodel's inference parts, under its state-dict names (content_f0_enc.0/.2 map to
    `content_f0_enc.seq.0/.2` here: see `load_amphion_state`)."""

    def __init__(self, reference=REFERENCE, wavenet=WAVENET, content_dim=CONTENT_DIM):
        super().__init__()
        self.reference_encoder = ReferenceEncoder(**reference)
        self.diffusion = Diffusion(**wavenet)
        self.content_f0_enc = ConditionEncoder(content_dim, reference["hidden"])


def load_amphion_state(model, state):
    """Amphion's `model.safetensors` keys → NoroModel's (content_f0_enc.N → content_f0_enc.seq.N)."""
    renamed = {(k.replace("content_f0_enc.", "content_f0_enc.seq.", 1) if k.startswith("content_f0_enc.") else k): v for k, v in state.items()}
    model.load_state_dict(renamed, strict=True)


def small_config():
    """The test run's shapes: the contract's widths (512 hidden, 32 queries, 80 bins) with one
    reference layer, a narrow FFN, and two WaveNet layers — layer 0 cross-attends (dilation 1),
    layer 1 does not (dilation 2), so both kinds of residual layer are exported."""
    reference = dict(layers=1, hidden=512, heads=8, filter=128, kernel=9, in_dim=80, queries=32)
    wavenet = dict(in_dim=80, hidden=512, out_dim=80, layers=2, cross_attn_every=3, dilation_cycle=2, heads=8)
    return reference, wavenet


def randomise(model):
    """Amphion's reset_parameters zero-inits the WaveNet's out_proj and the LayerNorms start
    at 1/0; a random proof needs every parameter to matter. std 1/sqrt(fan-in) keeps the
    activations of deep stacks in range."""
    torch.manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            fan_in = p[0].numel() if p.dim() > 1 else 16
            p.copy_(torch.randn_like(p) / math.sqrt(fan_in))
    return model
