"""Plain-torch re-declaration of Qwen3-TTS-Tokenizer-12Hz (QwenLM/Qwen3-TTS
qwen_tts/core/tokenizer_12hz/modeling_qwen3_tts_tokenizer_v2.py, whose encoder is transformers'
MimiModel without its decoder half), with the reference's parameter and buffer names so the
released model.safetensors loads by name (`encoder.` / `decoder.` prefixes). No transformers.

Encoder (waveform → 16 code groups, 1920 samples per frame):
  SEANet conv encoder (causal convs, ELU, one residual block per stage, strides 4·5·6·8)
  → 8-layer transformer (LayerNorm, GELU MLP, layer scale, RoPE, causal window 250) at 25 Hz
  → causal strided conv ×2 down to 12.5 Hz (replicate padding) → split RVQ (1 semantic +
  acoustic; Euclidean nearest code, residual subtracted), first 16 quantizers.
Decoder (codes → waveform, 1920 samples per frame):
  split RVQ lookup (1 + 15, each an `embedding_sum / cluster_usage` table, projected back)
  → causal conv k3 → 8-layer transformer (RMSNorm, SwiGLU, layer scale, RoPE, causal window
  72) between input/output projections → 2 × (causal ConvTranspose ×2 + ConvNeXt) → DAC-style
  blocks (SnakeBeta, causal ConvTranspose ×r, residual units with dilations 1, 3, 9) for
  r = 8, 5, 4, 3 → SnakeBeta → causal conv → clamp(−1, 1).

Every conv is causal (left padding; transposed convs trim on the right), so the first n frames
decode to the same samples alone as inside a longer utterance, which is what lets the hub
decode in chunks. Windowed attention: key j is visible to query i when 0 ≤ i − j < window.
"""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "bigvgan", "export"))
from bigvgan_generator import SnakeBeta  # noqa: E402  x + 1/e^β · sin²(e^α x), as the tokenizer's
from qwen3_tts_modules import MLP, RMSNorm, rope, rotate_half  # noqa: E402


class CausalConv(nn.Module):
    """MimiConv1d (causal) and Qwen3TTSTokenizerV2CausalConvNet: left padding of the effective
    kernel minus the stride, plus right padding up to a whole number of strides."""

    def __init__(self, i, o, k, stride=1, dilation=1, groups=1, bias=True, pad_mode="constant"):
        super().__init__()
        self.conv = nn.Conv1d(i, o, k, stride=stride, dilation=dilation, groups=groups, bias=bias)
        self.stride, self.pad_mode = stride, pad_mode
        self.padding = (k - 1) * dilation + 1 - stride

    def forward(self, x):
        # Zero for stride 1 and for whole frames (the contract's input), so the traced graph keeps no length.
        extra = (-x.shape[-1]) % self.stride if self.stride > 1 else 0
        return self.conv(F.pad(x, (self.padding, extra), mode=self.pad_mode))


class CausalTransConv(nn.Module):
    """Qwen3TTSTokenizerV2CausalTransConvNet: ConvTranspose1d, kernel − stride samples cut on the right."""

    def __init__(self, i, o, k, stride):
        super().__init__()
        self.conv = nn.ConvTranspose1d(i, o, k, stride=stride)
        self.right_pad = k - stride

    def forward(self, x):
        x = self.conv(x)
        return x[..., : x.shape[-1] - self.right_pad] if self.right_pad else x


class LayerScale(nn.Module):
    def __init__(self, channels, initial=0.01):
        super().__init__()
        self.scale = nn.Parameter(torch.full((channels,), initial))

    def forward(self, x):
        return self.scale * x


class WindowAttention(nn.Module):
    """Self-attention without cache: RoPE from position 0, causal within `window` keys, GQA."""

    def __init__(self, hidden, heads, kv_heads, head_dim, window, theta, bias=False):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim, self.window, self.theta = heads, kv_heads, head_dim, window, theta
        self.q_proj = nn.Linear(hidden, heads * head_dim, bias=bias)
        self.k_proj = nn.Linear(hidden, kv_heads * head_dim, bias=bias)
        self.v_proj = nn.Linear(hidden, kv_heads * head_dim, bias=bias)
        self.o_proj = nn.Linear(heads * head_dim, hidden, bias=bias)

    def forward(self, x):
        n = x.shape[1]
        q = self.q_proj(x).view(1, n, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(1, n, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(1, n, self.kv_heads, self.head_dim).transpose(1, 2)
        cos, sin = rope(n, 0, self.head_dim, self.theta)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        rep = self.heads // self.kv_heads
        k = k.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(1, self.heads, n, self.head_dim)
        v = v.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(1, self.heads, n, self.head_dim)
        scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5
        lag = torch.arange(n).unsqueeze(1) - torch.arange(n).unsqueeze(0)  # i − j
        scores = scores.masked_fill((lag < 0) | (lag >= self.window), float("-inf"))
        out = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(1, n, self.heads * self.head_dim)
        return self.o_proj(out)


def _attention(c):
    return WindowAttention(c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"],
                           c["sliding_window"], c["rope_theta"], c["attention_bias"])


# ── Encoder: transformers MimiModel's encoder half ──

class MimiMLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=False)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class ScaledLayer(nn.Module):
    """Pre-norm attention and MLP, each residual scaled by a LayerScale: the layer of both
    transformers, which differ only in their norm and MLP (parameter names as the reference's)."""

    def __init__(self, c, mlp, norm):
        super().__init__()
        h = c["hidden_size"]
        self.self_attn = _attention(c)
        self.mlp = mlp
        self.input_layernorm = norm(h)
        self.post_attention_layernorm = norm(h)
        self.self_attn_layer_scale = LayerScale(h, c["layer_scale_initial_scale"])
        self.mlp_layer_scale = LayerScale(h, c["layer_scale_initial_scale"])

    def forward(self, x):
        x = x + self.self_attn_layer_scale(self.self_attn(self.input_layernorm(x)))
        return x + self.mlp_layer_scale(self.mlp(self.post_attention_layernorm(x)))


class MimiLayer(ScaledLayer):
    def __init__(self, c):
        super().__init__(c, MimiMLP(c), lambda h: nn.LayerNorm(h, eps=c["norm_eps"]))


class MimiTransformer(nn.Module):
    """MimiTransformerModel: the layers only (no final norm)."""

    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([MimiLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class MimiResnetBlock(nn.Module):
    def __init__(self, c, dim, dilations):
        super().__init__()
        hidden = dim // c["compress"]
        kernels = (c["residual_kernel_size"], 1)
        self.block = nn.ModuleList([nn.ELU(), CausalConv(dim, hidden, kernels[0], dilation=dilations[0]),
                                    nn.ELU(), CausalConv(hidden, dim, kernels[1], dilation=dilations[1])])
        self.shortcut = nn.Identity()  # use_conv_shortcut is False in the released config

    def forward(self, x):
        y = x
        for layer in self.block:
            y = layer(y)
        return self.shortcut(x) + y


class SEANetEncoder(nn.Module):
    """MimiEncoder: conv → per stride (residual block, ELU, strided conv doubling channels) → ELU → conv."""

    def __init__(self, c):
        super().__init__()
        f = c["num_filters"]
        layers = [CausalConv(c["audio_channels"], f, c["kernel_size"])]
        scale = 1
        for ratio in reversed(c["upsampling_ratios"]):
            width = scale * f
            layers += [MimiResnetBlock(c, width, [c["dilation_growth_rate"] ** j, 1]) for j in range(c["num_residual_layers"])]
            layers += [nn.ELU(), CausalConv(width, width * 2, ratio * 2, stride=ratio)]
            scale *= 2
        layers += [nn.ELU(), CausalConv(scale * f, c["hidden_size"], c["last_kernel_size"])]
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class MimiCodebook(nn.Module):
    """MimiEuclideanCodebook: centroids = embed_sum / cluster_usage (buffers, as in the checkpoint)."""

    def __init__(self, c, epsilon=1e-5):
        super().__init__()
        self.register_buffer("initialized", torch.tensor([1.0]))
        self.register_buffer("cluster_usage", torch.ones(c["codebook_size"]))
        self.register_buffer("embed_sum", torch.zeros(c["codebook_size"], c["codebook_dim"]))
        self.epsilon = epsilon

    def embed(self):
        return self.embed_sum / self.cluster_usage.clamp(min=self.epsilon)[:, None]

    def encode(self, x):
        """x [1, D, T] → nearest centroid ids [1, T] (argmin of the Euclidean distance, as cdist:
        ||x||² is the same for every centroid, so −2 x·e + ||e||² orders them alike)."""
        e = self.embed()
        scores = (e * e).sum(-1) - 2 * (x.transpose(1, 2) @ e.t())  # [1, T, N]
        return scores.argmin(-1)

    def decode(self, ids):
        return F.embedding(ids, self.embed()).transpose(1, 2)  # [1, D, T]


class MimiVQ(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.codebook = MimiCodebook(c)


class MimiRVQ(nn.Module):
    """MimiResidualVectorQuantizer: 1×1 projections around `count` codebooks on the residual."""

    def __init__(self, c, count):
        super().__init__()
        self.layers = nn.ModuleList([MimiVQ(c) for _ in range(count)])
        if c["vector_quantization_hidden_dimension"] != c["hidden_size"]:
            self.input_proj = nn.Conv1d(c["hidden_size"], c["vector_quantization_hidden_dimension"], 1, bias=False)
            self.output_proj = nn.Conv1d(c["vector_quantization_hidden_dimension"], c["hidden_size"], 1, bias=False)
        else:
            self.input_proj = self.output_proj = None

    def encode(self, x, count):
        residual = self.input_proj(x) if self.input_proj is not None else x
        ids = []
        for layer in self.layers[:count]:
            i = layer.codebook.encode(residual)
            residual = residual - layer.codebook.decode(i)
            ids.append(i)
        return torch.stack(ids, dim=1)  # [1, count, T]


class MimiSplitRVQ(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.semantic_count = c["num_semantic_quantizers"]
        self.semantic_residual_vector_quantizer = MimiRVQ(c, self.semantic_count)
        self.acoustic_residual_vector_quantizer = MimiRVQ(c, c["num_quantizers"] - self.semantic_count)

    def encode(self, x, count):
        # Both start from the same embeddings: the acoustic RVQ does not see the semantic residual.
        semantic = self.semantic_residual_vector_quantizer.encode(x, self.semantic_count)
        return torch.cat([semantic, self.acoustic_residual_vector_quantizer.encode(x, count - self.semantic_count)], dim=1)


class TokenizerEncoder(nn.Module):
    """Qwen3TTSTokenizerV2Encoder (MimiModel without upsample / decoder_transformer / decoder):
    waveform [1, 1, S], S a multiple of 1920 → codes [1, valid, S / 1920]. The reference
    encodes all quantizers and keeps the first `valid`; residual VQ makes that the same as
    encoding only those."""

    def __init__(self, c, valid):
        super().__init__()
        self.valid = valid
        self.encoder = SEANetEncoder(c)
        self.encoder_transformer = MimiTransformer(c)
        rate = c["sampling_rate"] / torch.tensor(c["upsampling_ratios"]).prod().item()  # encodec_frame_rate, 25 Hz
        self.downsample = CausalConv(c["hidden_size"], c["hidden_size"], 2 * int(rate / c["frame_rate"]), stride=2, bias=False, pad_mode="replicate")
        self.quantizer = MimiSplitRVQ(c)

    def forward(self, waveform):
        x = self.encoder(waveform)
        x = self.encoder_transformer(x.transpose(1, 2)).transpose(1, 2)
        return self.quantizer.encode(self.downsample(x), self.valid)


# ── Decoder: Qwen3TTSTokenizerV2Decoder ──

class Codebook(nn.Module):
    """EuclideanCodebook (decoder side): parameters, not buffers, and `embedding_sum`."""

    def __init__(self, dim, size, epsilon=1e-5):
        super().__init__()
        self.cluster_usage = nn.Parameter(torch.ones(size))
        self.embedding_sum = nn.Parameter(torch.zeros(size, dim))
        self.epsilon = epsilon

    def decode(self, ids):
        return F.embedding(ids, self.embedding_sum / self.cluster_usage.clamp(min=self.epsilon)[:, None])


class VectorQuantization(nn.Module):
    def __init__(self, dim, size):
        super().__init__()
        self.project_out = nn.Identity()  # codebook_dim == dim in the tokenizer
        self._codebook = Codebook(dim, size)

    def decode(self, ids):
        return self.project_out(self._codebook.decode(ids)).transpose(1, 2)


class ResidualVQ(nn.Module):
    def __init__(self, dim, size, count):
        super().__init__()
        self.layers = nn.ModuleList([VectorQuantization(dim, size) for _ in range(count)])


class ResidualVectorQuantizer(nn.Module):
    """force_projection: 1×1 convs in and out (input_proj is only used to encode; kept so the checkpoint loads)."""

    def __init__(self, dim, outer, size, count):
        super().__init__()
        self.input_proj = nn.Conv1d(outer, dim, 1, bias=False)
        self.output_proj = nn.Conv1d(dim, outer, 1, bias=False)
        self.vq = ResidualVQ(dim, size, count)

    def decode(self, codes):  # codes [1, count, T]
        total = 0
        for i, layer in enumerate(self.vq.layers):
            total = total + layer.decode(codes[:, i])
        return self.output_proj(total)


class SplitResidualVectorQuantizer(nn.Module):
    def __init__(self, c):
        super().__init__()
        dim, outer, size, n = c["codebook_dim"] // 2, c["codebook_dim"], c["codebook_size"], c["num_quantizers"]
        self.rvq_first = ResidualVectorQuantizer(dim, outer, size, 1)
        self.rvq_rest = ResidualVectorQuantizer(dim, outer, size, n - 1)

    def decode(self, codes):
        return self.rvq_first.decode(codes[:, :1]) + self.rvq_rest.decode(codes[:, 1:])


class DecoderLayer(ScaledLayer):
    def __init__(self, c):
        # MLP: gate/up/down with SiLU, the talker's
        super().__init__(c, MLP(c), lambda h: RMSNorm(h, c["rms_norm_eps"]))


class DecoderTransformer(nn.Module):
    """Qwen3TTSTokenizerV2DecoderTransformerModel: input_proj → layers → norm → output_proj."""

    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([DecoderLayer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.input_proj = nn.Linear(c["latent_dim"], c["hidden_size"])
        self.output_proj = nn.Linear(c["hidden_size"], c["latent_dim"])

    def forward(self, x):
        x = self.input_proj(x)
        for layer in self.layers:
            x = layer(x)
        return self.output_proj(self.norm(x))


class ConvNeXtBlock(nn.Module):
    """Causal depthwise conv k7 (the conv sits in `.dwconv.conv`), LayerNorm, MLP ×4, GELU, gamma."""

    def __init__(self, dim):
        super().__init__()
        self.dwconv = CausalConv(dim, dim, 7, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(1e-6 * torch.ones(dim))

    def forward(self, x):
        y = self.pwconv2(self.act(self.pwconv1(self.norm(self.dwconv(x).transpose(1, 2)))))
        return x + (self.gamma * y).transpose(1, 2)


class ResidualUnit(nn.Module):
    def __init__(self, dim, dilation):
        super().__init__()
        self.act1 = SnakeBeta(dim)
        self.conv1 = CausalConv(dim, dim, 7, dilation=dilation)
        self.act2 = SnakeBeta(dim)
        self.conv2 = CausalConv(dim, dim, 1)

    def forward(self, x):
        return x + self.conv2(self.act2(self.conv1(self.act1(x))))


class DecoderBlock(nn.Module):
    def __init__(self, c, index):
        super().__init__()
        i, o, rate = c["decoder_dim"] // 2 ** index, c["decoder_dim"] // 2 ** (index + 1), c["upsample_rates"][index]
        self.block = nn.ModuleList([SnakeBeta(i), CausalTransConv(i, o, 2 * rate, rate)] + [ResidualUnit(o, d) for d in (1, 3, 9)])

    def forward(self, x):
        for layer in self.block:
            x = layer(x)
        return x


class TokenizerDecoder(nn.Module):
    """Qwen3TTSTokenizerV2Decoder.forward: codes [1, 16, F] → waveform [1, 1, F · 1920] in [−1, 1]."""

    def __init__(self, c):
        super().__init__()
        self.quantizer = SplitResidualVectorQuantizer(c)
        self.pre_conv = CausalConv(c["codebook_dim"], c["latent_dim"], 3)
        self.pre_transformer = DecoderTransformer(c)
        self.upsample = nn.ModuleList([nn.ModuleList([CausalTransConv(c["latent_dim"], c["latent_dim"], r, r), ConvNeXtBlock(c["latent_dim"])])
                                       for r in c["upsampling_ratios"]])
        out = c["decoder_dim"] // 2 ** len(c["upsample_rates"])
        self.decoder = nn.ModuleList([CausalConv(c["latent_dim"], c["decoder_dim"], 7)]
                                     + [DecoderBlock(c, i) for i in range(len(c["upsample_rates"]))]
                                     + [SnakeBeta(out), CausalConv(out, 1, 7)])

    def forward(self, codes):
        x = self.pre_conv(self.quantizer.decode(codes))
        x = self.pre_transformer(x.transpose(1, 2)).transpose(1, 2)
        for blocks in self.upsample:
            for block in blocks:
                x = block(x)
        for block in self.decoder:
            x = block(x)
        return x.clamp(min=-1, max=1)


class Tokenizer12Hz(nn.Module):
    """Qwen3TTSTokenizerV2Model's weights: `encoder.` and `decoder.`."""

    def __init__(self, c):
        super().__init__()
        self.encoder = TokenizerEncoder(c["encoder_config"], c["encoder_valid_num_quantizers"])
        self.decoder = TokenizerDecoder(c["decoder_config"])
