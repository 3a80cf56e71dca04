"""diffusers' UNet2DConditionModel as it builds from a unet/config.json (state-dict names
kept), reduced to the two layouts the hub exports:
- AudioLDM: no text cross-attention (encoder_hidden_states=None, so each transformer block's
  attn2 attends to the block's own features, as the original SpatialTransformer with
  context_dim=None does); the CLAP embedding through class_embedding ("simple_projection")
  concatenated to the time embedding (class_embeddings_concat=True).
- PicoAudio (utils/configs/frequency.json): cross-attention to a context of width
  `cross_attention_dim`, linear proj_in/proj_out (use_linear_projection=True), no class embedding.
Plain torch, inference only.

diffusers' legacy naming: `attention_head_dim` (default 8) is the *number* of heads."""
import math

import torch
from torch import nn
import torch.nn.functional as F

# UNet2DConditionModel's own defaults, for the keys a config.json may leave out
DIFFUSERS_DEFAULTS = dict(in_channels=4, out_channels=4, block_out_channels=[320, 640, 1280, 1280], layers_per_block=2,
                          down_block_types=["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"],
                          up_block_types=["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3, attention_head_dim=8,
                          cross_attention_dim=1280, use_linear_projection=False, projection_class_embeddings_input_dim=None,
                          class_embeddings_concat=False, norm_num_groups=32, norm_eps=1e-5)

AUDIOLDM_S = dict(in_channels=8, out_channels=8, block_out_channels=[128, 256, 384, 640], layers_per_block=2,
                  down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                  up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                  attention_head_dim=8, projection_class_embeddings_input_dim=512, norm_num_groups=32, norm_eps=1e-5,
                  class_embeddings_concat=True)


def timestep_embedding(t, dim):
    """diffusers Timesteps(dim, flip_sin_to_cos=True, downscale_freq_shift=0): [cos | sin]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TimestepEmbedding(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.linear_1, self.linear_2 = nn.Linear(d_in, d_out), nn.Linear(d_out, d_out)

    def forward(self, x):
        return self.linear_2(F.silu(self.linear_1(x)))


class ResnetBlock2D(nn.Module):
    def __init__(self, c_in, c_out, temb, groups, eps):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in, eps=eps)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb, c_out)
        self.norm2 = nn.GroupNorm(groups, c_out, eps=eps)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(emb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (self.conv_shortcut(x) if self.conv_shortcut is not None else x) + h


class Attention(nn.Module):
    def __init__(self, dim, heads, context_dim=None):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(context_dim or dim, dim, bias=False)
        self.to_v = nn.Linear(context_dim or dim, dim, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(dim, dim)])

    def forward(self, x, context=None):
        b, n, d = x.shape
        context = x if context is None else context
        split = lambda t: t.view(b, t.shape[1], self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.to_q(x)), split(self.to_k(context)), split(self.to_v(context))
        w = (q @ k.transpose(-1, -2) * (d // self.heads) ** -0.5).softmax(-1)
        return self.to_out[0]((w @ v).transpose(1, 2).reshape(b, n, d))


class GEGLU(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.proj = nn.Linear(d_in, d_out * 2)

    def forward(self, x):
        h, gate = self.proj(x).chunk(2, dim=-1)
        return h * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.ModuleList([GEGLU(dim, 4 * dim), nn.Dropout(0.0), nn.Linear(4 * dim, dim)])

    def forward(self, x):
        return self.net[2](self.net[0](x))


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, context_dim):
        super().__init__()
        self.norm1, self.attn1 = nn.LayerNorm(dim), Attention(dim, heads)
        self.norm2, self.attn2 = nn.LayerNorm(dim), Attention(dim, heads, context_dim)
        self.norm3, self.ff = nn.LayerNorm(dim), FeedForward(dim)

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x  # context None (AudioLDM): attends to itself
        return self.ff(self.norm3(x)) + x


class Transformer2DModel(nn.Module):
    def __init__(self, channels, heads, groups, context_dim, linear):
        super().__init__()
        self.linear = linear
        self.norm = nn.GroupNorm(groups, channels, eps=1e-6)
        self.proj_in = nn.Linear(channels, channels) if linear else nn.Conv2d(channels, channels, 1)
        self.transformer_blocks = nn.ModuleList([BasicTransformerBlock(channels, heads, context_dim)])
        self.proj_out = nn.Linear(channels, channels) if linear else nn.Conv2d(channels, channels, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        y = self.norm(x)
        flat = lambda t: t.permute(0, 2, 3, 1).reshape(b, h * w, c)
        y = self.proj_in(flat(y)) if self.linear else flat(self.proj_in(y))
        for block in self.transformer_blocks:
            y = block(y, context)
        image = lambda t: t.reshape(b, h, w, c).permute(0, 3, 1, 2)
        return (image(self.proj_out(y)) if self.linear else self.proj_out(image(y))) + x


class Downsample2D(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample2D(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x, size):
        # diffusers' forward_upsample_size: nearest ×2, or to the skip's size when a side was odd
        return self.conv(F.interpolate(x, size=size, mode="nearest"))


class DownBlock(nn.Module):
    def __init__(self, c_in, c_out, layers, temb, attention, groups, eps, downsample):
        super().__init__()
        self.resnets = nn.ModuleList(ResnetBlock2D(c_in if i == 0 else c_out, c_out, temb, groups, eps) for i in range(layers))
        self.attentions = nn.ModuleList(attention(c_out) for _ in range(layers)) if attention else None
        self.downsamplers = nn.ModuleList([Downsample2D(c_out)]) if downsample else None

    def forward(self, x, emb, context):
        skips = []
        for i, resnet in enumerate(self.resnets):
            x = resnet(x, emb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
            skips.append(x)
        if self.downsamplers is not None:
            x = self.downsamplers[0](x)
            skips.append(x)
        return x, skips


class UpBlock(nn.Module):
    def __init__(self, c_in, c_prev, c_out, layers, temb, attention, groups, eps, upsample):
        super().__init__()
        self.resnets = nn.ModuleList(
            ResnetBlock2D((c_prev if i == 0 else c_out) + (c_in if i == layers - 1 else c_out), c_out, temb, groups, eps)
            for i in range(layers))
        self.attentions = nn.ModuleList(attention(c_out) for _ in range(layers)) if attention else None
        self.upsamplers = nn.ModuleList([Upsample2D(c_out)]) if upsample else None

    def forward(self, x, skips, emb, size, context):
        for i, resnet in enumerate(self.resnets):
            x = resnet(torch.cat([x, skips.pop()], dim=1), emb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x, size)
        return x


class MidBlock(nn.Module):
    def __init__(self, c, temb, attention, groups, eps):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(c, c, temb, groups, eps), ResnetBlock2D(c, c, temb, groups, eps)])
        self.attentions = nn.ModuleList([attention(c)])

    def forward(self, x, emb, context):
        return self.resnets[1](self.attentions[0](self.resnets[0](x, emb), context), emb)


class UNet2DCondition(nn.Module):
    """sample [B, C, H, W], timestep [B] i64, class_labels [B, E] (AudioLDM) or context [B, N, D] (PicoAudio)."""

    def __init__(self, config):
        super().__init__()
        c = {**DIFFUSERS_DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
        ch = list(c["block_out_channels"])
        heads = c["attention_head_dim"]
        heads = list(heads) if isinstance(heads, (list, tuple)) else [heads] * len(ch)
        groups, eps, layers = c["norm_num_groups"], c["norm_eps"], c["layers_per_block"]
        # an int is the width of a real context; a list (AudioLDM's conversion) means attn2 sees the features
        context_dim = c.get("cross_attention_dim")
        context_dim = context_dim if isinstance(context_dim, int) else None
        linear = bool(c.get("use_linear_projection", False))
        attention = lambda h: (lambda channels: Transformer2DModel(channels, h, groups, context_dim, linear))
        self.time_proj_dim = ch[0]
        temb = 4 * ch[0]
        self.time_embedding = TimestepEmbedding(ch[0], temb)
        self.concat = bool(c.get("class_embeddings_concat")) and c.get("projection_class_embeddings_input_dim") is not None
        if self.concat:
            self.class_embedding = nn.Linear(c["projection_class_embeddings_input_dim"], temb)
        block_temb = 2 * temb if self.concat else temb  # time and class embeddings concatenated
        self.conv_in = nn.Conv2d(c["in_channels"], ch[0], 3, padding=1)
        self.down_blocks = nn.ModuleList(
            DownBlock(ch[max(i - 1, 0)], ch[i], layers, block_temb, kind.startswith("CrossAttn") and attention(heads[i]), groups, eps, i < len(ch) - 1)
            for i, kind in enumerate(c["down_block_types"]))
        self.mid_block = MidBlock(ch[-1], block_temb, attention(heads[-1]), groups, eps)
        rev, rev_heads = ch[::-1], heads[::-1]
        self.up_blocks = nn.ModuleList(
            UpBlock(rev[min(i + 1, len(ch) - 1)], rev[max(i - 1, 0)], rev[i], layers + 1, block_temb,
                    kind.startswith("CrossAttn") and attention(rev_heads[i]), groups, eps, i < len(ch) - 1)
            for i, kind in enumerate(c["up_block_types"]))
        self.conv_norm_out = nn.GroupNorm(groups, ch[0], eps=eps)
        self.conv_out = nn.Conv2d(ch[0], c["out_channels"], 3, padding=1)

    def forward(self, sample, timestep, class_labels=None, context=None):
        emb = self.time_embedding(timestep_embedding(timestep, self.time_proj_dim))
        if self.concat:
            emb = torch.cat([emb, self.class_embedding(class_labels)], dim=-1)
        x = self.conv_in(sample)
        skips = [x]
        for block in self.down_blocks:
            x, s = block(x, emb, context)
            skips.extend(s)
        x = self.mid_block(x, emb, context)
        for block in self.up_blocks:
            n = len(block.resnets)
            mine = skips[-n:]
            del skips[-n:]
            x = block(x, mine, emb, skips[-1].shape[2:] if skips else None, context)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


class AudioLdmUNet(UNet2DCondition):
    """sample [B, 8, F, 16], timestep [B] i64, class_labels [B, 512] → noise [B, 8, F, 16]."""

    def __init__(self, config):
        c = {**AUDIOLDM_S, **{k: v for k, v in config.items() if v is not None}}
        # the conversion script sets cross_attention_dim to the list of block widths: attn2 has no context
        super().__init__({**c, "cross_attention_dim": list(c["block_out_channels"])})
        if not self.concat:
            raise ValueError("AudioLDM's UNet concatenates the class embedding (class_embeddings_concat=True)")

    def forward(self, sample, timestep, class_labels):
        return super().forward(sample, timestep, class_labels=class_labels)
