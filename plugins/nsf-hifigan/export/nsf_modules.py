"""NSF-HiFiGAN re-declared in plain torch (facts from Amphion
models/vocoders/gan/generator/nsfhifigan.py and modules/neural_source_filter/sine_excitation.py).

`SineGen` is the weight-free harmonic source the hub computes in TypeScript (excitation.ts);
it is here to check that code against torch. `Generator` is what the ONNX graph holds: the
learned merge of the sines (SourceModuleHnNSF.l_linear + tanh) and the HiFi-GAN stack with a
`noise_convs[i]` branch per upsampling stage, taking (mel, excitation).

Amphion's forward has `x_source = x[:, :, :length]` where the NSF design (and DiffSinger's
NSF-HiFiGAN it follows) adds `noise_convs[i](har_source)`: its released checkpoints were trained
with the source branch unused. `amphion_source=True` reproduces that (the output then does not
depend on F0; the excitation stays an input, multiplied by 0, so the contract is the same);
`amphion_source=False` is the NSF design, for checkpoints trained with it (EXPORT.md).
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import Conv1d, ConvTranspose1d
from torch.nn.utils import weight_norm

LRELU_SLOPE = 0.1


class SineGen(nn.Module):
    """F0 [B, frames] → sines [B, frames·upp, harmonic_num + 1]; `phases` and `noise` replace
    torch.rand / torch.randn_like so the TypeScript version can be compared value for value."""

    def __init__(self, fs, harmonic_num=0, amp=0.1, noise_std=0.003, voiced_threshold=0):
        super().__init__()
        self.amp, self.noise_std, self.dim, self.fs, self.threshold = amp, noise_std, harmonic_num + 1, fs, voiced_threshold

    @torch.no_grad()
    def forward(self, f0, upp, phases, noise=None):
        f0 = f0.unsqueeze(-1)
        fn = f0 * torch.arange(1, self.dim + 1).reshape(1, 1, -1)
        rad_values = (fn / self.fs) % 1
        rad_values[:, 0, :] = rad_values[:, 0, :] + phases.reshape(1, -1)
        tmp_over_one = torch.cumsum(rad_values.double(), 1).float() * upp
        tmp_over_one = F.interpolate(tmp_over_one.transpose(2, 1), scale_factor=upp, mode="linear", align_corners=True).transpose(2, 1)
        rad_values = F.interpolate(rad_values.transpose(2, 1), scale_factor=upp, mode="nearest").transpose(2, 1)
        tmp_over_one %= 1
        wraps = (tmp_over_one[:, 1:, :] - tmp_over_one[:, :-1, :]) < 0
        shift = torch.zeros_like(rad_values)
        shift[:, 1:, :] = wraps * -1.0
        sines = torch.sin(torch.cumsum(rad_values.double() + shift.double(), dim=1) * 2 * np.pi).float() * self.amp
        uv = (f0 > self.threshold).float()
        uv = F.interpolate(uv.transpose(2, 1), scale_factor=upp, mode="nearest").transpose(2, 1)
        noise_amp = uv * self.noise_std + (1 - uv) * self.amp / 3
        noise = torch.zeros_like(sines) if noise is None else noise
        return sines * uv + noise_amp * noise


def get_padding(kernel_size, dilation=1):
    return (kernel_size * dilation - dilation) // 2


class ResBlock1(nn.Module):
    def __init__(self, channels, kernel_size=3, dilation=(1, 3, 5)):
        super().__init__()
        self.convs1 = nn.ModuleList([weight_norm(Conv1d(channels, channels, kernel_size, 1, dilation=d, padding=get_padding(kernel_size, d))) for d in dilation])
        self.convs2 = nn.ModuleList([weight_norm(Conv1d(channels, channels, kernel_size, 1, dilation=1, padding=get_padding(kernel_size, 1))) for _ in dilation])

    def forward(self, x):
        for c1, c2 in zip(self.convs1, self.convs2):
            x = c2(F.leaky_relu(c1(F.leaky_relu(x, LRELU_SLOPE)), LRELU_SLOPE)) + x
        return x


class Generator(nn.Module):
    """NSFHiFiGAN with the source's sine generator taken out: forward(mel, excitation)."""

    def __init__(self, n_mel, harmonic_num, upsample_rates, upsample_kernel_sizes, upsample_initial_channel,
                 resblock_kernel_sizes, resblock_dilation_sizes, amphion_source=True, **_):
        super().__init__()
        self.amphion_source = amphion_source
        self.num_kernels = len(resblock_kernel_sizes)
        self.num_upsamples = len(upsample_rates)
        # SourceModuleHnNSF: l_linear + tanh over the harmonic_num + 1 sines
        self.l_linear = nn.Linear(harmonic_num + 1, 1)
        self.conv_pre = weight_norm(Conv1d(n_mel, upsample_initial_channel, 7, 1, padding=3))
        self.ups, self.noise_convs = nn.ModuleList(), nn.ModuleList()
        for i, (u, k) in enumerate(zip(upsample_rates, upsample_kernel_sizes)):
            c_cur = upsample_initial_channel // (2 ** (i + 1))
            self.ups.append(weight_norm(ConvTranspose1d(upsample_initial_channel // (2 ** i), c_cur, k, u, padding=(k - u) // 2)))
            if i + 1 < len(upsample_rates):
                stride_f0 = int(np.prod(upsample_rates[i + 1:]))
                self.noise_convs.append(Conv1d(1, c_cur, kernel_size=stride_f0 * 2, stride=stride_f0, padding=stride_f0 // 2))
            else:
                self.noise_convs.append(Conv1d(1, c_cur, kernel_size=1))
        self.resblocks = nn.ModuleList()
        ch = upsample_initial_channel
        for i in range(len(self.ups)):
            ch //= 2
            for k, d in zip(resblock_kernel_sizes, resblock_dilation_sizes):
                self.resblocks.append(ResBlock1(ch, k, d))
        self.conv_post = weight_norm(Conv1d(ch, 1, 7, 1, padding=3))

    def forward(self, mel, excitation):
        har_source = torch.tanh(self.l_linear(excitation)).transpose(1, 2)  # [B, 1, samples]
        x = self.conv_pre(mel)
        for i in range(self.num_upsamples):
            x = self.ups[i](F.leaky_relu(x, LRELU_SLOPE))
            x_source = self.noise_convs[i](har_source)
            length = min(x.shape[-1], x_source.shape[-1])
            x = x[:, :, :length]
            if self.amphion_source:
                # Amphion: `x_source = x[:, :, :length]`; the branch is kept at weight 0 so the graph keeps its input
                x = x + x + 0 * x_source[:, :, :length]
            else:
                x = x + x_source[:, :, :length]
            xs = None
            for j in range(self.num_kernels):
                y = self.resblocks[i * self.num_kernels + j](x)
                xs = y if xs is None else xs + y
            x = xs / self.num_kernels
        return torch.tanh(self.conv_post(F.leaky_relu(x)))


# egs/vocoder/gan/nsfhifigan/exp_config.json (24 kHz, 100 mels, hop 256) and VitsSVC's decoder (config/vitssvc.json)
CONFIGS = {
    "vocoder": dict(n_mel=100, harmonic_num=8, upsample_rates=[8, 4, 2, 2, 2], upsample_kernel_sizes=[16, 8, 4, 4, 4], upsample_initial_channel=768,
                    resblock_kernel_sizes=[3, 7, 11], resblock_dilation_sizes=[[1, 3, 5]] * 3),
    "vitssvc": dict(n_mel=384, harmonic_num=8, upsample_rates=[8, 8, 2, 2], upsample_kernel_sizes=[16, 16, 4, 4], upsample_initial_channel=768,
                    resblock_kernel_sizes=[3, 7, 11], resblock_dilation_sizes=[[1, 3, 5]] * 3),
}


def shrink(config):
    """The test's generator: 32 channels after the first layer and one residual block per stage."""
    return {**config, "upsample_initial_channel": 32 if len(config["upsample_rates"]) <= 4 else 64,
            "resblock_kernel_sizes": config["resblock_kernel_sizes"][:1], "resblock_dilation_sizes": config["resblock_dilation_sizes"][:1]}
