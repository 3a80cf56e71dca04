#!/usr/bin/env python3
"""Export DualCodec-VALL-E to the ONNX graphs that plugins/dualcodec-valle/graphs.ts declares
(ar, nar). The codec is DualCodec's own (plugins/dualcodec/EXPORT.md).

Both networks are re-declared in plain torch (no transformers), with the parameter names of
Amphion's modules (models/codec/dualcodec/dualcodec/model_tts/valle_ar/llama_wrapper.py `LLM`,
model_tts/valle_nar/valle_nar_model.py `ValleNAR`), reusing blocks other recipes already
declare, by import:

  AR   `LLM.llm` = LlamaForCausalLM (conf_tts/model/valle_ar/llama_250M.yaml: vocab 68260,
       hidden 1024, 12 layers, 16 heads, MLP 4096, RMSNorm eps 1e-6, RoPE θ 10000, untied
       head): Vevo's K/V-cache Llama (plugins/vevo/export/vevo_modules.py LlamaForCausalLM),
       forward(ids, past_k, past_v) → logits, present_k, present_v.
  NAR  `ValleNAR` (valle_nar.yaml; hidden 1024, 12 layers, 16 heads, MLP 4096): a bidirectional
       Llama whose RMSNorms are adaptive (`to_weight(embed_cond(layer))`), i.e. MaskGCT's
       DiffLlama layer (plugins/maskgct/export/diff_llama.py Layer, AdaptiveRMSNorm) with the
       quantizer-layer embedding as its condition; 7 heads `lm_head[layer − 1]`.

  --checkpoints DIR   the real weights: DIR holds dualcodec_valle_ar_12hzv1.safetensors and
                      dualcodec_valle_nar_12hzv1.safetensors (HF amphion/dualcodec-tts);
                      needs the `safetensors` package.
  --random [--small] [--check]
                      random-init modules; --check runs both graphs in onnxruntime-node
                      through the plugin's contracts against torch at lengths the export was
                      not traced at.
"""
import argparse
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "plugins", "maskgct", "export"))
sys.path.insert(0, os.path.join(ROOT, "plugins", "vevo", "export"))

from diff_llama import AdaptiveRMSNorm, Layer  # noqa: E402
from export_maskgct import export_graph  # noqa: E402
from vevo_modules import LlamaForCausalLM  # noqa: E402

QUANTIZERS = 8            # 1 semantic + 7 acoustic (DualCodec 12hz_v1, n_quantizers=8)
SEMANTIC_VOCAB = 16384
ACOUSTIC_VOCAB = 4096
AR = dict(vocab=68260, hidden=1024, layers=12, heads=16, head_dim=64, inner=4096)
NAR = dict(hidden=1024, layers=12, heads=16, ratio=4)
NAR_VOCAB = 1 + ACOUSTIC_VOCAB + 10  # phone_vocab_size + target_vocab_size + 10
PHONE_ROWS = 1 + 10                  # phone_vocab_size + 10
# The test run's modules: the contract fixes the cache (12 layers, 16 heads of 64) and the
# vocabularies; the AR's width and MLP shrink, the NAR keeps one narrow layer.
AR_SMALL = dict(hidden=128, inner=128)
NAR_SMALL = dict(hidden=256, layers=1, heads=4, ratio=1)


class LLM(nn.Module):
    """llama_wrapper.py LLM: the Llama is `llm` (checkpoint keys llm.model.*, llm.lm_head.*)."""

    def __init__(self, vocab, hidden, layers, heads, head_dim, inner):
        super().__init__()
        self.llm = LlamaForCausalLM(vocab, hidden, layers, heads, head_dim, inner)


class NarLlama(nn.Module):
    """LlammaNARModel: LlamaModel's layers with adaptive norms, conditioned on embed_cond(layer)."""

    def __init__(self, hidden, layers, heads, ratio):
        super().__init__()
        self.embed_tokens = nn.Embedding(NAR_VOCAB, hidden)  # LlamaModel's table: saved, never used
        self.layers = nn.ModuleList([Layer(hidden, heads, ratio) for _ in range(layers)])
        self.norm = AdaptiveRMSNorm(hidden)
        self.embed_cond = nn.Embedding(QUANTIZERS, hidden)


class NarForModeling(nn.Module):
    def __init__(self, hidden, layers, heads, ratio):
        super().__init__()
        self.model = NarLlama(hidden, layers, heads, ratio)
        self.lm_head = nn.ModuleList([nn.Linear(hidden, NAR_VOCAB, bias=False) for _ in range(QUANTIZERS - 1)])


class MultiEmbedding(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.embeddings = nn.ModuleList([nn.Embedding(SEMANTIC_VOCAB, hidden)] + [nn.Embedding(ACOUSTIC_VOCAB, hidden) for _ in range(QUANTIZERS - 1)])


class ValleNAR(nn.Module):
    def __init__(self, hidden, layers, heads, ratio):
        super().__init__()
        self.model = NarForModeling(hidden, layers, heads, ratio)
        self.phone_embedder = nn.Embedding(PHONE_ROWS, hidden)
        self.prompt_embedder = MultiEmbedding(hidden)


# ---------------------------------------------------------------- wrappers, one per graph

class ArStep(nn.Module):
    def __init__(self, ar):
        super().__init__()
        self.llama = ar.llm

    def forward(self, input_ids, past_key, past_value):
        return self.llama(input_ids, past_key, past_value)


class NarStep(nn.Module):
    """One `ValleNAR.forward` at inference (sample_hf): [phone; prompt; target] embeddings, the
    quantizer layer as the norms' condition, lm_head[layer − 1] on the target positions, ids
    below 4096 only (`argmax(logits[..., :4096])`)."""

    def __init__(self, nar):
        super().__init__()
        self.nar = nar
        # the 7 heads stacked, so the layer input selects one
        self.register_buffer("heads", torch.stack([h.weight.detach() for h in nar.model.lm_head]), persistent=False)

    def forward(self, prompt_ids, target_ids, layer):
        n = self.nar
        tables = n.prompt_embedder.embeddings
        # phone_ids = zeros(1, 1) + target_vocab_size → phone_embedder(0)
        phone = n.phone_embedder.weight[0].expand(1, 1, -1)
        # prompt_embedder(prompt [8, B, Tp]): the sum over all 8 layers
        prompt = sum(tables[i](prompt_ids[:, i]) for i in range(QUANTIZERS))
        # prompt_embedder(target_ids[:layer]): the layers below the one predicted
        target = sum(tables[i](target_ids[:, i]) * (layer > i).to(torch.float32) for i in range(QUANTIZERS))
        x = torch.cat([phone, prompt, target], dim=1)
        cond = n.model.model.embed_cond(layer)  # [1, hidden]
        bias = torch.zeros(1, 1, 1, x.shape[1])  # one unpadded sequence, no causal mask
        for block in n.model.model.layers:
            x = block(x, cond, bias)
        x = n.model.model.norm(x, cond)[:, -target_ids.shape[2]:]
        head = torch.index_select(self.heads, 0, layer - 1)[0]  # lm_head[cond − START_QUANTIZATION_LAYER]
        return (x @ head.t())[..., :ACOUSTIC_VOCAB]


def example_inputs(past=3, tokens=4, prompt=7, target=5):
    """Distinct lengths, so the tracer cannot mistake one axis for another."""
    def ids(high, *shape):
        return torch.randint(0, high, shape, dtype=torch.long)

    def grid(frames):
        return torch.cat([ids(SEMANTIC_VOCAB, 1, 1, frames), ids(ACOUSTIC_VOCAB, 1, QUANTIZERS - 1, frames)], dim=1)

    return {
        # the AR cache's layer count depends on the module (12, or 1 when shrunk): filled in by specs_for
        "ar": (lambda layers: ((ids(AR["vocab"], 1, tokens), torch.randn(layers, 1, AR["heads"], past, AR["head_dim"]), torch.randn(layers, 1, AR["heads"], past, AR["head_dim"])),
                               ["input_ids", "past_key", "past_value"], ["logits", "present_key", "present_value"],
                               {"input_ids": {1: "tokens"}, "past_key": {3: "past"}, "past_value": {3: "past"}, "logits": {1: "tokens"},
                                "present_key": {3: "past_tokens"}, "present_value": {3: "past_tokens"}})),
        "nar": ((grid(prompt), grid(target), torch.tensor([3])), ["prompt_ids", "target_ids", "layer"], ["logits"],
                {"prompt_ids": {2: "prompt"}, "target_ids": {2: "target"}, "logits": {1: "target"}}),
    }


def specs_for(models, **lengths):
    specs = example_inputs(**lengths)
    specs["ar"] = specs["ar"](len(models["ar"].llm.model.layers))
    return specs


def load_random(small):
    ar = LLM(**{**AR, **(AR_SMALL if small else {})})
    nar = ValleNAR(**{**NAR, **(NAR_SMALL if small else {})})
    return {"ar": ar, "nar": nar}


def load_checkpoints(folder):
    import safetensors.torch

    models = load_random(small=False)
    for name, file in (("ar", "dualcodec_valle_ar_12hzv1.safetensors"), ("nar", "dualcodec_valle_nar_12hzv1.safetensors")):
        state = {k: v.float() for k, v in safetensors.torch.load_file(os.path.join(folder, file)).items() if not k.endswith("rotary_emb.inv_freq")}
        models[name].load_state_dict(state, strict=True)
    return models


def check_against_torch(models, builders, out_dir):
    """A step after 5 cached positions with 2 new tokens (cache and causal mask both matter),
    and a NAR pass on 9 prompt and 6 target frames."""
    sys.path.insert(0, os.path.join(ROOT, "plugins", "codec-tokens"))
    from export_common import check_graphs

    torch.manual_seed(1)
    specs = specs_for(models, past=5, tokens=2, prompt=9, target=6)
    check_graphs("dualcodec-valle", out_dir, builders, specs, ("ar", "nar"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoints", help="folder with the amphion/dualcodec-tts VALL-E safetensors")
    source.add_argument("--random", action="store_true", help="random-init modules")
    parser.add_argument("--small", action="store_true", help="with --random: narrow AR layers, one narrow NAR layer")
    parser.add_argument("--check", action="store_true", help="with --random: compare with torch through the contracts (needs node)")
    parser.add_argument("--out", required=True, help="output folder (the plugin's weight folder)")
    args = parser.parse_args()

    torch.manual_seed(0)
    models = load_random(args.small) if args.random else load_checkpoints(args.checkpoints)
    if args.random:
        with torch.no_grad():  # adaptive norms: random weights so the condition matters
            for block in models["nar"].model.model.layers:
                block.input_layernorm.to_weight.bias.uniform_(0.5, 1.5)
    builders = {"ar": lambda: ArStep(models["ar"]), "nar": lambda: NarStep(models["nar"])}
    os.makedirs(args.out, exist_ok=True)
    specs = specs_for(models)
    for name in ("ar", "nar"):
        export_graph(name, builders[name](), specs[name], args.out)
    if args.check and args.random:
        check_against_torch(models, builders, args.out)
    else:
        print(f"done: check with  node --import tsx plugins/codec-tokens/check-export.ts plugins/dualcodec-valle {args.out}")


if __name__ == "__main__":
    main()
