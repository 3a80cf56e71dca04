"""VevoSing's networks that Vevo's and MaskGCT's recipes do not already declare, in plain torch
(no `transformers`, no `whisper`), with the upstream parameter names so a checkpoint loads by name:

- `WhisperEncoder`: openai/whisper `model.py` AudioEncoder (medium: 80 mels, 1024 wide, 24
  layers, 16 heads): GELU(conv1 k3 p1) → GELU(conv2 k3 s2 p1) → + sinusoidal positions (a
  buffer, 1500 × width) → pre-LN residual blocks [attn_ln → MHA (key without bias, q and k each
  scaled by head_dim^-1/4) ; mlp_ln → Linear(4·width) → GELU → Linear] → ln_post. Keys as the
  checkpoint's `encoder.*`.
- `Coco`: models/codec/coco/rep_coco_model.py CocoContentStyle / CocoStyle built
  `construct_only_for_quantizer` (no decoder): Linear(whisper) + Linear(chroma) (either may be
  absent) → log2(downsample) × [Conv1d(hidden, hidden, k3, s2, p1) → GELU] → VocosBackbone →
  Linear(vocos_dim, hidden) → factorised VQ (MaskGCT recipe's vocos.py, the same classes as
  amphion_codec). ids come out ceil(T / downsample) long. `upsample_layers` (ConvTranspose1d
  k4 s2 p1 + GELU, the decoder side) are declared because the checkpoint holds them; unused.
- `SingFlowMatching`: models/svc/flow_matching_transformer/fmt_model.py — Vevo's
  FlowMatchingTransformer (cond_emb + the FM DiffLlama) with `cond_codebook_size` 16384 and
  `resampling_layers` = log2(4) × [ConvTranspose1d(hidden, hidden, k4, s2, p1) → GELU].
The AR is Vevo's ArModel (ar_model.py's AutoregressiveTransformer has the same `model`
LlamaForCausalLM) over the vocabulary 1024 + 512 + 16384 + 20; the vocoder is Vevo's Vocos.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from vevo_modules import FlowMatchingTransformer
from vocos import ResidualVQ, VocosBackbone

# ------------------------------------------------------------------ Whisper encoder


def sinusoids(length, channels, max_timescale=10000):
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-increment * torch.arange(channels // 2, dtype=torch.float32))
    scaled = torch.arange(length, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)


class WhisperAttention(nn.Module):
    def __init__(self, state, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(state, state)
        self.key = nn.Linear(state, state, bias=False)
        self.value = nn.Linear(state, state)
        self.out = nn.Linear(state, state)

    def forward(self, x):
        b, n, state = x.shape
        scale = (state // self.heads) ** -0.25
        split = lambda t: t.view(b, n, self.heads, -1)  # noqa: E731
        q = split(self.query(x)).permute(0, 2, 1, 3) * scale
        k = split(self.key(x)).permute(0, 2, 3, 1) * scale
        v = split(self.value(x)).permute(0, 2, 1, 3)
        w = (q @ k).float().softmax(dim=-1)
        return self.out((w @ v).permute(0, 2, 1, 3).flatten(start_dim=2))


class WhisperBlock(nn.Module):
    def __init__(self, state, heads, inner):
        super().__init__()
        self.attn = WhisperAttention(state, heads)
        self.attn_ln = nn.LayerNorm(state)
        self.mlp = nn.Sequential(nn.Linear(state, inner), nn.GELU(), nn.Linear(inner, state))
        self.mlp_ln = nn.LayerNorm(state)

    def forward(self, x):
        x = x + self.attn(self.attn_ln(x))
        return x + self.mlp(self.mlp_ln(x))


class WhisperEncoder(nn.Module):
    """mel [B, n_mels, 3000] → [B, 1500, state]."""

    def __init__(self, n_mels=80, n_ctx=1500, state=1024, heads=16, layers=24, inner=None):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(state, state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, state))
        self.blocks = nn.ModuleList([WhisperBlock(state, heads, inner or 4 * state) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(state)

    def forward(self, mel):
        x = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).permute(0, 2, 1)
        x = x + self.positional_embedding
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


# ------------------------------------------------------------------ Coco tokenizers


COCO = dict(hidden_size=1024, codebook_dim=8, vocos_dim=384, vocos_intermediate_dim=2048, vocos_num_layers=12, whisper_dim=1024, chromagram_dim=24)
CONTENT_STYLE = dict(COCO, codebook_size=16384, downsample_rate=4, use_whisper=True)
PROSODY = dict(COCO, codebook_size=512, downsample_rate=8, use_whisper=False)


class Coco(nn.Module):
    def __init__(self, codebook_size, hidden_size, codebook_dim, vocos_dim, vocos_intermediate_dim, vocos_num_layers, whisper_dim, chromagram_dim, downsample_rate, use_whisper):
        super().__init__()
        if use_whisper:
            self.whisper_input_layer = nn.Linear(whisper_dim, hidden_size)
        self.chromagram_input_layer = nn.Linear(chromagram_dim, hidden_size)
        down, up = [], []
        for _ in range(int(np.log2(downsample_rate))):
            down += [nn.Conv1d(hidden_size, hidden_size, kernel_size=3, stride=2, padding=1), nn.GELU()]
            up += [nn.ConvTranspose1d(hidden_size, hidden_size, kernel_size=4, stride=2, padding=1), nn.GELU()]
        self.downsample_layers = nn.Sequential(*down)
        # built even for the quantizer (the checkpoint holds it), used only by the training decoder
        self.upsample_layers = nn.Sequential(*up)
        self.encoder = nn.Sequential(VocosBackbone(hidden_size, vocos_dim, vocos_intermediate_dim, vocos_num_layers), nn.Linear(vocos_dim, hidden_size))
        self.quantizer = ResidualVQ(hidden_size, 1, codebook_size, codebook_dim)

    def quantize(self, whisper_feats, chromagram_feats):
        x = self.chromagram_input_layer(chromagram_feats)
        if whisper_feats is not None:
            x = x + self.whisper_input_layer(whisper_feats)
        x = self.downsample_layers(x.transpose(1, 2))
        x = self.encoder(x)  # VocosBackbone gives [B, T, D]; the Linear keeps it
        _, ids, *_ = self.quantizer(x.transpose(1, 2))
        return ids[0]


# ------------------------------------------------------------------ flow matching with ×4 resampling


class SingFlowMatching(FlowMatchingTransformer):
    def __init__(self, cond_codebook_size=16384, cond_scale_factor=4, hidden_size=1024, **kwargs):
        super().__init__(cond_codebook_size=cond_codebook_size, hidden_size=hidden_size, **kwargs)
        up = []
        for _ in range(int(np.log2(cond_scale_factor))):
            up += [nn.ConvTranspose1d(hidden_size, hidden_size, kernel_size=4, stride=2, padding=1), nn.GELU()]
        self.resampling_layers = nn.Sequential(*up)

    def condition(self, cond_ids):
        """cond_emb then resampling_layers: [B, N] → [B, 4N, hidden]."""
        return self.resampling_layers(self.cond_emb(cond_ids).transpose(1, 2)).transpose(1, 2)
