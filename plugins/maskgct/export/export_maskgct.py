#!/usr/bin/env python3
"""Export MaskGCT to the ONNX graphs that plugins/maskgct/graphs.ts declares.

Two sources of modules, the same wrappers and the same export call for both:

  --amphion DIR --checkpoints DIR   the real model: Amphion's classes (a checkout of
                                    open-mmlab/Amphion, transformers==4.41.2 as Amphion pins)
                                    and the amphion/MaskGCT safetensors from Hugging Face.
  --random [--small]                randomly initialised modules, with Debian's python3-torch
                                    1.13 alone: every network is the real architecture in plain
                                    torch with the released checkpoints' names (w2v_bert.py,
                                    semantic_codec.py, acoustic_codec.py, vocos.py,
                                    maskgct_modules.py, diff_llama.py; manifest.json and
                                    check_manifest.py prove the names and shapes); --small
                                    shrinks depths and inner widths, not the contract's widths.
  --check                           with --random: run each graph in onnxruntime-node through
                                    the plugin's contracts and compare with torch's outputs at
                                    lengths the export was not traced at.

Check any exported folder against the contracts with onnxruntime-node:
  node --import tsx plugins/maskgct/export/check-export.ts OUT_DIR

See EXPORT.md for the graph cut and why each wrapper looks the way it does.
"""
import os
import shutil
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 17
LAYERS = 12  # acoustic codec layers
W2V_BERT_LAYER = 17  # MaskGCT reads hidden_states[17]


# ---------------------------------------------------------------- wrappers, one per graph

class W2vBert(nn.Module):
    """hidden_states[17] of w2v-BERT 2.0; layers above 17 are dropped before export."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        # A shrunk test model has fewer than 17 layers: it gives its last state instead.
        self.layer = min(W2V_BERT_LAYER, len(model.encoder.layers))

    def forward(self, input_features, attention_mask):
        out = self.model(input_features=input_features, attention_mask=attention_mask, output_hidden_states=True)
        return out.hidden_states[self.layer]


class SemanticCodec(nn.Module):
    """(feat - mean) / std with MaskGCT's wav2vec2bert_stats, then RepCodec.quantize -> ids."""

    def __init__(self, codec, mean, std):
        super().__init__()
        self.codec = codec
        self.register_buffer("mean", mean.float())
        self.register_buffer("std", std.float())

    def forward(self, hidden_states):
        codes, _ = self.codec.quantize((hidden_states - self.mean) / self.std)
        return codes


class AcousticEncoder(nn.Module):
    """CodecEncoder + the decoder's ResidualVQ: ids [n_q, B, T] permuted to [B, T, n_q]."""

    def __init__(self, encoder, quantizer):
        super().__init__()
        self.encoder = encoder
        self.quantizer = quantizer

    def forward(self, waveform):
        indices = self.quantizer(self.encoder(waveform))[1]
        return indices.permute(1, 2, 0)


def guided_passes(estimator, prefix, current, t, cond=None, phone_embedding=None):
    """Both passes of one mask-predict step. Conditional: [prefix; current] (+ phones);
    unconditional: current alone, no phones and no prompt, as reverse_diffusion's CFG pass.
    T2S's unconditional pass sends `phone_mask[:, prompt_len:]` with no phone embedding, as
    Amphion does; the estimator cuts the mask to its input length, so with one unpadded
    sequence (the hub's only case) it masks nothing."""
    prompt_len = prefix.shape[1]
    x = torch.cat([prefix, current], dim=1)
    x_mask = torch.ones(x.shape[:2])  # no padding: every position attends everywhere
    u_mask = torch.ones(current.shape[:2])
    if phone_embedding is not None:
        phone_mask = torch.ones(phone_embedding.shape[:2])
        hidden = estimator(x, t, x_mask, phone_embedding=phone_embedding, phone_mask=phone_mask)
        uncond = estimator(current, t, u_mask, phone_embedding=phone_embedding[:, :0], phone_mask=phone_mask[:, prompt_len:])
    else:
        hidden = estimator(x, t, cond, x_mask)
        uncond = estimator(current, t, cond[:, prompt_len:], u_mask)
    return hidden[:, prompt_len:], uncond


class T2SStep(nn.Module):
    def __init__(self, t2s):
        super().__init__()
        self.t2s = t2s

    def forward(self, phone_ids, prompt_ids, target_ids, target_mask, t):
        m = self.t2s
        mask_token = m.mask_emb.weight[0]
        # cur = mask·mask_emb + (~mask)·cond_emb(seq)
        current = torch.where(target_mask.unsqueeze(-1), mask_token, m.cond_emb(target_ids))
        return guided_passes(m.diff_estimator, m.cond_emb(prompt_ids), current, t, phone_embedding=m.phone_emb(phone_ids))


class T2SLogits(nn.Module):
    def __init__(self, t2s):
        super().__init__()
        self.to_logit = t2s.to_logit

    def forward(self, hidden):
        return self.to_logit(hidden)


class S2AOneLayerStep(nn.Module):
    """The one-codebook S2A model (layer 0): max_layer is 1, so no extra mask embeddings."""

    def __init__(self, s2a):
        super().__init__()
        self.s2a = s2a

    def forward(self, semantic_ids, prompt_ids, target_ids, target_mask, t):
        m = self.s2a
        cond = m.cond_emb(semantic_ids) + m.layer_emb.weight[0]
        current = torch.where(target_mask.unsqueeze(-1), m.mask_emb.weight[0], m.token_emb[0](target_ids))
        return guided_passes(m.diff_estimator, m.token_emb[0](prompt_ids), current, t, cond=cond)


class S2AFullStep(nn.Module):
    """The 12-codebook S2A model for layer `layer` (1..11). The per-layer embedding tables are
    stacked so that a tensor input selects them (the original indexes by a Python int)."""

    def __init__(self, s2a):
        super().__init__()
        self.s2a = s2a
        self.register_buffer("tables", torch.stack([e.weight for e in s2a.token_emb]))  # [12, V, H]

    def forward(self, semantic_ids, prompt_ids, target_ids, target_mask, layer, t):
        m = self.s2a
        mask_token = m.mask_emb.weight[0]
        # prompt positions: the sum of all 12 layer embeddings
        prompt = sum(F.embedding(prompt_ids[..., j], self.tables[j]) for j in range(LAYERS))
        per_layer = torch.stack([F.embedding(target_ids[..., j], self.tables[j]) for j in range(LAYERS)], dim=2)  # [1, T, 12, H]
        below = (torch.arange(LAYERS) < layer).to(per_layer.dtype)  # decided layers: cum
        cum = (per_layer * below[None, None, :, None]).sum(dim=2)
        this_layer = per_layer.index_select(2, layer).squeeze(2)
        current = cum + torch.where(target_mask.unsqueeze(-1), mask_token, this_layer)
        # + mask_emb · (max_layer - 1 - layer): layers above this one are all "masked"
        current = current + mask_token * (LAYERS - 1 - layer).to(per_layer.dtype)
        cond = m.cond_emb(semantic_ids) + m.layer_emb(layer)
        return guided_passes(m.diff_estimator, prompt, current, t, cond=cond)


class S2AFullLogits(nn.Module):
    def __init__(self, s2a):
        super().__init__()
        self.register_buffer("weight", torch.stack([h.weight for h in s2a.to_logits]))  # [12, V, H]
        self.register_buffer("bias", torch.stack([h.bias for h in s2a.to_logits]))  # [12, V]

    def forward(self, hidden, layer):
        weight = self.weight.index_select(0, layer)[0]
        bias = self.bias.index_select(0, layer)[0]
        return F.linear(hidden, weight, bias)


class S2AOneLayerLogits(nn.Module):
    def __init__(self, s2a):
        super().__init__()
        self.head = s2a.to_logits[0]

    def forward(self, hidden):
        return self.head(hidden)


class AcousticDecoder(nn.Module):
    """vq2emb + Vocos backbone + ISTFT head up to the spectrum. torch's complex tensors do
    not export, so the graph ends at mag·cos(p), mag·sin(p); TypeScript runs the inverse STFT."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, acoustic_ids):
        emb = self.decoder.vq2emb(acoustic_ids.permute(2, 0, 1))
        vocos = self.decoder.model
        x = vocos.head.out(vocos.backbone(emb)).transpose(1, 2)
        log_mag, phase = x.chunk(2, dim=1)
        mag = torch.clip(torch.exp(log_mag), max=1e2)
        return mag * torch.cos(phase), mag * torch.sin(phase)


# ---------------------------------------------------------------- what to export

def example_inputs(phones=7, prompt=11, target=13):
    """Distinct lengths, so the tracer cannot mistake one axis for another."""
    frames = prompt + target
    ids = lambda high, *shape: torch.randint(0, high, shape, dtype=torch.long)
    mask = torch.rand(1, target) < 0.5
    t = torch.tensor([0.6])
    return {
        "w2v_bert": ((torch.randn(1, frames, 160), torch.ones(1, frames, dtype=torch.long)), ["input_features", "attention_mask"], ["hidden_states"],
                     {"input_features": {1: "frames"}, "attention_mask": {1: "frames"}, "hidden_states": {1: "frames"}}),
        "semantic_codec": ((torch.randn(1, frames, 1024),), ["hidden_states"], ["semantic_ids"],
                           {"hidden_states": {1: "frames"}, "semantic_ids": {1: "frames"}}),
        "acoustic_encoder": ((torch.randn(1, 1, frames * 480) * 0.1,), ["waveform"], ["acoustic_ids"],
                             {"waveform": {2: "samples"}, "acoustic_ids": {1: "frames"}}),
        "t2s_step": ((ids(1023, 1, phones), ids(8192, 1, prompt), ids(8192, 1, target), mask, t),
                     ["phone_ids", "prompt_ids", "target_ids", "target_mask", "t"], ["hidden_cond", "hidden_uncond"],
                     {"phone_ids": {1: "phones"}, "prompt_ids": {1: "prompt"}, "target_ids": {1: "target"}, "target_mask": {1: "target"},
                      "hidden_cond": {1: "target"}, "hidden_uncond": {1: "target"}}),
        "t2s_logits": ((torch.randn(1, target, 1536),), ["hidden"], ["logits"], {"hidden": {1: "target"}, "logits": {1: "target"}}),
        "s2a_1layer_step": ((ids(8192, 1, frames), ids(1024, 1, prompt), ids(1024, 1, target), mask, t),
                            ["semantic_ids", "prompt_ids", "target_ids", "target_mask", "t"], ["hidden_cond", "hidden_uncond"],
                            {"semantic_ids": {1: "frames"}, "prompt_ids": {1: "prompt"}, "target_ids": {1: "target"}, "target_mask": {1: "target"},
                             "hidden_cond": {1: "target"}, "hidden_uncond": {1: "target"}}),
        "s2a_1layer_logits": ((torch.randn(1, target, 1024),), ["hidden"], ["logits"], {"hidden": {1: "target"}, "logits": {1: "target"}}),
        "s2a_full_step": ((ids(8192, 1, frames), ids(1024, 1, prompt, LAYERS), ids(1024, 1, target, LAYERS), mask, torch.tensor([3]), t),
                          ["semantic_ids", "prompt_ids", "target_ids", "target_mask", "layer", "t"], ["hidden_cond", "hidden_uncond"],
                          {"semantic_ids": {1: "frames"}, "prompt_ids": {1: "prompt"}, "target_ids": {1: "target"}, "target_mask": {1: "target"},
                           "hidden_cond": {1: "target"}, "hidden_uncond": {1: "target"}}),
        "s2a_full_logits": ((torch.randn(1, target, 1024), torch.tensor([3])), ["hidden", "layer"], ["logits"],
                            {"hidden": {1: "target"}, "logits": {1: "target"}}),
        "acoustic_decoder": ((ids(1024, 1, frames, LAYERS),), ["acoustic_ids"], ["real", "imag"],
                             {"acoustic_ids": {1: "frames"}, "real": {2: "frames"}, "imag": {2: "frames"}}),
    }


def wrap(models):
    return {
        "w2v_bert": lambda: W2vBert(models["w2v_bert"]),
        "semantic_codec": lambda: SemanticCodec(models["semantic_codec"], models["semantic_mean"], models["semantic_std"]),
        "acoustic_encoder": lambda: AcousticEncoder(models["codec_encoder"], models["codec_decoder"].quantizer),
        "t2s_step": lambda: T2SStep(models["t2s"]),
        "t2s_logits": lambda: T2SLogits(models["t2s"]),
        "s2a_1layer_step": lambda: S2AOneLayerStep(models["s2a_1layer"]),
        "s2a_1layer_logits": lambda: S2AOneLayerLogits(models["s2a_1layer"]),
        "s2a_full_step": lambda: S2AFullStep(models["s2a_full"]),
        "s2a_full_logits": lambda: S2AFullLogits(models["s2a_full"]),
        "acoustic_decoder": lambda: AcousticDecoder(models["codec_decoder"]),
    }


# ---------------------------------------------------------------- sources of modules

def remove_weight_norms(module):
    for m in module.modules():
        try:
            torch.nn.utils.remove_weight_norm(m)
        except ValueError:
            pass
    return module


def load_amphion(root, checkpoints, w2v_bert):
    """The real modules, built as maskgct_utils.py builds them, weights as the README loads them."""
    sys.path.insert(0, os.path.abspath(root))
    import safetensors.torch
    from transformers import Wav2Vec2BertModel
    from models.codec.kmeans.repcodec_model import RepCodec
    from models.codec.amphion_codec.codec import CodecDecoder, CodecEncoder
    from models.tts.maskgct.maskgct_s2a import MaskGCT_S2A
    from models.tts.maskgct.maskgct_t2s import MaskGCT_T2S
    from utils.util import load_config

    cfg = load_config(os.path.join(root, "models/tts/maskgct/config/maskgct.json"))
    ckpt = lambda *p: os.path.join(checkpoints, *p)
    models = {}
    semantic = Wav2Vec2BertModel.from_pretrained(w2v_bert)
    semantic.encoder.layers = semantic.encoder.layers[:W2V_BERT_LAYER]  # hidden_states[17] needs 17 layers
    models["w2v_bert"] = semantic
    stats = torch.load(os.path.join(root, "models/tts/maskgct/ckpt/wav2vec2bert_stats.pt"))
    models["semantic_mean"], models["semantic_std"] = stats["mean"], torch.sqrt(stats["var"])
    models["semantic_codec"] = RepCodec(cfg=cfg.model.semantic_codec)
    safetensors.torch.load_model(models["semantic_codec"], ckpt("semantic_codec", "model.safetensors"))
    models["codec_encoder"] = CodecEncoder(cfg=cfg.model.acoustic_codec.encoder)
    models["codec_decoder"] = CodecDecoder(cfg=cfg.model.acoustic_codec.decoder)
    safetensors.torch.load_model(models["codec_encoder"], ckpt("acoustic_codec", "model.safetensors"))
    safetensors.torch.load_model(models["codec_decoder"], ckpt("acoustic_codec", "model_1.safetensors"))
    models["t2s"] = MaskGCT_T2S(cfg=cfg.model.t2s_model)
    safetensors.torch.load_model(models["t2s"], ckpt("t2s_model", "model.safetensors"))
    models["s2a_1layer"] = MaskGCT_S2A(cfg=cfg.model.s2a_model.s2a_1layer)
    models["s2a_full"] = MaskGCT_S2A(cfg=cfg.model.s2a_model.s2a_full)
    safetensors.torch.load_model(models["s2a_1layer"], ckpt("s2a_model", "s2a_model_1layer", "model.safetensors"))
    safetensors.torch.load_model(models["s2a_full"], ckpt("s2a_model", "s2a_model_full", "model.safetensors"))
    for name in ("semantic_codec", "codec_encoder", "codec_decoder"):
        remove_weight_norms(models[name])
    return models


def load_random(small):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from acoustic_codec import build_codec_decoder, build_codec_encoder
    from maskgct_modules import build_s2a, build_t2s
    from semantic_codec import build_semantic_codec
    from w2v_bert import build_w2v_bert

    models = {"w2v_bert": build_w2v_bert(small), "semantic_mean": torch.randn(1024) * 0.1, "semantic_std": torch.rand(1024) + 0.5}
    models["semantic_codec"] = remove_weight_norms(build_semantic_codec(small))
    models["codec_encoder"] = remove_weight_norms(build_codec_encoder(small))
    models["codec_decoder"] = remove_weight_norms(build_codec_decoder(small))
    with torch.no_grad():  # Snake α starts at 1; move it so the check exercises it
        for name, p in models["codec_encoder"].named_parameters():
            if name.endswith(".alpha"):
                p.uniform_(0.5, 1.5)
    models["t2s"] = build_t2s(small)
    models["s2a_1layer"] = build_s2a(1, small)
    models["s2a_full"] = build_s2a(12, small)
    # Adaptive norms start at weight 0, bias 1 upstream; random weights exercise the step path.
    return models


def check_against_torch(builders, names, out_dir):
    """Feeds each exported graph inputs of lengths it was not traced at, in torch and (through
    plugins/codec-tokens/check-export.ts) in onnxruntime-node with the plugin's contracts."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "codec-tokens"))
    from export_common import check_graphs

    torch.manual_seed(1)
    specs = example_inputs(phones=5, prompt=9, target=17)
    specs["w2v_bert"][0][1][:, -1] = 0  # the padding frame of an odd fbank count
    check_graphs("maskgct", out_dir, builders, specs, names)


# ---------------------------------------------------------------- export

def export_graph(name, module, spec, out_dir):
    """Exports into a scratch folder first: torch writes a model over 2 GB as one file per
    tensor, which are then gathered into `<name>.onnx.data` beside `<name>.onnx`."""
    args, inputs, outputs, axes = spec
    scratch = os.path.join(out_dir, f".{name}.export")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    path = os.path.join(scratch, f"{name}.onnx")
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
    target = os.path.join(out_dir, f"{name}.onnx")
    if len(os.listdir(scratch)) == 1:
        os.replace(path, target)
    else:
        try:
            import onnx
        except ImportError:
            print(f"  {name}: over 2 GB, left in {scratch}; install python3-onnx to gather it into {name}.onnx + {name}.onnx.data", file=sys.stderr)
            return
        model = onnx.load(path)
        onnx.save_model(model, target, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=f"{name}.onnx.data", size_threshold=1024)
    shutil.rmtree(scratch, ignore_errors=True)
    size = sum(os.path.getsize(os.path.join(out_dir, f)) for f in (f"{name}.onnx", f"{name}.onnx.data") if os.path.exists(os.path.join(out_dir, f)))
    print(f"  {name}.onnx  {size / 2 ** 20:.1f} MiB")


def main():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "codec-tokens"))
    from export_common import amphion_args

    args = amphion_args(__doc__, "download of huggingface.co/amphion/MaskGCT (with --amphion)",
                        small_help="with --random: one-layer T2S/S2A, for a quick test of the recipe",
                        more=[(("--w2v-bert",), dict(default="facebook/w2v-bert-2.0", help="w2v-BERT 2.0 name or folder (with --amphion)"))])

    torch.manual_seed(0)
    models = load_random(args.small) if args.random else load_amphion(args.amphion, args.checkpoints, args.w2v_bert)
    os.makedirs(args.out, exist_ok=True)
    specs = example_inputs()
    builders = wrap(models)
    names = args.only or list(specs)
    for name in names:
        export_graph(name, builders[name](), specs[name], args.out)
    if args.check and args.random:
        check_against_torch(builders, names, args.out)
    else:
        print(f"done: check with  node --import tsx plugins/maskgct/export/check-export.ts {args.out}")


if __name__ == "__main__":
    main()
