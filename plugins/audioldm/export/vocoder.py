"""The 16 kHz vocoder as transformers' SpeechT5HifiGan lays it out (state-dict names kept:
conv_pre, upsampler.*, resblocks.*.convs1/convs2, conv_post, mean/scale): mel [B, T, 64] →
waveform [B, 160·T + 32]. Weight norm, if the checkpoint still has it, is folded in.
Plain torch, inference only."""
import torch
from torch import nn
import torch.nn.functional as F

AUDIOLDM_VOCODER = dict(model_in_dim=64, upsample_initial_channel=1024, upsample_rates=[5, 4, 2, 2, 2],
                        upsample_kernel_sizes=[16, 16, 8, 4, 4], resblock_kernel_sizes=[3, 7, 11],
                        resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5], [1, 3, 5]], leaky_relu_slope=0.1,
                        normalize_before=False)


class ResidualBlock(nn.Module):
    def __init__(self, c, k, dilations, slope):
        super().__init__()
        self.slope = slope
        self.convs1 = nn.ModuleList(nn.Conv1d(c, c, k, dilation=d, padding=(k * d - d) // 2) for d in dilations)
        self.convs2 = nn.ModuleList(nn.Conv1d(c, c, k, padding=(k - 1) // 2) for _ in dilations)

    def forward(self, x):
        for c1, c2 in zip(self.convs1, self.convs2):
            x = c2(F.leaky_relu(c1(F.leaky_relu(x, self.slope)), self.slope)) + x
        return x


class SpeechT5HifiGan(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = {**AUDIOLDM_VOCODER, **{k: v for k, v in config.items() if v is not None}}
        self.slope, self.normalize_before = c["leaky_relu_slope"], c["normalize_before"]
        self.kernels = len(c["resblock_kernel_sizes"])
        ch = c["upsample_initial_channel"]
        self.conv_pre = nn.Conv1d(c["model_in_dim"], ch, 7, padding=3)
        self.upsampler = nn.ModuleList(
            nn.ConvTranspose1d(ch // 2 ** i, ch // 2 ** (i + 1), k, stride=u, padding=(k - u) // 2)
            for i, (u, k) in enumerate(zip(c["upsample_rates"], c["upsample_kernel_sizes"])))
        self.resblocks = nn.ModuleList(
            ResidualBlock(ch // 2 ** (i + 1), k, d, self.slope)
            for i in range(len(self.upsampler)) for k, d in zip(c["resblock_kernel_sizes"], c["resblock_dilation_sizes"]))
        self.conv_post = nn.Conv1d(ch // 2 ** len(self.upsampler), 1, 7, padding=3)
        self.register_buffer("mean", torch.zeros(c["model_in_dim"]))
        self.register_buffer("scale", torch.ones(c["model_in_dim"]))

    def forward(self, mel):
        if self.normalize_before:
            mel = (mel - self.mean) / self.scale
        x = self.conv_pre(mel.transpose(1, 2))
        for i, up in enumerate(self.upsampler):
            x = up(F.leaky_relu(x, self.slope))
            x = sum(self.resblocks[i * self.kernels + j](x) for j in range(self.kernels)) / self.kernels
        # the last activation uses torch's default slope (0.01), as the original HiFi-GAN does
        return torch.tanh(self.conv_post(F.leaky_relu(x))).squeeze(1)
