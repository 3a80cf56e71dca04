"""Amphion's SVC networks re-declared in plain torch, with the module names of Amphion's
checkpoints (facts from modules/encoder/condition_encoder.py, models/svc/diffusion/
diffusion_wrapper.py, modules/diffusion/bidilconv/*, modules/encoder/position_encoder.py,
models/svc/transformer/conformer.py, models/svc/comosvc/comosvc.py, models/svc/vits/vits.py,
modules/transformer/attentions.py, modules/flow/modules.py). Inference only: no dropout.

The graphs take the prosody streams as ids (f0_to_coarse, uv, bucketised energy are computed
in TypeScript), so `ConditionEncoder` starts at the embedding tables.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "nsf-hifigan", "export"))
from nsf_modules import Generator as NsfGenerator  # noqa: E402,F401


# ------------------------------------------------------------------ condition encoder

class ContentEncoder(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.nn = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.nn(x)


class MelodyEncoder(nn.Module):
    def __init__(self, n_bins, dim):
        super().__init__()
        self.nn = nn.Embedding(n_bins, dim)
        self.uv_embedding = nn.Embedding(2, dim)

    def forward(self, pitch, uv):
        return self.nn(pitch) + self.uv_embedding(uv)


class LoudnessEncoder(nn.Module):
    def __init__(self, n_bins, dim):
        super().__init__()
        self.nn = nn.Embedding(n_bins, dim)

    def forward(self, ids):
        return self.nn(ids)


class SingerEncoder(nn.Module):
    def __init__(self, table, dim):
        super().__init__()
        self.nn = nn.Embedding(table, dim)

    def forward(self, singer):
        return self.nn(singer)


class ConditionEncoder(nn.Module):
    """merge_mode "add": melody + loudness + whisper + contentvec + singer, each [B, T, 384]."""

    def __init__(self, whisper=True, contentvec=True, dim=384, whisper_dim=1024, contentvec_dim=256, table=512):
        super().__init__()
        self.melody_encoder = MelodyEncoder(256, dim)
        self.loudness_encoder = LoudnessEncoder(256, dim)
        if whisper:
            self.whisper_encoder = ContentEncoder(whisper_dim, dim)
        if contentvec:
            self.contentvec_encoder = ContentEncoder(contentvec_dim, dim)
        self.singer_encoder = SingerEncoder(table, dim)
        self.uses = [n for n, on in (("whisper", whisper), ("contentvec", contentvec)) if on]

    def forward(self, pitch, uv, loudness, *content_and_singer):
        *content, singer = content_and_singer
        out = self.melody_encoder(pitch, uv) + self.loudness_encoder(loudness)
        for name, features in zip(self.uses, content):
            out = out + getattr(self, f"{name}_encoder")(features)
        return out + self.singer_encoder(singer)[:, None, :]


# ------------------------------------------------------------------ DiffWaveNet (BiDilConv)

class PositionEncoder(nn.Module):
    def __init__(self, d_raw_emb=128, d_out=512, d_mlp=512, n_layer=2, max_period=10000):
        super().__init__()
        self.d_raw_emb, self.max_period = d_raw_emb, max_period
        layers = [nn.Linear(d_raw_emb, d_mlp), nn.SiLU()]
        for _ in range(n_layer - 1):
            layers += [nn.Linear(d_mlp, d_mlp), nn.SiLU()]
        layers.append(nn.Linear(d_mlp, d_out))
        self.out = nn.Sequential(*layers)

    def forward(self, steps):
        half = self.d_raw_emb // 2
        freqs = torch.exp(-math.log(self.max_period) / half * torch.arange(half, dtype=torch.float32))
        args = steps[:, None].float() * freqs[None]
        return self.out(torch.cat([torch.cos(args), torch.sin(args)], dim=-1))


class GaU(nn.Module):
    def __init__(self, channels, kernel_size, dilation, d_context):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels * 2, kernel_size, dilation=dilation, padding=dilation * (kernel_size - 1) // 2)
        self.context_proj = nn.Conv1d(d_context, channels * 2, 1)

    def forward(self, x, context):
        h1, h2 = (self.conv(x) + self.context_proj(context)).chunk(2, 1)
        return torch.tanh(h1) * torch.sigmoid(h2)


class ResidualBlock(nn.Module):
    def __init__(self, channels, kernel_size, dilation, d_context):
        super().__init__()
        self.gau = GaU(channels, kernel_size, dilation, d_context)
        self.out_proj = nn.Conv1d(channels, channels * 2, 1)

    def forward(self, x, y_emb, context):
        res, skip = self.out_proj(self.gau(x + y_emb[..., None], context)).chunk(2, 1)
        return (res + x) / math.sqrt(2.0), skip


class BiDilConv(nn.Module):
    def __init__(self, input_channel, base_channel, n_res_block, conv_kernel_size, dilation_cycle_length, conditioner_size):
        super().__init__()
        self.n_res_block = n_res_block
        self.input = nn.Sequential(nn.Conv1d(input_channel, base_channel, 1), nn.ReLU())
        self.residual_blocks = nn.ModuleList([ResidualBlock(base_channel, conv_kernel_size, 2 ** (i % dilation_cycle_length), conditioner_size) for i in range(n_res_block)])
        self.out_proj = nn.Sequential(nn.Conv1d(base_channel, base_channel, 1), nn.ReLU(), nn.Conv1d(base_channel, input_channel, 1))

    def forward(self, x, y, context):
        h = self.input(x)
        skip = None
        for block in self.residual_blocks:
            h, s = block(h, y, context)
            skip = s if skip is None else s + skip
        return self.out_proj(skip / math.sqrt(self.n_res_block))


class DiffusionWrapper(nn.Module):
    """x [B, T, mel], step [B], c [B, T, C] → [B, T, mel] (the denoiser graph)."""

    def __init__(self, n_mel=100, base_channel=512, n_res_block=40, conv_kernel_size=3, dilation_cycle_length=4, conditioner_size=384,
                 dim_raw_embedding=128, dim_hidden_layer=512, num_layer=2, max_period=10000):
        super().__init__()
        self.diff_encoder = PositionEncoder(dim_raw_embedding, base_channel, dim_hidden_layer, num_layer, max_period)
        self.neural_network = BiDilConv(n_mel, base_channel, n_res_block, conv_kernel_size, dilation_cycle_length, conditioner_size)

    def forward(self, x, step, condition):
        h = self.neural_network(x.transpose(1, 2), self.diff_encoder(step), condition.transpose(1, 2))
        return h.transpose(1, 2)


# ------------------------------------------------------------------ relative-position transformer encoders

class RelativeAttention(nn.Module):
    """Grad-TTS / VITS MultiHeadAttention with window_size 4, heads sharing the relative embeddings."""

    def __init__(self, channels, n_heads, window_size=4):
        super().__init__()
        self.n_heads, self.k_channels, self.window_size = n_heads, channels // n_heads, window_size
        self.conv_q, self.conv_k, self.conv_v, self.conv_o = (nn.Conv1d(channels, channels, 1) for _ in range(4))
        self.emb_rel_k = nn.Parameter(torch.randn(1, window_size * 2 + 1, self.k_channels) * self.k_channels ** -0.5)
        self.emb_rel_v = nn.Parameter(torch.randn(1, window_size * 2 + 1, self.k_channels) * self.k_channels ** -0.5)

    def relative_embeddings(self, emb, length):
        pad = max(length - (self.window_size + 1), 0)
        start = max((self.window_size + 1) - length, 0)
        padded = F.pad(emb, (0, 0, pad, pad))
        return padded[:, start:start + 2 * length - 1]

    @staticmethod
    def rel_to_abs(x):
        b, h, length, _ = x.size()
        x = F.pad(x, (0, 1)).view(b, h, length * 2 * length)
        x = F.pad(x, (0, length - 1)).view(b, h, length + 1, 2 * length - 1)
        return x[:, :, :length, length - 1:]

    @staticmethod
    def abs_to_rel(x):
        b, h, length, _ = x.size()
        x = F.pad(x, (0, length - 1)).view(b, h, length * length + length * (length - 1))
        x = F.pad(x, (length, 0)).view(b, h, length, 2 * length)
        return x[:, :, :, 1:]

    def forward(self, x):
        b, d, t = x.size()
        q, k, v = (conv(x).view(b, self.n_heads, self.k_channels, t).transpose(2, 3) for conv in (self.conv_q, self.conv_k, self.conv_v))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.k_channels)
        rel = torch.matmul(q, self.relative_embeddings(self.emb_rel_k, t).unsqueeze(0).transpose(-2, -1))
        scores = scores + self.rel_to_abs(rel) / math.sqrt(self.k_channels)
        p = torch.softmax(scores, dim=-1)
        out = torch.matmul(p, v) + torch.matmul(self.abs_to_rel(p), self.relative_embeddings(self.emb_rel_v, t).unsqueeze(0))
        return self.conv_o(out.transpose(2, 3).contiguous().view(b, d, t))


class ChannelLayerNorm(nn.Module):
    """gamma/beta over the channel axis of [B, C, T]: Grad-TTS's (eps 1e-4, conformer.py) or VITS's (eps 1e-5)."""

    def __init__(self, channels, eps):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        var = ((x - mean) ** 2).mean(1, keepdim=True)
        return (x - mean) * torch.rsqrt(var + self.eps) * self.gamma[None, :, None] + self.beta[None, :, None]


class FFN(nn.Module):
    def __init__(self, channels, filter_channels, kernel_size):
        super().__init__()
        self.conv_1 = nn.Conv1d(channels, filter_channels, kernel_size, padding=kernel_size // 2)
        self.conv_2 = nn.Conv1d(filter_channels, channels, kernel_size, padding=kernel_size // 2)

    def forward(self, x):
        return self.conv_2(torch.relu(self.conv_1(x)))


class RelativeEncoder(nn.Module):
    """Post-norm encoder of relative attention + conv FFN (no mask: one utterance, every frame valid)."""

    def __init__(self, hidden, filter_channels, n_heads, n_layers, kernel_size, eps):
        super().__init__()
        self.attn_layers = nn.ModuleList([RelativeAttention(hidden, n_heads) for _ in range(n_layers)])
        self.norm_layers_1 = nn.ModuleList([ChannelLayerNorm(hidden, eps) for _ in range(n_layers)])
        self.ffn_layers = nn.ModuleList([FFN(hidden, filter_channels, kernel_size) for _ in range(n_layers)])
        self.norm_layers_2 = nn.ModuleList([ChannelLayerNorm(hidden, eps) for _ in range(n_layers)])

    def forward(self, x):
        for attn, n1, ffn, n2 in zip(self.attn_layers, self.norm_layers_1, self.ffn_layers, self.norm_layers_2):
            x = n1(x + attn(x))
            x = n2(x + ffn(x))
        return x


class Conformer(nn.Module):
    """models/svc/transformer/conformer.py Conformer: [B, T, 384] → [B, T, 100] (TransformerSVC's mapper, ComoSVC's prior)."""

    def __init__(self, input_dim=384, output_dim=100, n_heads=2, n_layers=6, filter_channels=512):
        super().__init__()
        self.conformer_encoder = RelativeEncoder(input_dim, filter_channels, n_heads, n_layers, 3, 1e-4)
        self.projection = nn.Conv1d(input_dim, output_dim, 1)

    def forward(self, x):
        return self.projection(self.conformer_encoder(x.transpose(1, 2))).transpose(1, 2)


# ------------------------------------------------------------------ VITS prior and flow

class WN(nn.Module):
    def __init__(self, hidden, kernel_size, dilation_rate, n_layers, gin_channels):
        super().__init__()
        self.hidden, self.n_layers = hidden, n_layers
        self.cond_layer = nn.Conv1d(gin_channels, 2 * hidden * n_layers, 1)
        self.in_layers = nn.ModuleList()
        self.res_skip_layers = nn.ModuleList()
        for i in range(n_layers):
            dilation = dilation_rate ** i
            self.in_layers.append(nn.Conv1d(hidden, 2 * hidden, kernel_size, dilation=dilation, padding=(kernel_size * dilation - dilation) // 2))
            self.res_skip_layers.append(nn.Conv1d(hidden, 2 * hidden if i < n_layers - 1 else hidden, 1))

    def forward(self, x, g):
        output = torch.zeros_like(x)
        g = self.cond_layer(g)
        for i in range(self.n_layers):
            z = self.in_layers[i](x) + g[:, i * 2 * self.hidden:(i + 1) * 2 * self.hidden, :]
            acts = torch.tanh(z[:, :self.hidden]) * torch.sigmoid(z[:, self.hidden:])
            rs = self.res_skip_layers[i](acts)
            if i < self.n_layers - 1:
                x = x + rs[:, :self.hidden]
                output = output + rs[:, self.hidden:]
            else:
                output = output + rs
        return output


class ResidualCouplingLayer(nn.Module):
    """mean_only coupling; reverse: x1 = x1 − m(x0)."""

    def __init__(self, channels, hidden, kernel_size, dilation_rate, n_layers, gin_channels):
        super().__init__()
        self.half = channels // 2
        self.pre = nn.Conv1d(self.half, hidden, 1)
        self.enc = WN(hidden, kernel_size, dilation_rate, n_layers, gin_channels)
        self.post = nn.Conv1d(hidden, self.half, 1)

    def reverse(self, x, g):
        x0, x1 = x[:, :self.half], x[:, self.half:]
        return torch.cat([x0, x1 - self.post(self.enc(self.pre(x0), g))], 1)


class VitsPrior(nn.Module):
    """SynthesizerTrn.infer up to the decoder: condition_encoder → enc_p (noise scale 0.35) → flow⁻¹(g = emb_g(singer))."""

    def __init__(self, whisper=True, contentvec=True, inter=384, hidden=384, filter_channels=256, n_heads=2, n_layers=6, kernel_size=3,
                 n_flow_layer=4, gin=256, n_speakers=512, noise_scale=0.35):
        super().__init__()
        self.noise_scale, self.inter = noise_scale, inter
        self.condition_encoder = ConditionEncoder(whisper, contentvec, dim=hidden, table=n_speakers)
        self.emb_g = nn.Embedding(n_speakers, gin)
        self.enc_p = nn.Module()
        self.enc_p.enc_ = RelativeEncoder(hidden, filter_channels, n_heads, n_layers, kernel_size, 1e-5)
        self.enc_p.proj = nn.Conv1d(hidden, inter * 2, 1)
        # ResidualCouplingBlock(inter, hidden, 5, 1, n_flow_layer): n_flows 4 couplings (each followed by a Flip), WN of n_flow_layer layers
        self.flow = nn.Module()
        self.flow.flows = nn.ModuleList()
        for _ in range(4):
            self.flow.flows.append(ResidualCouplingLayer(inter, hidden, 5, 1, n_flow_layer, gin))
            self.flow.flows.append(nn.Identity())  # Flip: no parameters

    def forward(self, pitch, uv, loudness, *rest):
        *conditions, noise = rest
        singer = conditions[-1]
        x = self.condition_encoder(pitch, uv, loudness, *conditions).transpose(1, 2)
        stats = self.enc_p.proj(self.enc_p.enc_(x))
        m, logs = stats[:, :self.inter], stats[:, self.inter:]
        z = m + noise * torch.exp(logs) * self.noise_scale
        g = self.emb_g(singer)[:, :, None]
        for flow in reversed(self.flow.flows):
            z = torch.flip(z, [1]) if isinstance(flow, nn.Identity) else flow.reverse(z, g)
        return z
