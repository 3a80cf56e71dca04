"""BigVGAN generator (Lee et al., "BigVGAN: A Universal Neural Vocoder with Large-Scale
Training", ICLR 2023), written from the paper and the published configurations
(configs/*.json, HF nvidia/bigvgan_*) so an ONNX export can be checked on random weights.
Module and buffer names follow the published checkpoints' state-dict keys, so a real
`bigvgan_generator.pt` loads into it.

Two changes make it exportable, both numerically neutral:
- each anti-aliasing filter is also kept pre-expanded to [channels, 1, taps] as a buffer
  (`filter_expanded`): the TorchScript exporter cannot export `filter.expand(C, -1, -1)`
  ("convolution for kernel of unknown shape");
- weight norm is removed before export (`remove_weight_norm`).
"""
import math

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils import remove_weight_norm, weight_norm

# Published generator configurations (audio parameters live in the plugin's families.ts).
V2_256X = dict(upsample_rates=[4, 4, 2, 2, 2, 2], upsample_kernel_sizes=[8, 8, 4, 4, 4, 4],
               upsample_initial_channel=1536, use_tanh_at_final=False, use_bias_at_final=False)
CONFIGS = {
    "bigvgan_base_24khz_100band": dict(num_mels=100, upsample_rates=[8, 8, 2, 2], upsample_kernel_sizes=[16, 16, 4, 4],
                                       upsample_initial_channel=512),
    "bigvgan_base_22khz_80band": dict(num_mels=80, upsample_rates=[8, 8, 2, 2], upsample_kernel_sizes=[16, 16, 4, 4],
                                      upsample_initial_channel=512),
    "bigvgan_v2_24khz_100band_256x": dict(num_mels=100, **V2_256X),
    "bigvgan_v2_22khz_80band_256x": dict(num_mels=80, **V2_256X),
    "bigvgan_v2_44khz_128band_256x": dict(num_mels=128, **V2_256X),
    "bigvgan_v2_44khz_128band_512x": dict(num_mels=128, upsample_rates=[8, 4, 2, 2, 2, 2],
                                          upsample_kernel_sizes=[16, 8, 4, 4, 4, 4], upsample_initial_channel=1536,
                                          use_tanh_at_final=False, use_bias_at_final=False),
}
COMMON = dict(resblock="1", resblock_kernel_sizes=[3, 7, 11], resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5], [1, 3, 5]],
              activation="snakebeta", snake_logscale=True)


def same_padding(kernel_size, dilation=1):
    return (kernel_size * dilation - dilation) // 2


class Snake(nn.Module):
    """x + 1/α · sin²(αx), one learned frequency α per channel (log-scale when asked)."""

    def __init__(self, channels, logscale=True):
        super().__init__()
        self.logscale = logscale
        self.alpha = nn.Parameter(torch.zeros(channels) if logscale else torch.ones(channels))

    def forward(self, x):
        alpha = self.alpha.unsqueeze(0).unsqueeze(-1)
        if self.logscale:
            alpha = torch.exp(alpha)
        return x + 1.0 / (alpha + 1e-9) * torch.sin(x * alpha) ** 2


class SnakeBeta(nn.Module):
    """x + 1/β · sin²(αx): frequency α and magnitude β learned separately per channel."""

    def __init__(self, channels, logscale=True):
        super().__init__()
        self.logscale = logscale
        init = torch.zeros(channels) if logscale else torch.ones(channels)
        self.alpha = nn.Parameter(init.clone())
        self.beta = nn.Parameter(init.clone())

    def forward(self, x):
        alpha = self.alpha.unsqueeze(0).unsqueeze(-1)
        beta = self.beta.unsqueeze(0).unsqueeze(-1)
        if self.logscale:
            alpha, beta = torch.exp(alpha), torch.exp(beta)
        return x + 1.0 / (beta + 1e-9) * torch.sin(x * alpha) ** 2


def kaiser_sinc_filter(cutoff, half_width, taps):
    """A windowed-sinc low-pass (Kaiser window, beta from the stop-band attenuation formula)."""
    even = taps % 2 == 0
    half = taps // 2
    attenuation = 2.285 * (half - 1) * math.pi * (4 * half_width) + 7.95
    if attenuation > 50.0:
        beta = 0.1102 * (attenuation - 8.7)
    elif attenuation >= 21.0:
        beta = 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21.0)
    else:
        beta = 0.0
    window = torch.kaiser_window(taps, beta=beta, periodic=False)
    time = (torch.arange(-half, half) + 0.5) if even else (torch.arange(taps) - half)
    taps_ = 2 * cutoff * window * torch.sinc(2 * cutoff * time)
    taps_ = taps_ / taps_.sum()
    return taps_.view(1, 1, taps)


class UpSample1d(nn.Module):
    """×ratio by zero-stuffing (transposed conv) and the low-pass, edges replicate-padded."""

    def __init__(self, channels, ratio=2, taps=12):
        super().__init__()
        self.ratio = ratio
        self.channels = channels
        self.pad = taps // ratio - 1
        self.pad_left = self.pad * ratio + (taps - ratio) // 2
        self.pad_right = self.pad * ratio + (taps - ratio + 1) // 2
        self.register_buffer("filter", kaiser_sinc_filter(0.5 / ratio, 0.6 / ratio, taps))
        self.register_buffer("filter_expanded", self.filter.expand(channels, -1, -1).clone(), persistent=False)

    def forward(self, x):
        x = F.pad(x, (self.pad, self.pad), mode="replicate")
        x = self.ratio * F.conv_transpose1d(x, self.filter_expanded, stride=self.ratio, groups=self.channels)
        return x[..., self.pad_left:-self.pad_right]


class LowPassFilter1d(nn.Module):
    def __init__(self, channels, cutoff, half_width, stride, taps):
        super().__init__()
        self.stride = stride
        self.channels = channels
        self.pad_left = taps // 2 - int(taps % 2 == 0)
        self.pad_right = taps // 2
        self.register_buffer("filter", kaiser_sinc_filter(cutoff, half_width, taps))
        self.register_buffer("filter_expanded", self.filter.expand(channels, -1, -1).clone(), persistent=False)

    def forward(self, x):
        x = F.pad(x, (self.pad_left, self.pad_right), mode="replicate")
        return F.conv1d(x, self.filter_expanded, stride=self.stride, groups=self.channels)


class DownSample1d(nn.Module):
    def __init__(self, channels, ratio=2, taps=12):
        super().__init__()
        self.lowpass = LowPassFilter1d(channels, 0.5 / ratio, 0.6 / ratio, ratio, taps)

    def forward(self, x):
        return self.lowpass(x)


class Activation1d(nn.Module):
    """The periodic activation at twice the rate, so its harmonics do not alias."""

    def __init__(self, activation, channels):
        super().__init__()
        self.act = activation
        self.upsample = UpSample1d(channels)
        self.downsample = DownSample1d(channels)

    def forward(self, x):
        return self.downsample(self.act(self.upsample(x)))


class AMPBlock1(nn.Module):
    """Anti-aliased multi-periodicity block: (act, dilated conv, act, conv) residual branches."""

    def __init__(self, channels, kernel_size, dilations, activation, logscale):
        super().__init__()
        self.convs1 = nn.ModuleList([
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, dilation=d, padding=same_padding(kernel_size, d)))
            for d in dilations])
        self.convs2 = nn.ModuleList([
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, dilation=1, padding=same_padding(kernel_size)))
            for _ in dilations])
        act = SnakeBeta if activation == "snakebeta" else Snake
        self.activations = nn.ModuleList([
            Activation1d(act(channels, logscale), channels) for _ in range(2 * len(dilations))])

    def forward(self, x):
        for c1, c2, a1, a2 in zip(self.convs1, self.convs2, self.activations[::2], self.activations[1::2]):
            x = c2(a2(c1(a1(x)))) + x
        return x

    def remove_weight_norm(self):
        for conv in [*self.convs1, *self.convs2]:
            remove_weight_norm(conv)


class AMPBlock2(nn.Module):
    """The lighter block: (act, dilated conv) residual branches."""

    def __init__(self, channels, kernel_size, dilations, activation, logscale):
        super().__init__()
        self.convs = nn.ModuleList([
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, dilation=d, padding=same_padding(kernel_size, d)))
            for d in dilations])
        act = SnakeBeta if activation == "snakebeta" else Snake
        self.activations = nn.ModuleList([Activation1d(act(channels, logscale), channels) for _ in dilations])

    def forward(self, x):
        for conv, act in zip(self.convs, self.activations):
            x = conv(act(x)) + x
        return x

    def remove_weight_norm(self):
        for conv in self.convs:
            remove_weight_norm(conv)


class BigVGAN(nn.Module):
    """mel [B, num_mels, T] -> waveform [B, 1, T * prod(upsample_rates)] in [-1, 1]."""

    def __init__(self, num_mels, upsample_rates, upsample_kernel_sizes, upsample_initial_channel,
                 resblock="1", resblock_kernel_sizes=(3, 7, 11), resblock_dilation_sizes=((1, 3, 5),) * 3,
                 activation="snakebeta", snake_logscale=True, use_tanh_at_final=True, use_bias_at_final=True, **_):
        super().__init__()
        self.num_kernels = len(resblock_kernel_sizes)
        self.use_tanh_at_final = use_tanh_at_final
        self.conv_pre = weight_norm(nn.Conv1d(num_mels, upsample_initial_channel, 7, 1, padding=3))
        block = AMPBlock1 if resblock == "1" else AMPBlock2
        self.ups = nn.ModuleList()
        self.resblocks = nn.ModuleList()
        channels = upsample_initial_channel
        for rate, kernel in zip(upsample_rates, upsample_kernel_sizes):
            # A list per stage, as the published checkpoints' keys (ups.N.0.weight_*) have it.
            self.ups.append(nn.ModuleList([
                weight_norm(nn.ConvTranspose1d(channels, channels // 2, kernel, rate, padding=(kernel - rate) // 2))]))
            channels //= 2
            for k, d in zip(resblock_kernel_sizes, resblock_dilation_sizes):
                self.resblocks.append(block(channels, k, d, activation, snake_logscale))
        act = SnakeBeta if activation == "snakebeta" else Snake
        self.activation_post = Activation1d(act(channels, snake_logscale), channels)
        self.conv_post = weight_norm(nn.Conv1d(channels, 1, 7, 1, padding=3, bias=use_bias_at_final))

    def forward(self, mel):
        x = self.conv_pre(mel)
        for i, stage in enumerate(self.ups):
            for up in stage:
                x = up(x)
            xs = self.resblocks[i * self.num_kernels](x)
            for j in range(1, self.num_kernels):
                xs = xs + self.resblocks[i * self.num_kernels + j](x)
            x = xs / self.num_kernels
        x = self.conv_post(self.activation_post(x))
        return torch.tanh(x) if self.use_tanh_at_final else torch.clamp(x, min=-1.0, max=1.0)

    def remove_weight_norm(self):
        for stage in self.ups:
            for up in stage:
                remove_weight_norm(up)
        for block in self.resblocks:
            block.remove_weight_norm()
        remove_weight_norm(self.conv_pre)
        remove_weight_norm(self.conv_post)
