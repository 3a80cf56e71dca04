"""w2v-BERT 2.0 (`facebook/w2v-bert-2.0`, transformers' Wav2Vec2BertModel) in plain torch, with
the released checkpoint's parameter names and shapes (manifest.json), so MaskGCT's export needs
no `transformers`. The configuration is Wav2Vec2BertConfig's defaults, which are the released
model's: hidden 1024, 24 Conformer layers, 16 heads, FFN 4096 with swish, 160 input features,
layer-norm eps 1e-5, "relative_key" positions (64 left, 8 right), depthwise kernel 31, no
adapter; mask_time_prob 0.05 makes the model hold `masked_spec_embed` (used only in training).

Facts carried over (the code is ours):
- feature projection: LayerNorm(160) → Linear(160, 1024);
- encoder: padded frames zeroed, additive key mask; hidden_states = the input of every layer,
  then the last output (25 entries); no final norm;
- Conformer layer: ½·FFN (LayerNorm, Linear, swish, Linear) + x → self-attention (LayerNorm,
  q/k/v/out with biases, scores + q·E[clamp(j − i, −64, 8) + 64] / √d) + x → convolution module
  (LayerNorm, padded frames zeroed, 1×1 conv to 2C without bias, GLU, causal depthwise conv k31
  without bias (30 frames of left padding), LayerNorm, swish, 1×1 conv without bias) + x →
  ½·FFN + x → LayerNorm.
"""
import math
from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

CONFIG = dict(hidden=1024, layers=24, heads=16, intermediate=4096, features=160, left=64, right=8, kernel=31)
EPS = 1e-5


class FeatureProjection(nn.Module):
    def __init__(self, features, hidden):
        super().__init__()
        self.layer_norm = nn.LayerNorm(features, eps=EPS)
        self.projection = nn.Linear(features, hidden)

    def forward(self, x):
        return self.projection(self.layer_norm(x))


class FeedForward(nn.Module):
    def __init__(self, hidden, intermediate):
        super().__init__()
        self.intermediate_dense = nn.Linear(hidden, intermediate)
        self.output_dense = nn.Linear(intermediate, hidden)

    def forward(self, x):
        return self.output_dense(F.silu(self.intermediate_dense(x)))


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, left, right):
        super().__init__()
        self.heads, self.head_size, self.left, self.right = heads, hidden // heads, left, right
        self.linear_q = nn.Linear(hidden, hidden)
        self.linear_k = nn.Linear(hidden, hidden)
        self.linear_v = nn.Linear(hidden, hidden)
        self.linear_out = nn.Linear(hidden, hidden)
        self.distance_embedding = nn.Embedding(left + right + 1, self.head_size)

    def forward(self, x, bias):
        b, n, _ = x.shape
        split = lambda t: t.view(b, n, self.heads, self.head_size).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.linear_q(x)), split(self.linear_k(x)), split(self.linear_v(x))
        positions = torch.arange(n, device=x.device)
        distance = torch.clamp(positions[None, :] - positions[:, None], -self.left, self.right) + self.left
        relative = torch.einsum("bhld,lrd->bhlr", q, self.distance_embedding(distance))
        scores = (q @ k.transpose(-1, -2) + relative) / math.sqrt(self.head_size) + bias
        out = scores.softmax(dim=-1) @ v
        return self.linear_out(out.transpose(1, 2).reshape(b, n, -1))


class ConvolutionModule(nn.Module):
    def __init__(self, hidden, kernel):
        super().__init__()
        self.layer_norm = nn.LayerNorm(hidden, eps=EPS)
        self.pointwise_conv1 = nn.Conv1d(hidden, 2 * hidden, kernel_size=1, bias=False)
        self.depthwise_conv = nn.Conv1d(hidden, hidden, kernel, groups=hidden, bias=False)
        self.depthwise_layer_norm = nn.LayerNorm(hidden, eps=EPS)
        self.pointwise_conv2 = nn.Conv1d(hidden, hidden, kernel_size=1, bias=False)

    def forward(self, x, valid):
        x = (self.layer_norm(x) * valid[..., None]).transpose(1, 2)
        x = F.glu(self.pointwise_conv1(x), dim=1)
        x = self.depthwise_conv(F.pad(x, (self.depthwise_conv.kernel_size[0] - 1, 0)))
        x = F.silu(self.depthwise_layer_norm(x.transpose(1, 2)).transpose(1, 2))
        return self.pointwise_conv2(x).transpose(1, 2)


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, intermediate, left, right, kernel):
        super().__init__()
        self.ffn1_layer_norm = nn.LayerNorm(hidden, eps=EPS)
        self.ffn1 = FeedForward(hidden, intermediate)
        self.self_attn_layer_norm = nn.LayerNorm(hidden, eps=EPS)
        self.self_attn = SelfAttention(hidden, heads, left, right)
        self.conv_module = ConvolutionModule(hidden, kernel)
        self.ffn2_layer_norm = nn.LayerNorm(hidden, eps=EPS)
        self.ffn2 = FeedForward(hidden, intermediate)
        self.final_layer_norm = nn.LayerNorm(hidden, eps=EPS)

    def forward(self, x, bias, valid):
        x = 0.5 * self.ffn1(self.ffn1_layer_norm(x)) + x
        x = self.self_attn(self.self_attn_layer_norm(x), bias) + x
        x = self.conv_module(x, valid) + x
        x = 0.5 * self.ffn2(self.ffn2_layer_norm(x)) + x
        return self.final_layer_norm(x)


class Encoder(nn.Module):
    def __init__(self, hidden, layers, heads, intermediate, left, right, kernel):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(hidden, heads, intermediate, left, right, kernel) for _ in range(layers)])


class Wav2Vec2BertModel(nn.Module):
    """forward(input_features [B, T, 160], attention_mask [B, T]) → .hidden_states (layers + 1 entries)."""

    def __init__(self, hidden, layers, heads, intermediate, features, left, right, kernel):
        super().__init__()
        self.feature_projection = FeatureProjection(features, hidden)
        self.masked_spec_embed = nn.Parameter(torch.zeros(hidden))
        self.encoder = Encoder(hidden, layers, heads, intermediate, left, right, kernel)

    def forward(self, input_features, attention_mask, output_hidden_states=True):
        x = self.feature_projection(input_features)
        valid = attention_mask.to(x.dtype)
        x = x * valid[..., None]
        bias = ((1.0 - valid) * torch.finfo(x.dtype).min)[:, None, None, :]
        states = []
        for layer in self.encoder.layers:
            states.append(x)
            x = layer(x, bias, valid)
        states.append(x)
        return SimpleNamespace(hidden_states=tuple(states))


def build_w2v_bert(small=False):
    """small: two layers with a 256-wide FFN (the contract fixes 160 in and 1024 out)."""
    return Wav2Vec2BertModel(**{**CONFIG, **(dict(layers=2, intermediate=256) if small else {})})
