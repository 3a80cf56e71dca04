"""DualCodec (Li et al., "DualCodec: A Low-Frame-Rate, Semantically-Enhanced Neural Audio
Codec for Speech Generation", Interspeech 2025), written from the paper, the model cards and
the published configurations (conf/model/dualcodec_12hz_16384_4096_8vq.yaml,
dualcodec_25hz_16384_1024_12vq.yaml) so the ONNX export can be checked on random weights.
Attribute names follow the published model's (`dac.encoder`, `dac.quantizer.quantizers`,
`convnext_encoder`, `semantic_vq`, `convnext_decoder`), so a real checkpoint's state dict is
meant to load into it; `load_state_dict(strict=True)` says so or names what differs.

Parts:
- DAC (Kumar et al. 2023): Snake activations, residual units with dilations 1, 3, 9,
  strided weight-normed convolutions down (encoder) and transposed ones up (decoder);
- factorised residual VQ: per codebook a 1×1 projection to 8 dims, the nearest
  L2-normalised codebook row, and a 1×1 projection back;
- the semantic branch: a 1×1 projection of w2v-BERT features (1024 → 768), four causal
  ConvNeXt blocks, one 16384-entry codebook, four ConvNeXt blocks and a projection back
  to the DAC latent width (768 → 1024). The acoustic RVQ codes what the semantic latent
  leaves unexplained (DAC latent − semantic latent).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import weight_norm

COMMON = dict(decoder_dim=1536, codebook_dim=8, semantic_codebook_size=16384, convnext_dim=768, convnext_layers=4,
              ssl_dim=1024, is_causal=True)
CONFIGS = {
    "12hz": dict(encoder_dim=32, encoder_rates=[4, 5, 6, 8, 2], decoder_rates=[2, 8, 6, 5, 4], n_codebooks=7,
                 codebook_size=4096, semantic_downsample_factor=4),
    "25hz": dict(encoder_dim=64, encoder_rates=[4, 5, 6, 8], decoder_rates=[8, 6, 5, 4], n_codebooks=11,
                 codebook_size=1024, semantic_downsample_factor=2),
}


def WNConv1d(*args, **kwargs):
    return weight_norm(nn.Conv1d(*args, **kwargs))


def WNConvTranspose1d(*args, **kwargs):
    return weight_norm(nn.ConvTranspose1d(*args, **kwargs))


class Snake1d(nn.Module):
    """x + 1/α · sin²(αx), one learned α per channel."""

    def __init__(self, channels):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1, channels, 1))

    def forward(self, x):
        return x + (self.alpha + 1e-9).reciprocal() * torch.sin(self.alpha * x).pow(2)


class ResidualUnit(nn.Module):
    def __init__(self, dim, dilation=1):
        super().__init__()
        self.block = nn.Sequential(
            Snake1d(dim), WNConv1d(dim, dim, kernel_size=7, dilation=dilation, padding=3 * dilation),
            Snake1d(dim), WNConv1d(dim, dim, kernel_size=1))

    def forward(self, x):
        return x + self.block(x)


class EncoderBlock(nn.Module):
    def __init__(self, dim, stride):
        super().__init__()
        self.block = nn.Sequential(
            ResidualUnit(dim // 2, 1), ResidualUnit(dim // 2, 3), ResidualUnit(dim // 2, 9), Snake1d(dim // 2),
            WNConv1d(dim // 2, dim, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2)))

    def forward(self, x):
        return self.block(x)


class Encoder(nn.Module):
    """Waveform [B, 1, S] → latent [B, d_latent, S / prod(strides)] (S a multiple of the hop)."""

    def __init__(self, d_model, strides, d_latent):
        super().__init__()
        blocks = [WNConv1d(1, d_model, kernel_size=7, padding=3)]
        for stride in strides:
            d_model *= 2
            blocks.append(EncoderBlock(d_model, stride))
        blocks += [Snake1d(d_model), WNConv1d(d_model, d_latent, kernel_size=3, padding=1)]
        self.block = nn.Sequential(*blocks)

    def forward(self, x):
        return self.block(x)


class DecoderBlock(nn.Module):
    def __init__(self, input_dim, output_dim, stride):
        super().__init__()
        self.block = nn.Sequential(
            Snake1d(input_dim),
            WNConvTranspose1d(input_dim, output_dim, kernel_size=2 * stride, stride=stride, padding=math.ceil(stride / 2)),
            ResidualUnit(output_dim, 1), ResidualUnit(output_dim, 3), ResidualUnit(output_dim, 9))

    def forward(self, x):
        return self.block(x)


class Decoder(nn.Module):
    """Latent [B, C, T] → waveform [B, 1, ≈T·prod(rates)] in [-1, 1]. An odd stride's
    transposed convolution gives one sample less, so the output can be a few samples short."""

    def __init__(self, input_channel, channels, rates):
        super().__init__()
        layers = [WNConv1d(input_channel, channels, kernel_size=7, padding=3)]
        for i, stride in enumerate(rates):
            layers.append(DecoderBlock(channels // 2 ** i, channels // 2 ** (i + 1), stride))
        out = channels // 2 ** len(rates)
        layers += [Snake1d(out), WNConv1d(out, 1, kernel_size=7, padding=3), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class VectorQuantize(nn.Module):
    """One factorised codebook: `in_proj` to `codebook_dim`, nearest normalised row, `out_proj` back."""

    def __init__(self, input_dim, codebook_size, codebook_dim):
        super().__init__()
        self.in_proj = WNConv1d(input_dim, codebook_dim, kernel_size=1)
        self.out_proj = WNConv1d(codebook_dim, input_dim, kernel_size=1)
        self.codebook = nn.Embedding(codebook_size, codebook_dim)

    def embed(self, codes):
        """codes [B, T] → out_proj(codebook[codes]) [B, input_dim, T]: the decoder's view of a code."""
        return self.out_proj(self.codebook(codes).transpose(1, 2))


class ResidualVectorQuantize(nn.Module):
    def __init__(self, input_dim, n_codebooks, codebook_size, codebook_dim):
        super().__init__()
        self.quantizers = nn.ModuleList([VectorQuantize(input_dim, codebook_size, codebook_dim) for _ in range(n_codebooks)])


class DAC(nn.Module):
    def __init__(self, encoder_dim, encoder_rates, decoder_dim, decoder_rates, n_codebooks, codebook_size, codebook_dim):
        super().__init__()
        latent_dim = encoder_dim * 2 ** len(encoder_rates)
        self.hop_length = math.prod(encoder_rates)
        self.encoder = Encoder(encoder_dim, encoder_rates, latent_dim)
        self.quantizer = ResidualVectorQuantize(latent_dim, n_codebooks, codebook_size, codebook_dim)
        self.decoder = Decoder(latent_dim, decoder_dim, decoder_rates)


class ConvNeXtBlock(nn.Module):
    """Depthwise conv (k7; causal: 6 frames of left padding), LayerNorm, MLP ×(2048/768), residual."""

    def __init__(self, dim, intermediate_dim, is_causal):
        super().__init__()
        self.is_causal = is_causal
        self.dwconv = nn.Conv1d(dim, dim, kernel_size=7, padding=0 if is_causal else 3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, intermediate_dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(intermediate_dim, dim)

    def forward(self, x):
        y = self.dwconv(F.pad(x, (6, 0)) if self.is_causal else x).transpose(1, 2)
        y = self.pwconv2(self.act(self.pwconv1(self.norm(y))))
        return x + y.transpose(1, 2)


class DualCodec(nn.Module):
    def __init__(self, encoder_dim, encoder_rates, decoder_dim, decoder_rates, n_codebooks, codebook_size, codebook_dim,
                 semantic_codebook_size, convnext_dim, convnext_layers, ssl_dim, is_causal, semantic_downsample_factor):
        super().__init__()
        self.semantic_downsample_factor = semantic_downsample_factor
        self.dac = DAC(encoder_dim, encoder_rates, decoder_dim, decoder_rates, n_codebooks, codebook_size, codebook_dim)
        self.convnext_encoder = nn.Sequential(
            WNConv1d(ssl_dim, convnext_dim, kernel_size=1),
            *[ConvNeXtBlock(convnext_dim, 2048, is_causal) for _ in range(convnext_layers)])
        self.semantic_vq = ResidualVectorQuantize(convnext_dim, 1, semantic_codebook_size, codebook_dim)
        self.convnext_decoder = nn.Sequential(
            *[ConvNeXtBlock(convnext_dim, 2048, is_causal) for _ in range(convnext_layers)],
            WNConv1d(convnext_dim, ssl_dim, kernel_size=1))


# For the recipe's test run (`--small`): the same classes and graph cut with narrow inner
# widths. The DAC latent (encoder_dim · 2^stages) must stay the w2v-BERT width it is a
# residual of, and the contract's widths stay as published.
SMALL = dict(decoder_dim=64, convnext_dim=64, semantic_codebook_size=1024)


def build(variant, small=False):
    return DualCodec(**{**COMMON, **CONFIGS[variant], **(SMALL if small else {})})
