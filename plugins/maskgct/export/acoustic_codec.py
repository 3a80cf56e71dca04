"""MaskGCT's acoustic codec: Amphion's models/codec/amphion_codec/codec.py `CodecEncoder` and
`CodecDecoder` (Vocos decoder with an ISTFT head, factorised residual VQ) with
config/maskgct.json's acoustic_codec, in plain torch with the released checkpoints' names
(acoustic_codec/model.safetensors: the encoder; model_1.safetensors: the decoder; manifest.json).

Facts carried over (the code is ours):
- encoder: weight-normed Conv1d(1, 96, k7) → per stride s in (3, 4, 5, 8) the width doubles and
  an EncoderBlock(width, s): residual units at width/2 with dilations 1, 3, 9 (Snake, Conv k7,
  Snake, Conv k1; the input is centre-cropped to the output), Snake, strided Conv (kernel 2s,
  padding ⌈s/2⌉) → Snake → Conv(1536, 256, k3); no tanh. 480 samples per frame;
- Snake1d: x + 1/(α + 1e-9) · sin²(αx), α [1, C, 1] initialised to 1;
- decoder: ResidualVQ of 12 factorised VQs (1024 × 8, input 256) and Vocos(input 256, dim 512,
  intermediate 4096, 30 layers) whose ISTFT head is Linear(512, 1922) and an ISTFT of n_fft
  1920, hop 480, "same" padding, with its Hann window saved as a buffer.
"""
import torch
from torch import nn
from torch.nn.utils import weight_norm

from vocos import ResidualVQ, VocosBackbone

ENCODER = dict(d_model=96, up_ratios=(3, 4, 5, 8), out_channels=256)
DECODER = dict(in_channels=256, num_quantizers=12, codebook_size=1024, codebook_dim=8, vocos_dim=512,
               vocos_intermediate_dim=4096, vocos_num_layers=30, n_fft=1920, hop_size=480)


def WNConv1d(*args, **kwargs):
    return weight_norm(nn.Conv1d(*args, **kwargs))


class Snake1d(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1, channels, 1))

    def forward(self, x):
        return x + (self.alpha + 1e-9).reciprocal() * torch.sin(self.alpha * x).pow(2)


class ResidualUnit(nn.Module):
    def __init__(self, dim, dilation):
        super().__init__()
        self.block = nn.Sequential(Snake1d(dim), WNConv1d(dim, dim, kernel_size=7, dilation=dilation, padding=3 * dilation),
                                   Snake1d(dim), WNConv1d(dim, dim, kernel_size=1))

    def forward(self, x):
        y = self.block(x)
        crop = (x.shape[-1] - y.shape[-1]) // 2
        return (x[..., crop:x.shape[-1] - crop] if crop > 0 else x) + y


class EncoderBlock(nn.Module):
    def __init__(self, dim, stride):
        super().__init__()
        self.block = nn.Sequential(
            ResidualUnit(dim // 2, 1), ResidualUnit(dim // 2, 3), ResidualUnit(dim // 2, 9), Snake1d(dim // 2),
            WNConv1d(dim // 2, dim, kernel_size=2 * stride, stride=stride, padding=(stride + 1) // 2))

    def forward(self, x):
        return self.block(x)


class CodecEncoder(nn.Module):
    """24 kHz waveform [B, 1, S] → latent [B, 256, S/480]."""

    def __init__(self, d_model, up_ratios, out_channels):
        super().__init__()
        blocks = [WNConv1d(1, d_model, kernel_size=7, padding=3)]
        for stride in up_ratios:
            d_model *= 2
            blocks.append(EncoderBlock(d_model, stride))
        blocks += [Snake1d(d_model), WNConv1d(d_model, out_channels, kernel_size=3, padding=1)]
        self.block = nn.Sequential(*blocks)

    def forward(self, x):
        return self.block(x)


class ISTFT(nn.Module):
    """Holds the head's window (a saved buffer); the inverse STFT itself runs in TypeScript."""

    def __init__(self, n_fft):
        super().__init__()
        self.register_buffer("window", torch.hann_window(n_fft))


class ISTFTHead(nn.Module):
    def __init__(self, dim, n_fft):
        super().__init__()
        self.out = nn.Linear(dim, n_fft + 2)
        self.istft = ISTFT(n_fft)


class Vocos(nn.Module):
    def __init__(self, input_channels, dim, intermediate_dim, num_layers, n_fft):
        super().__init__()
        self.backbone = VocosBackbone(input_channels, dim, intermediate_dim, num_layers)
        self.head = ISTFTHead(dim, n_fft)


class CodecDecoder(nn.Module):
    def __init__(self, in_channels, num_quantizers, codebook_size, codebook_dim, vocos_dim, vocos_intermediate_dim,
                 vocos_num_layers, n_fft, hop_size):
        super().__init__()
        self.quantizer = ResidualVQ(in_channels, num_quantizers, codebook_size, codebook_dim)
        self.model = Vocos(in_channels, vocos_dim, vocos_intermediate_dim, vocos_num_layers, n_fft)

    def vq2emb(self, vq, n_quantizers=None):
        return self.quantizer.vq2emb(vq)


def build_codec_encoder(small=False):
    return CodecEncoder(**{**ENCODER, **(dict(d_model=4) if small else {})})


def build_codec_decoder(small=False):
    return CodecDecoder(**{**DECODER, **(dict(vocos_dim=64, vocos_intermediate_dim=128, vocos_num_layers=2) if small else {})})
