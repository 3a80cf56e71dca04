"""VoxCPM2's AudioVAE (OpenBMB/VoxCPM src/voxcpm/modules/audiovae/audio_vae_v2.py) in plain torch
with the reference's parameter names, so its audiovae.pth loads with strict=True.

It is the v1 VAE (voxcpm_modules.py) with two changes: the strided encoder convolutions pad
one sample less at odd strides, and the decoder is conditioned on the output sample rate —
before each upsampling block, x·scale_embed[bucket] + bias_embed[bucket], the bucket being
`torch.bucketize(sr, sr_bin_boundaries)`. The reference decodes at its `out_sample_rate`
unless told otherwise, so the bucket is fixed when the module is built and the exported
decoder takes latents only.
"""
import bisect
import math

import torch
from torch import nn

from voxcpm_modules import Decoder, DecoderBlock, Encoder

# AudioVAEConfig (v2) defaults: what from_local builds when config.json has no audio_vae_config.
# 16 kHz in (2·5·8·8 = 640), 48 kHz out (8·6·5·2·2·2 = 1920): 25 Hz latents either way.
DEFAULTS_V2 = {
    "encoder_dim": 128, "encoder_rates": [2, 5, 8, 8], "latent_dim": 64, "decoder_dim": 2048, "decoder_rates": [8, 6, 5, 2, 2, 2],
    "depthwise": True, "sample_rate": 16000, "out_sample_rate": 48000, "use_noise_block": False,
    "sr_bin_boundaries": [20000, 30000, 40000], "cond_type": "scale_bias", "cond_dim": 128, "cond_out_layer": False,
}


class SampleRateConditionLayer(nn.Module):
    """The scale_bias form (the released default); the other forms are refused where built."""

    def __init__(self, input_dim, buckets):
        super().__init__()
        self.scale_embed = nn.Embedding(buckets, input_dim)
        self.bias_embed = nn.Embedding(buckets, input_dim)
        self.out_layer = nn.Identity()

    def forward(self, x, bucket):
        return x * self.scale_embed.weight[bucket].unsqueeze(-1) + self.bias_embed.weight[bucket].unsqueeze(-1)


class DecoderV2(Decoder):
    """CausalDecoder with sr_bin_boundaries: the v1 layer list (`model.N`, a ModuleList in the
    reference, the same names) plus `sr_cond_model.N` beside each DecoderBlock."""

    def __init__(self, cfg):
        super().__init__(cfg["latent_dim"], cfg["decoder_dim"], cfg["decoder_rates"], cfg["depthwise"])
        boundaries = cfg["sr_bin_boundaries"]
        self.register_buffer("sr_bin_boundaries", torch.tensor(boundaries, dtype=torch.int32))
        # torch.bucketize(sr, b) with right=False is the count of boundaries below sr: bisect_left.
        self.bucket = bisect.bisect_left(boundaries, cfg["out_sample_rate"])
        cond = [SampleRateConditionLayer(layer.block[0].alpha.shape[1], len(boundaries) + 1) if isinstance(layer, DecoderBlock) else None for layer in self.model]
        self.sr_cond_model = nn.ModuleList(cond)

    def forward(self, x):
        for layer, cond in zip(self.model, self.sr_cond_model):
            if cond is not None:
                x = cond(x, self.bucket)
            x = layer(x)
        return x


class AudioVAEV2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg = {**DEFAULTS_V2, **cfg}
        if cfg["use_noise_block"] or cfg["cond_type"] not in ("scale_bias", "scale_bias_init") or cfg["cond_out_layer"]:
            raise NotImplementedError("AudioVAE v2: only the released form (no noise block, scale_bias condition, no out layer)")
        self.encoder = Encoder(cfg["encoder_dim"], cfg["latent_dim"], cfg["encoder_rates"], cfg["depthwise"], odd_stride_padding=True)
        if cfg["sr_bin_boundaries"] is None:
            self.decoder = Decoder(cfg["latent_dim"], cfg["decoder_dim"], cfg["decoder_rates"], cfg["depthwise"])
        else:
            self.decoder = DecoderV2(cfg)
        self.hop = math.prod(cfg["encoder_rates"])
        self.out_hop = math.prod(cfg["decoder_rates"])
