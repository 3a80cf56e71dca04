"""CLAP's text branch as transformers' ClapTextModelWithProjection lays it out (state-dict
names kept): a RoBERTa encoder, the pooler (dense + tanh on <s>), and the projection
(linear1 → ReLU → linear2) to the joint 512-d space. Plain torch, inference only.
The L2 normalisation stays in the hub's pipeline (diffusers does it after the model)."""
import math

import torch
from torch import nn

ROBERTA_BASE = dict(vocab_size=50265, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                    intermediate_size=3072, max_position_embeddings=514, type_vocab_size=1,
                    layer_norm_eps=1e-12, pad_token_id=1, projection_dim=512)


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.padding_idx = c["pad_token_id"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=self.padding_idx)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"], padding_idx=self.padding_idx)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, input_ids):
        # RoBERTa's create_position_ids_from_input_ids: positions count from padding_idx + 1, pads keep padding_idx
        mask = input_ids.ne(self.padding_idx).long()
        positions = torch.cumsum(mask, dim=1) * mask + self.padding_idx
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        h = c["hidden_size"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def forward(self, x, bias):
        b, n, h = x.shape
        split = lambda t: t.view(b, n, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + bias
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, h)


class DenseNorm(nn.Module):
    """transformers' *SelfOutput / *Output: dense, then LayerNorm over the residual sum."""

    def __init__(self, c, d_in):
        super().__init__()
        self.dense = nn.Linear(d_in, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, bias):
        x = self.attention(x, bias)
        return self.output(self.intermediate(x), x)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class TextModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)


class Projection(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.linear1 = nn.Linear(c["hidden_size"], c["projection_dim"])
        self.linear2 = nn.Linear(c["projection_dim"], c["projection_dim"])

    def forward(self, x):
        return self.linear2(torch.relu(self.linear1(x)))


class ClapTextWithProjection(nn.Module):
    """input_ids [B, L] i64, attention_mask [B, L] i64 → text_embeds [B, 512] (not normalised)."""

    def __init__(self, config):
        super().__init__()
        c = {**ROBERTA_BASE, **config}
        self.text_model = TextModel(c)
        self.text_projection = Projection(c)

    def forward(self, input_ids, attention_mask):
        # extended mask: 0 where attended, the dtype's minimum where masked
        bias = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        x = self.text_model.embeddings(input_ids)
        for layer in self.text_model.encoder.layer:
            x = layer(x, bias)
        return self.text_projection(self.text_model.pooler(x))
