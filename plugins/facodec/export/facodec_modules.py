"""FACodec (Ju et al., "NaturalSpeech 3: Zero-Shot Speech Synthesis with Factorized Codec and
Diffusion Models", 2024), written from the paper, the Amphion README's configuration
(FACodecEncoder(ngf=32, up_ratios=[2,4,5,5], out_channels=256), FACodecDecoder(in_channels=256,
upsample_initial_channel=1024, up_ratios=[5,5,4,2], vq_num_q_p=1, vq_num_q_c=2, vq_num_q_r=3,
vq_dim=256, codebook_dim=8, codebook sizes 2^10)) and shared/design/models.md §6, so the ONNX
export can be checked on random weights. Only what inference uses is built: the encoder, the
three factorised quantisers, the timbre encoder and the decode stack; the training heads
(F0/phone predictors, gradient-reversal branches) that make up most of the published
decoder checkpoint are left out. Attribute names follow the published modules'.

The anti-aliased SnakeBeta activations are BigVGAN's (plugins/bigvgan/export), whose
low-pass filters are kept pre-expanded per channel: the TorchScript exporter cannot export
`filter.expand(C, -1, -1)` inside forward ("convolution for kernel of unknown shape").
"""
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import weight_norm

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bigvgan", "export"))
from bigvgan_generator import Activation1d, DownSample1d, SnakeBeta, UpSample1d  # noqa: E402

CONFIG = dict(ngf=32, encoder_ratios=(2, 4, 5, 5), dim=256, decoder_channels=1024, decoder_ratios=(5, 5, 4, 2),
              prosody_layers=1, content_layers=2, residual_layers=3, codebook_size=1024, codebook_dim=8)


def WNConv1d(*args, **kwargs):
    return weight_norm(nn.Conv1d(*args, **kwargs))


def WNConvTranspose1d(*args, **kwargs):
    return weight_norm(nn.ConvTranspose1d(*args, **kwargs))


def snake(channels):
    return Activation1d(SnakeBeta(channels, logscale=True), channels)


class ResidualUnit(nn.Module):
    def __init__(self, dim, dilation):
        super().__init__()
        self.block = nn.Sequential(snake(dim), WNConv1d(dim, dim, kernel_size=7, dilation=dilation, padding=3 * dilation),
                                   snake(dim), WNConv1d(dim, dim, kernel_size=1))

    def forward(self, x):
        return x + self.block(x)


class EncoderBlock(nn.Module):
    def __init__(self, dim, stride):
        super().__init__()
        self.block = nn.Sequential(
            ResidualUnit(dim // 2, 1), ResidualUnit(dim // 2, 3), ResidualUnit(dim // 2, 9), snake(dim // 2),
            WNConv1d(dim // 2, dim, kernel_size=2 * stride, stride=stride, padding=stride // 2 + stride % 2))

    def forward(self, x):
        return self.block(x)


class FACodecEncoder(nn.Module):
    """16 kHz waveform [B, 1, S] → [B, 256, S/200]."""

    def __init__(self, ngf, up_ratios, out_channels):
        super().__init__()
        d = ngf
        blocks = [WNConv1d(1, d, kernel_size=7, padding=3)]
        for stride in up_ratios:
            d *= 2
            blocks.append(EncoderBlock(d, stride))
        blocks += [snake(d), WNConv1d(d, out_channels, kernel_size=3, padding=1)]
        self.block = nn.Sequential(*blocks)

    def forward(self, x):
        return self.block(x)


class DecoderBlock(nn.Module):
    def __init__(self, input_dim, output_dim, stride):
        super().__init__()
        self.block = nn.Sequential(
            snake(input_dim),
            WNConvTranspose1d(input_dim, output_dim, kernel_size=2 * stride, stride=stride,
                              padding=stride // 2 + stride % 2, output_padding=stride % 2),
            ResidualUnit(output_dim, 1), ResidualUnit(output_dim, 3), ResidualUnit(output_dim, 9))

    def forward(self, x):
        return self.block(x)


class FactorizedVQ(nn.Module):
    """One codebook: a weight-normed linear map to 8 dims, the nearest L2-normalised row of a
    2^10-entry table, and a linear map back; decoding uses the raw row."""

    def __init__(self, dim, codebook_size, codebook_dim):
        super().__init__()
        self.in_proj = weight_norm(nn.Linear(dim, codebook_dim))
        self.out_proj = weight_norm(nn.Linear(codebook_dim, dim))
        self._codebook = nn.Embedding(codebook_size, codebook_dim)

    @property
    def codebook(self):
        return self._codebook

    def project(self, x):
        """[B, dim, T] → [B, codebook_dim, T]"""
        return self.in_proj(x.transpose(1, 2)).transpose(1, 2)

    def embed(self, codes):
        """codes [B, T] → [B, dim, T]"""
        return self.out_proj(self.codebook(codes)).transpose(1, 2)


class ResidualVQ(nn.Module):
    def __init__(self, num_quantizers, dim, codebook_size, codebook_dim):
        super().__init__()
        self.layers = nn.ModuleList([FactorizedVQ(dim, codebook_size, codebook_dim) for _ in range(num_quantizers)])


class TransformerEncoderLayer(nn.Module):
    """Pre-norm: LayerNorm, 4-head self-attention, residual; LayerNorm, conv FFN (k5, 1024, ReLU), residual."""

    def __init__(self, hidden, heads, filter_size, kernel_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(hidden)
        self.ln_2 = nn.LayerNorm(hidden)
        self.self_attn = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.ffn = nn.Module()
        self.ffn.ffn_1 = nn.Conv1d(hidden, filter_size, kernel_size, padding=kernel_size // 2)
        self.ffn.ffn_2 = nn.Linear(filter_size, hidden)

    def forward(self, x, key_padding_mask=None, condition=None):
        # Amphion's mask marks valid frames with 1; attention wants True where to ignore.
        ignore = None if key_padding_mask is None else ~key_padding_mask.bool()
        y = self.ln_1(x)
        x = x + self.self_attn(y, y, y, key_padding_mask=ignore, need_weights=False)[0]
        y = F.relu(self.ffn.ffn_1(self.ln_2(x).transpose(1, 2)).transpose(1, 2))
        return x + self.ffn.ffn_2(y)


class TimbreEncoder(nn.Module):
    """4 transformer layers over the encoder output. The published positional encoding indexes
    its table by the batch axis, so a batch of one adds the table's first row to every frame."""

    def __init__(self, hidden=256, layers=4, heads=4, filter_size=1024, kernel_size=5):
        super().__init__()
        position = torch.arange(5000).unsqueeze(1)
        div = torch.exp(torch.arange(0, hidden, 2) * (-math.log(10000.0) / hidden))
        pe = torch.zeros(5000, 1, hidden)
        pe[:, 0, 0::2] = torch.sin(position * div)
        pe[:, 0, 1::2] = torch.cos(position * div)
        self.position_emb = nn.Module()
        self.position_emb.register_buffer("pe", pe)
        self.layers = nn.ModuleList([TransformerEncoderLayer(hidden, heads, filter_size, kernel_size) for _ in range(layers)])
        self.last_ln = nn.LayerNorm(hidden)

    def forward(self, x, key_padding_mask, condition=None):
        # The published signature: key_padding_mask has no default, so callers must pass it
        # (FACodecDecoder passes None); a graph written against this class then fits Amphion's.
        x = x + self.position_emb.pe[: x.size(0)]
        for layer in self.layers:
            x = layer(x, key_padding_mask, condition)
        return self.last_ln(x)


class FACodecDecoder(nn.Module):
    """The inference part of FACodecDecoder: quantizer (prosody, content, residual), timbre
    encoder, timbre-conditioned layer norm, and the upsampling stack to 16 kHz."""

    def __init__(self, dim, decoder_channels, decoder_ratios, prosody_layers, content_layers, residual_layers,
                 codebook_size, codebook_dim, **_):
        super().__init__()
        self.quantizer = nn.ModuleList([
            ResidualVQ(n, dim, codebook_size, codebook_dim) for n in (prosody_layers, content_layers, residual_layers)])
        layers = [WNConv1d(dim, decoder_channels, kernel_size=7, padding=3)]
        for i, stride in enumerate(decoder_ratios):
            layers.append(DecoderBlock(decoder_channels // 2 ** i, decoder_channels // 2 ** (i + 1), stride))
        out = decoder_channels // 2 ** len(decoder_ratios)
        layers += [snake(out), WNConv1d(out, 1, kernel_size=7, padding=3), nn.Tanh()]
        self.model = nn.Sequential(*layers)
        self.timbre_encoder = TimbreEncoder(dim)
        self.timbre_linear = nn.Linear(dim, 2 * dim)
        self.timbre_norm = nn.LayerNorm(dim, elementwise_affine=False)


# For the recipe's test run (`--small`): the same classes with narrow convolution stacks; the
# code and speaker widths the contract declares stay as published.
SMALL = dict(ngf=4, decoder_channels=64)


def build(small=False):
    config = {**CONFIG, **(SMALL if small else {})}
    encoder = FACodecEncoder(config["ngf"], config["encoder_ratios"], config["dim"])
    decoder = FACodecDecoder(**config)
    return encoder, decoder


class ExportableAttention(nn.MultiheadAttention):
    """nn.MultiheadAttention always on its general path. In eval without gradients torch 1.13
    takes a fused kernel (`_native_multi_head_attention`) that the ONNX exporter cannot export;
    this path computes the same attention from the same parameters."""

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True):
        q, k, v = (t.transpose(0, 1) for t in (query, key, value)) if self.batch_first else (query, key, value)
        out, weights = F.multi_head_attention_forward(
            q, k, v, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, self.bias_k, self.bias_v,
            self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            average_attn_weights=average_attn_weights)
        return (out.transpose(0, 1) if self.batch_first else out), weights


def use_exportable_attention(module):
    for m in module.modules():
        if type(m) is nn.MultiheadAttention:
            m.__class__ = ExportableAttention


class ChannelsAsBatchUpSample(nn.Module):
    """UpSample1d computed as two 6-tap phases of one ordinary convolution over the channels
    folded into the batch: the same numbers as the per-channel transposed convolution (one
    filter shared by every channel), which onnxruntime's CPU kernels run several times slower."""

    def __init__(self, up):
        super().__init__()
        self.ratio, self.pad, self.pad_left, self.pad_right = up.ratio, up.pad, up.pad_left, up.pad_right
        taps = up.filter.shape[-1]
        # phase p of the zero-stuffed convolution uses taps p, p + ratio, ...; conv1d correlates, so reversed
        phases = torch.stack([up.filter.view(-1)[p::up.ratio].flip(0) for p in range(up.ratio)])
        self.register_buffer("phases", phases.unsqueeze(1), persistent=False)  # [ratio, 1, taps/ratio]
        self.reach = taps // up.ratio - 1

    def forward(self, x):
        batch, channels, length = x.shape
        x = F.pad(x, (self.pad, self.pad), mode="replicate").reshape(batch * channels, 1, -1)
        y = F.conv1d(x, self.phases, padding=self.reach)  # [B·C, ratio, L']
        y = self.ratio * y.transpose(1, 2).reshape(batch, channels, -1)
        return y[..., self.pad_left:-self.pad_right]


class ChannelsAsBatchDownSample(nn.Module):
    """DownSample1d's strided low-pass as one ordinary convolution over channels folded into the batch."""

    def __init__(self, down):
        super().__init__()
        lowpass = down.lowpass
        self.stride, self.pad_left, self.pad_right = lowpass.stride, lowpass.pad_left, lowpass.pad_right
        self.register_buffer("taps", lowpass.filter.view(1, 1, -1).clone(), persistent=False)

    def forward(self, x):
        batch, channels, _ = x.shape
        x = F.pad(x, (self.pad_left, self.pad_right), mode="replicate").reshape(batch * channels, 1, -1)
        return F.conv1d(x, self.taps, stride=self.stride).reshape(batch, channels, -1)


def use_fast_resamplers(module):
    """Swaps every Activation1d's resamplers for the channels-as-batch equivalents, after
    checking on a random signal that they give the same output."""
    probe = torch.randn(1, 3, 50)
    for m in module.modules():
        if type(m).__name__ == "Activation1d":
            up, down = ChannelsAsBatchUpSample(m.upsample), ChannelsAsBatchDownSample(m.downsample)
            with torch.no_grad():
                channels = m.act.alpha.shape[0]
                x = probe.repeat(1, channels // 3 + 1, 1)[:, :channels]
                if not (torch.allclose(up(x), m.upsample(x), atol=1e-6) and torch.allclose(down(x), m.downsample(x), atol=1e-6)):
                    raise SystemExit("channels-as-batch resampling differs from the anti-aliasing filters")
            m.upsample, m.downsample = up, down


def preexpand_alias_free_filters(module):
    """For the published Amphion classes: swap each Activation1d's resamplers for the exportable
    ones (same 12-tap Kaiser-sinc filters, pre-expanded to the activation's channels)."""
    for m in module.modules():
        if type(m).__name__ == "Activation1d" and not hasattr(m.upsample, "filter_expanded"):
            channels = m.act.alpha.shape[0]
            m.upsample, m.downsample = UpSample1d(channels), DownSample1d(channels)
