"""AudioLDM's VAE decoder as diffusers' AutoencoderKL lays it out (state-dict names kept:
post_quant_conv, decoder.*): latent [B, 8, F, 16] → mel image [B, 1, 4F, 64]. The
1/scaling_factor the pipeline applies to the latent first is folded in here, so the graph
takes the latent exactly as the scheduler leaves it. Plain torch, inference only."""
import torch
from torch import nn
import torch.nn.functional as F

AUDIOLDM_VAE = dict(in_channels=1, out_channels=1, latent_channels=8, block_out_channels=[128, 256, 512],
                    layers_per_block=2, norm_num_groups=32, scaling_factor=1.0)


class ResnetBlock(nn.Module):
    def __init__(self, c_in, c_out, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in, eps=1e-6)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, c_out, eps=1e-6)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x):
        h = self.conv2(F.silu(self.norm2(self.conv1(F.silu(self.norm1(x))))))
        return (self.conv_shortcut(x) if self.conv_shortcut is not None else x) + h


class SpatialSelfAttention(nn.Module):
    """diffusers Attention(heads=1, group norm, residual) over the H·W positions."""

    def __init__(self, c, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, c, eps=1e-6)
        self.to_q, self.to_k, self.to_v = nn.Linear(c, c), nn.Linear(c, c), nn.Linear(c, c)
        self.to_out = nn.ModuleList([nn.Linear(c, c)])

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.group_norm(x).view(b, c, h * w).transpose(1, 2)
        q, k, v = self.to_q(y), self.to_k(y), self.to_v(y)
        y = (q @ k.transpose(1, 2) * c ** -0.5).softmax(-1) @ v
        return self.to_out[0](y).transpose(1, 2).reshape(b, c, h, w) + x


class MidBlock(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock(c, c, groups), ResnetBlock(c, c, groups)])
        self.attentions = nn.ModuleList([SpatialSelfAttention(c, groups)])

    def forward(self, x):
        return self.resnets[1](self.attentions[0](self.resnets[0](x)))


class Upsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class UpDecoderBlock(nn.Module):
    def __init__(self, c_in, c_out, layers, groups, upsample):
        super().__init__()
        self.resnets = nn.ModuleList(ResnetBlock(c_in if i == 0 else c_out, c_out, groups) for i in range(layers))
        self.upsamplers = nn.ModuleList([Upsample(c_out)]) if upsample else None

    def forward(self, x):
        for resnet in self.resnets:
            x = resnet(x)
        return self.upsamplers[0](x) if self.upsamplers is not None else x


class Decoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        ch, groups = list(c["block_out_channels"]), c["norm_num_groups"]
        rev = ch[::-1]
        self.conv_in = nn.Conv2d(c["latent_channels"], rev[0], 3, padding=1)
        self.mid_block = MidBlock(rev[0], groups)
        self.up_blocks = nn.ModuleList(
            UpDecoderBlock(rev[max(i - 1, 0)], rev[i], c["layers_per_block"] + 1, groups, i < len(ch) - 1) for i in range(len(ch)))
        self.conv_norm_out = nn.GroupNorm(groups, ch[0], eps=1e-6)
        self.conv_out = nn.Conv2d(ch[0], c["out_channels"], 3, padding=1)

    def forward(self, z):
        x = self.mid_block(self.conv_in(z))
        for block in self.up_blocks:
            x = block(x)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


class VaeDecoder(nn.Module):
    """latent [B, 8, F, 16] (unscaled) → mel [B, 1, 4F, 64]."""

    def __init__(self, config):
        super().__init__()
        c = {**AUDIOLDM_VAE, **{k: v for k, v in config.items() if v is not None}}
        self.scaling_factor = float(c["scaling_factor"])
        self.post_quant_conv = nn.Conv2d(c["latent_channels"], c["latent_channels"], 1)
        self.decoder = Decoder(c)

    def forward(self, latent):
        return self.decoder(self.post_quant_conv(latent / self.scaling_factor))
