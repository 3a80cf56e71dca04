"""Plain-torch re-declaration of the Qwen3-TTS talker and code predictor (QwenLM/Qwen3-TTS
qwen_tts/core/models/modeling_qwen3_tts.py), with the reference's parameter names so a
released model.safetensors loads by name (`talker.` prefix). No transformers.

For TTS all three MRoPE position streams carry the same text positions, so the multimodal
rotary embedding reduces to the standard rotate-half RoPE used here. Attention takes an
explicit KV cache [layers, 1, kv_heads, past, head_dim] so prefill and step are one graph.
"""
import torch
from torch import nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


def rope(n, offset, head_dim, theta):
    """The default rotary tables (cos, sin) [1, 1, n, head_dim] of positions offset..offset + n − 1."""
    positions = torch.arange(n, dtype=torch.float32) + offset
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = positions.unsqueeze(1) * inv.unsqueeze(0)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos()[None, None], emb.sin()[None, None]


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        h = c["hidden_size"]
        self.q_proj = nn.Linear(h, self.heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, h, bias=False)
        self.q_norm = RMSNorm(self.head_dim, c["rms_norm_eps"])
        self.k_norm = RMSNorm(self.head_dim, c["rms_norm_eps"])

    def forward(self, x, cos, sin, past_k, past_v):
        n = x.shape[1]
        q = self.q_norm(self.q_proj(x).view(1, n, self.heads, self.head_dim)).transpose(1, 2)
        k = self.k_norm(self.k_proj(x).view(1, n, self.kv_heads, self.head_dim)).transpose(1, 2)
        v = self.v_proj(x).view(1, n, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        rep = self.heads // self.kv_heads
        # repeat_kv: each KV head serves `rep` query heads (expand + reshape exports with a dynamic length)
        kk = k.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(1, self.heads, -1, self.head_dim)
        vv = v.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(1, self.heads, -1, self.head_dim)
        scores = q @ kk.transpose(-1, -2) / self.head_dim ** 0.5
        total = kk.shape[2]
        past = total - n
        # causal over the cache: query i (at position past + i) sees keys 0..past + i
        rows = torch.arange(n).unsqueeze(1) + past
        cols = torch.arange(total).unsqueeze(0)
        scores = scores.masked_fill(cols > rows, float("-inf"))
        out = (F.softmax(scores, dim=-1) @ vv).transpose(1, 2).reshape(1, n, self.heads * self.head_dim)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn = Attention(c)
        self.mlp = MLP(c)
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])

    def forward(self, x, cos, sin, past_k, past_v):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, past_k, past_v)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


class Decoder(nn.Module):
    """Layers + final norm over inputs_embeds with an explicit cache; positions continue the cache."""

    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([DecoderLayer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.head_dim, self.theta = c["head_dim"], c["rope_theta"]

    def forward(self, x, past_k, past_v):
        cos, sin = rope(x.shape[1], past_k.shape[3], self.head_dim, self.theta)
        keys, values = [], []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, cos, sin, past_k[i], past_v[i])
            keys.append(k)
            values.append(v)
        return self.norm(x), torch.stack(keys), torch.stack(values)


class ResizeMLP(nn.Module):
    def __init__(self, i, m, o):
        super().__init__()
        self.linear_fc1 = nn.Linear(i, m, bias=True)
        self.linear_fc2 = nn.Linear(m, o, bias=True)

    def forward(self, x):
        return self.linear_fc2(F.silu(self.linear_fc1(x)))


class TalkerModel(Decoder):
    def __init__(self, c):
        super().__init__(c)
        self.codec_embedding = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.text_embedding = nn.Embedding(c["text_vocab_size"], c["text_hidden_size"])


class CodePredictorModel(Decoder):
    def __init__(self, c, talker_hidden):
        super().__init__(c)
        self.codec_embedding = nn.ModuleList([nn.Embedding(c["vocab_size"], talker_hidden) for _ in range(c["num_code_groups"] - 1)])


class CodePredictor(nn.Module):
    def __init__(self, c, talker_hidden):
        super().__init__()
        self.model = CodePredictorModel(c, talker_hidden)
        self.lm_head = nn.ModuleList([nn.Linear(c["hidden_size"], c["vocab_size"], bias=False) for _ in range(c["num_code_groups"] - 1)])
        self.small_to_mtp_projection = nn.Linear(talker_hidden, c["hidden_size"], bias=True) if c["hidden_size"] != talker_hidden else nn.Identity()


class Talker(nn.Module):
    """Qwen3TTSTalkerForConditionalGeneration's parameters: model, text_projection, codec_head, code_predictor."""

    def __init__(self, c):
        super().__init__()
        self.model = TalkerModel(c)
        self.text_projection = ResizeMLP(c["text_hidden_size"], c["text_hidden_size"], c["hidden_size"])
        self.codec_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        self.code_predictor = CodePredictor(c["code_predictor_config"], c["hidden_size"])


# ── Speaker encoder (ECAPA-TDNN, Base checkpoints), modeling_qwen3_tts.py Qwen3TTSSpeakerEncoder ──

def _conv(i, o, k=1, d=1):
    return nn.Conv1d(i, o, kernel_size=k, dilation=d, padding="same", padding_mode="reflect")


class TimeDelayNetBlock(nn.Module):
    def __init__(self, i, o, k, d):
        super().__init__()
        self.conv = _conv(i, o, k, d)
        self.activation = nn.ReLU()

    def forward(self, x):
        return self.activation(self.conv(x))


class Res2NetBlock(nn.Module):
    def __init__(self, i, o, scale, k, d):
        super().__init__()
        self.blocks = nn.ModuleList([TimeDelayNetBlock(i // scale, o // scale, k, d) for _ in range(scale - 1)])
        self.scale = scale

    def forward(self, x):
        outputs = []
        for n, part in enumerate(torch.chunk(x, self.scale, dim=1)):
            out = part if n == 0 else self.blocks[n - 1](part if n == 1 else part + out)
            outputs.append(out)
        return torch.cat(outputs, dim=1)


class SqueezeExcitationBlock(nn.Module):
    def __init__(self, i, se, o):
        super().__init__()
        self.conv1 = _conv(i, se)
        self.conv2 = _conv(se, o)

    def forward(self, x):
        return x * torch.sigmoid(self.conv2(F.relu(self.conv1(x.mean(dim=2, keepdim=True)))))


class SqueezeExcitationRes2NetBlock(nn.Module):
    def __init__(self, i, o, scale, se, k, d):
        super().__init__()
        self.tdnn1 = TimeDelayNetBlock(i, o, 1, 1)
        self.res2net_block = Res2NetBlock(o, o, scale, k, d)
        self.tdnn2 = TimeDelayNetBlock(o, o, 1, 1)
        self.se_block = SqueezeExcitationBlock(o, se, o)

    def forward(self, x):
        return self.se_block(self.tdnn2(self.res2net_block(self.tdnn1(x)))) + x


class AttentiveStatisticsPooling(nn.Module):
    """Mean and std, first uniform then attention-weighted over time (one unpadded item: the mask is all ones)."""

    def __init__(self, channels, attention_channels):
        super().__init__()
        self.eps = 1e-12
        self.tdnn = TimeDelayNetBlock(channels * 3, attention_channels, 1, 1)
        self.conv = _conv(attention_channels, channels)

    def _stats(self, x, w):
        mean = (w * x).sum(2)
        std = torch.sqrt((w * (x - mean.unsqueeze(2)).pow(2)).sum(2).clamp(self.eps))
        return mean, std

    def forward(self, x):
        t = x.shape[-1]
        mean, std = self._stats(x, torch.ones_like(x[:, :1]) / t)
        attention = torch.cat([x, mean.unsqueeze(2).expand(-1, -1, t), std.unsqueeze(2).expand(-1, -1, t)], dim=1)
        attention = F.softmax(self.conv(torch.tanh(self.tdnn(attention))), dim=2)
        mean, std = self._stats(x, attention)
        return torch.cat((mean, std), dim=1).unsqueeze(2)


class SpeakerEncoder(nn.Module):
    """mel [B, T, mel_dim] → x-vector [B, enc_dim]."""

    def __init__(self, c):
        super().__init__()
        ch, ks, ds = c["enc_channels"], c["enc_kernel_sizes"], c["enc_dilations"]
        self.blocks = nn.ModuleList([TimeDelayNetBlock(c["mel_dim"], ch[0], ks[0], ds[0])])
        for i in range(1, len(ch) - 1):
            self.blocks.append(SqueezeExcitationRes2NetBlock(ch[i - 1], ch[i], c["enc_res2net_scale"], c["enc_se_channels"], ks[i], ds[i]))
        self.mfa = TimeDelayNetBlock(ch[-1], ch[-1], ks[-1], ds[-1])
        self.asp = AttentiveStatisticsPooling(ch[-1], c["enc_attention_channels"])
        self.fc = _conv(ch[-1] * 2, c["enc_dim"])

    def forward(self, mel):
        x = mel.transpose(1, 2)
        outs = []
        for layer in self.blocks:
            x = layer(x)
            outs.append(x)
        x = self.mfa(torch.cat(outs[1:], dim=1))
        return self.fc(self.asp(x)).squeeze(-1)
