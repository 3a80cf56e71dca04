"""VoxCPM's networks re-declared in plain torch with the reference's parameter names
(OpenBMB/VoxCPM src/voxcpm/model/{voxcpm,voxcpm2}.py, modules/{locenc,locdit,layers,audiovae}),
so a released state dict loads with strict=True. No transformers, no einops, no pydantic.
"""
import copy
import math

import torch
from torch import nn
from torch.nn.utils import weight_norm

from minicpm import MiniCPMModel


def sub_config(lm, hidden, ffn, heads, layers, kv_channels=None):
    cfg = copy.deepcopy(lm)
    cfg.update(hidden_size=hidden, intermediate_size=ffn, num_attention_heads=heads, num_hidden_layers=layers, kv_channels=kv_channels, vocab_size=0)
    return cfg


class LocEnc(nn.Module):
    """VoxCPMLocEnc: a learned CLS token before the patch's frames, non-causal MiniCPM, CLS out."""

    def __init__(self, cfg, input_dim):
        super().__init__()
        self.special_token = nn.Parameter(torch.randn(1, 1, 1, cfg["hidden_size"]))
        self.in_proj = nn.Linear(input_dim, cfg["hidden_size"], bias=True)
        self.encoder = MiniCPMModel(cfg)

    def forward(self, x):  # [B, T, P, D] → [B, T, h]
        b, t, p, _ = x.shape
        x = self.in_proj(x)
        x = torch.cat([self.special_token.expand(b, t, 1, -1), x], dim=2).reshape(b * t, p + 1, -1)
        out, _, _ = self.encoder(x, causal=False)
        return out[:, 0, :].reshape(b, t, -1)


class SinusoidalPosEmb(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x, scale=1000):
        half = self.dim // 2
        emb = torch.exp(torch.arange(half, dtype=x.dtype) * -(math.log(10000) / (half - 1)))
        emb = scale * x.unsqueeze(1) * emb.unsqueeze(0)
        return torch.cat((emb.sin(), emb.cos()), dim=-1)


class TimestepEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear_1 = nn.Linear(dim, dim, bias=True)
        self.act = nn.SiLU()
        self.linear_2 = nn.Linear(dim, dim, bias=True)

    def forward(self, x):
        return self.linear_2(self.act(self.linear_1(x)))


class LocDiT(nn.Module):
    """VoxCPMLocDiT (v1: [mu + t ; cond ; x]) and VoxCPMLocDiTV2 (v2: [mu tokens ; t ; cond ; x])."""

    def __init__(self, cfg, in_channels, version):
        super().__init__()
        h = cfg["hidden_size"]
        self.version = version
        self.in_proj = nn.Linear(in_channels, h, bias=True)
        self.cond_proj = nn.Linear(in_channels, h, bias=True)
        self.out_proj = nn.Linear(h, in_channels, bias=True)
        self.time_embeddings = SinusoidalPosEmb(h)
        self.time_mlp = TimestepEmbedding(h)
        self.delta_time_mlp = TimestepEmbedding(h)
        self.decoder = MiniCPMModel(cfg)

    def forward(self, x, mu, t, cond, dt):
        x = self.in_proj(x.transpose(1, 2))
        cond = self.cond_proj(cond.transpose(1, 2))
        prefix = cond.shape[1]
        t = self.time_mlp(self.time_embeddings(t)) + self.delta_time_mlp(self.time_embeddings(dt))
        if self.version == 1:
            x = torch.cat([(mu + t).unsqueeze(1), cond, x], dim=1)
            skip = prefix + 1
        else:
            mu = mu.view(x.shape[0], -1, x.shape[-1])
            x = torch.cat([mu, t.unsqueeze(1), cond, x], dim=1)
            skip = prefix + mu.shape[1] + 1
        hidden, _, _ = self.decoder(x, causal=False)
        return self.out_proj(hidden[:, skip:, :]).transpose(1, 2)


class UnifiedCFM(nn.Module):
    """Holds the estimator under the reference's name (feat_decoder.estimator.*); the solver is TypeScript."""

    def __init__(self, estimator):
        super().__init__()
        self.estimator = estimator


class ScalarQuantizationLayer(nn.Module):
    def __init__(self, in_dim, out_dim, latent_dim, scale):
        super().__init__()
        self.scale = scale
        self.in_proj = nn.Linear(in_dim, latent_dim)
        self.out_proj = nn.Linear(latent_dim, out_dim)

    def forward(self, hidden):
        return self.out_proj(torch.round(torch.tanh(self.in_proj(hidden)) * self.scale) / self.scale)


class VoxCPM(nn.Module):
    """The networks of VoxCPMModel / VoxCPM2Model (no tokenizer, no AudioVAE: see AudioVAE)."""

    def __init__(self, config, version):
        super().__init__()
        lm = config["lm_config"]
        h = lm["hidden_size"]
        enc, dit = config["encoder_config"], config["dit_config"]
        self.version = version
        self.base_lm = MiniCPMModel(lm)
        residual = copy.deepcopy(lm)
        residual.update(num_hidden_layers=config["residual_lm_num_layers"], vocab_size=0, no_rope=config.get("residual_lm_no_rope", False))
        self.residual_lm = MiniCPMModel(residual)
        self.feat_encoder = LocEnc(sub_config(lm, enc["hidden_dim"], enc["ffn_dim"], enc["num_heads"], enc["num_layers"], enc.get("kv_channels")), config["feat_dim"])
        dit_cfg = sub_config(lm, dit["hidden_dim"], dit["ffn_dim"], dit["num_heads"], dit["num_layers"], dit.get("kv_channels"))
        self.feat_decoder = UnifiedCFM(LocDiT(dit_cfg, config["feat_dim"], version))
        self.fsq_layer = ScalarQuantizationLayer(h, h, config["scalar_quantization_latent_dim"], config["scalar_quantization_scale"])
        self.enc_to_lm_proj = nn.Linear(enc["hidden_dim"], h)
        self.lm_to_dit_proj = nn.Linear(h, dit["hidden_dim"])
        self.res_to_dit_proj = nn.Linear(h, dit["hidden_dim"])
        if version == 2:
            self.fusion_concat_proj = nn.Linear(2 * h, h)
        self.stop_proj = nn.Linear(h, h)
        self.stop_actn = nn.SiLU()
        self.stop_head = nn.Linear(h, 2, bias=False)
        self.scale_emb = lm["scale_emb"] if lm.get("use_mup", True) else 1.0

    def residual_input(self, lm_hidden, feat_embeds):
        if self.version == 1:
            return lm_hidden + feat_embeds
        return self.fusion_concat_proj(torch.cat((lm_hidden, feat_embeds), dim=-1))

    def dit_condition(self, lm_hidden, residual_hidden):
        a, b = self.lm_to_dit_proj(lm_hidden), self.res_to_dit_proj(residual_hidden)
        return a + b if self.version == 1 else torch.cat((a, b), dim=-1)


# ------------------------------------------------------------------ AudioVAE (v1 layout)

class CausalConv1d(nn.Conv1d):
    """Pads 2·padding − output_padding on the left only; `padding` is not passed to the
    convolution. v1 never passes output_padding; audio_vae_v2's strided encoder convolutions
    pass stride % 2, so an odd stride pads one sample less (same length, shifted alignment)."""

    def __init__(self, *args, padding=0, output_padding=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.causal_padding = padding * 2 - output_padding

    def forward(self, x):
        return super().forward(nn.functional.pad(x, (self.causal_padding, 0)))


class CausalTransposeConv1d(nn.ConvTranspose1d):
    """Unpadded transposed convolution, then the last 2·padding − output_padding samples cut."""

    def __init__(self, *args, padding=0, output_padding=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.cut = padding * 2 - output_padding

    def forward(self, x):
        return super().forward(x)[..., : -self.cut]


def wn_conv(*args, **kwargs):
    return weight_norm(CausalConv1d(*args, **kwargs))


class Snake1d(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1, channels, 1))

    def forward(self, x):
        return x + (self.alpha + 1e-9).reciprocal() * torch.sin(self.alpha * x).pow(2)


class ResidualUnit(nn.Module):
    def __init__(self, dim, dilation, groups):
        super().__init__()
        pad = ((7 - 1) * dilation) // 2
        self.block = nn.Sequential(Snake1d(dim), wn_conv(dim, dim, kernel_size=7, dilation=dilation, padding=pad, groups=groups), Snake1d(dim), wn_conv(dim, dim, kernel_size=1))

    def forward(self, x):
        return x + self.block(x)


class EncoderBlock(nn.Module):
    def __init__(self, output_dim, stride, groups, odd_stride_padding=False):
        super().__init__()
        d = output_dim // 2
        self.block = nn.Sequential(
            ResidualUnit(d, 1, groups), ResidualUnit(d, 3, groups), ResidualUnit(d, 9, groups), Snake1d(d),
            wn_conv(d, output_dim, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2), output_padding=stride % 2 if odd_stride_padding else 0),
        )

    def forward(self, x):
        return self.block(x)


class Encoder(nn.Module):
    """CausalEncoder; `odd_stride_padding` is audio_vae_v2's one difference (see CausalConv1d)."""

    def __init__(self, d_model, latent_dim, strides, depthwise, odd_stride_padding=False):
        super().__init__()
        block = [wn_conv(1, d_model, kernel_size=7, padding=3)]
        for stride in strides:
            d_model *= 2
            block.append(EncoderBlock(d_model, stride, d_model // 2 if depthwise else 1, odd_stride_padding))
        self.fc_mu = wn_conv(d_model, latent_dim, kernel_size=3, padding=1)
        self.fc_logvar = wn_conv(d_model, latent_dim, kernel_size=3, padding=1)
        self.block = nn.Sequential(*block)

    def forward(self, x):
        return self.fc_mu(self.block(x))  # the mean: what `AudioVAE.encode` returns


class DecoderBlock(nn.Module):
    def __init__(self, input_dim, output_dim, stride, groups):
        super().__init__()
        self.block = nn.Sequential(
            Snake1d(input_dim),
            weight_norm(CausalTransposeConv1d(input_dim, output_dim, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2), output_padding=stride % 2)),
            ResidualUnit(output_dim, 1, groups), ResidualUnit(output_dim, 3, groups), ResidualUnit(output_dim, 9, groups),
        )

    def forward(self, x):
        return self.block(x)


class Decoder(nn.Module):
    def __init__(self, input_channel, channels, rates, depthwise):
        super().__init__()
        if depthwise:
            layers = [wn_conv(input_channel, input_channel, kernel_size=7, padding=3, groups=input_channel), wn_conv(input_channel, channels, kernel_size=1)]
        else:
            layers = [wn_conv(input_channel, channels, kernel_size=7, padding=3)]
        for i, stride in enumerate(rates):
            output_dim = channels // 2 ** (i + 1)
            layers.append(DecoderBlock(channels // 2 ** i, output_dim, stride, output_dim if depthwise else 1))
        layers += [Snake1d(output_dim), wn_conv(output_dim, 1, kernel_size=7, padding=3), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class AudioVAE(nn.Module):
    """AudioVAE (audio_vae.py, VoxCPM-0.5B / 1.5): causal DAC-like encoder and decoder."""

    def __init__(self, cfg):
        super().__init__()
        self.encoder = Encoder(cfg["encoder_dim"], cfg["latent_dim"], cfg["encoder_rates"], cfg["depthwise"])
        self.decoder = Decoder(cfg["latent_dim"], cfg["decoder_dim"], cfg["decoder_rates"], cfg["depthwise"])
        self.hop = math.prod(cfg["encoder_rates"])
        self.out_hop = math.prod(cfg["decoder_rates"])
