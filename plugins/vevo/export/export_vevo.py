#!/usr/bin/env python3
"""Export Vevo to the ONNX graphs that plugins/vevo/graphs.ts declares.

  --amphion DIR --checkpoints DIR   the real model: Amphion's classes (a checkout of
                                    open-mmlab/Amphion, transformers as Amphion pins), torchaudio's
                                    HUBERT_LARGE, and the amphion/Vevo checkpoints from Hugging Face.
  --random [--small]                randomly initialised modules with Debian's python3-torch 1.13
                                    and torchaudio alone: HuBERT is torchaudio's own wav2vec2 class,
                                    the rest is re-declared in plain torch (vevo_modules.py, and
                                    MaskGCT's diff_llama.py, semantic_codec.py, acoustic_codec.py);
                                    --small shrinks depths and inner widths, not the contract's.
  --check                           with --random: run each graph in onnxruntime-node through the
                                    plugin's contracts and compare with torch at lengths the export
                                    was not traced at.

See EXPORT.md for the graph cut.
"""
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "maskgct", "export"))  # DiffLlama, RepCodec, Vocos
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))  # export + check helpers

from export_common import amphion_args, check_graphs, remove_weight_norms  # noqa: E402
from export_maskgct import export_graph  # noqa: E402

OPSET = 17
HUBERT_LAYER = 18
AR = {"ar_tts": dict(input_vocab=1024, hidden=1920, heads=16, head_dim=120), "ar_vc": dict(input_vocab=1056, hidden=1536, heads=16, head_dim=96)}
AR_LAYERS = 12  # the contract's cache has one entry per layer


# ---------------------------------------------------------------- wrappers, one per graph

class Hubert(nn.Module):
    """torchaudio Wav2Vec2Model.extract_features(num_layers=18)[-1]: the raw model, without the
    bundle's waveform layer-norm (TypeScript applies it, then cuts the tail no conv window reads)."""

    def __init__(self, model, layers):
        super().__init__()
        self.model, self.layers = model, layers

    def forward(self, waveform):
        return self.model.extract_features(waveform, num_layers=self.layers)[0][-1]


class ContentStyleTokenizer(nn.Module):
    """vq8192 RepCodec.quantize on features TypeScript already normalised."""

    def __init__(self, codec):
        super().__init__()
        self.codec = codec

    def forward(self, features):
        return self.codec.quantize(features)[0]


class ArStep(nn.Module):
    def __init__(self, ar):
        super().__init__()
        self.llama = ar.model

    def forward(self, input_ids, past_key, past_value):
        return self.llama(input_ids, past_key, past_value)


class FmCond(nn.Module):
    def __init__(self, fm):
        super().__init__()
        self.cond_emb = fm.cond_emb

    def forward(self, cond_ids):
        return self.cond_emb(cond_ids)


class FmEstimator(nn.Module):
    """diff_estimator(x, t, cond, x_mask) with every frame valid (batch 1, no padding)."""

    def __init__(self, fm):
        super().__init__()
        self.estimator = fm.diff_estimator

    def forward(self, x, t, cond):
        return self.estimator(x, t, cond, torch.ones(x.shape[:2], dtype=x.dtype))


class Vocoder(nn.Module):
    """Vocos backbone + ISTFT head up to the spectrum (complex tensors do not export)."""

    def __init__(self, vocos):
        super().__init__()
        self.vocos = vocos

    def forward(self, mel):
        x = self.vocos.head.out(self.vocos.backbone(mel)).transpose(1, 2)
        log_mag, phase = x.chunk(2, dim=1)
        mag = torch.clip(torch.exp(log_mag), max=1e2)
        return mag * torch.cos(phase), mag * torch.sin(phase)


# ---------------------------------------------------------------- what to export

def example_inputs(frames=13, past=3, tokens=5):
    ids = lambda high, *shape: torch.randint(0, high, shape, dtype=torch.long)  # noqa: E731
    specs = {
        "hubert": ((torch.randn(1, 320 * frames + 80),), ["waveform"], ["features"], {"waveform": {1: "samples"}, "features": {1: "frames"}}),
        "content_tokenizer": ((torch.randn(1, frames, 1024),), ["features"], ["ids"], {"features": {1: "frames"}, "ids": {1: "frames"}}),
        "content_style_tokenizer": ((torch.randn(1, frames, 1024),), ["features"], ["ids"], {"features": {1: "frames"}, "ids": {1: "frames"}}),
        "fm_cond": ((ids(8192, 1, frames),), ["cond_ids"], ["cond"], {"cond_ids": {1: "frames"}, "cond": {1: "frames"}}),
        "fm_estimator": ((torch.randn(1, frames, 128), torch.tensor([0.3]), torch.randn(1, frames, 1024)), ["x", "t", "cond"], ["velocity"],
                         {"x": {1: "frames"}, "cond": {1: "frames"}, "velocity": {1: "frames"}}),
        "vocoder": ((torch.randn(1, 128, frames),), ["mel"], ["real", "imag"], {"mel": {2: "frames"}, "real": {2: "frames"}, "imag": {2: "frames"}}),
    }
    for name, ar in AR.items():
        vocab = ar["input_vocab"] + 8192 + 20
        cache = lambda length: torch.randn(AR_LAYERS, 1, ar["heads"], length, ar["head_dim"]) * 0.5  # noqa: E731
        specs[name] = ((ids(vocab, 1, tokens), cache(past), cache(past)), ["input_ids", "past_key", "past_value"], ["logits", "present_key", "present_value"],
                       {"input_ids": {1: "tokens"}, "past_key": {3: "past"}, "past_value": {3: "past"}, "logits": {1: "tokens"},
                        "present_key": {3: "total"}, "present_value": {3: "total"}})
    return specs


def wrap(models):
    return {
        "hubert": lambda: Hubert(models["hubert"], models["hubert_layers"]),
        "content_tokenizer": lambda: models["content_tokenizer"],
        "content_style_tokenizer": lambda: ContentStyleTokenizer(models["content_style_tokenizer"]),
        "ar_tts": lambda: ArStep(models["ar_tts"]),
        "ar_vc": lambda: ArStep(models["ar_vc"]),
        "fm_cond": lambda: FmCond(models["fm"]),
        "fm_estimator": lambda: FmEstimator(models["fm"]),
        "vocoder": lambda: Vocoder(models["vocoder"]),
    }


FILES = {"ar_tts": "ar_phone_to_vq8192", "ar_vc": "ar_vq32_to_vq8192"}


# ---------------------------------------------------------------- sources of modules

def hubert_large(small):
    """torchaudio's hubert_large() configuration (extractor in layer-norm mode, 24 pre-LN layers,
    1024 wide, 16 heads, FFN 4096, positional conv k128 g16); --small: narrow conv extractor,
    two layers, FFN 256. Only the first 18 layers (2 when small) are exported."""
    from torchaudio.models import wav2vec2_model
    conv = [(32 if small else 512, 10, 5)] + [(32 if small else 512, 3, 2)] * 4 + [(32 if small else 512, 2, 2)] * 2
    model = wav2vec2_model(extractor_mode="layer_norm", extractor_conv_layer_config=conv, extractor_conv_bias=True,
                           encoder_embed_dim=1024, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=128, encoder_pos_conv_groups=16,
                           encoder_num_layers=2 if small else 24, encoder_num_heads=16, encoder_attention_dropout=0.0,
                           encoder_ff_interm_features=256 if small else 4096, encoder_ff_interm_dropout=0.0, encoder_dropout=0.0,
                           encoder_layer_norm_first=True, encoder_layer_drop=0.0, aux_num_out=None)
    return model, 2 if small else HUBERT_LAYER


def load_random(small):
    from acoustic_codec import Vocos
    from semantic_codec import build_semantic_codec
    from vevo_modules import ArModel, ContentTokenizer, FlowMatchingTransformer

    models = {}
    models["hubert"], models["hubert_layers"] = hubert_large(small)
    models["content_tokenizer"] = ContentTokenizer(**(dict(encode_channels=64, code_dim=64) if small else {}))
    models["content_style_tokenizer"] = build_semantic_codec(small)
    remove_weight_norms(models["content_style_tokenizer"])
    for name, ar in AR.items():
        shrink = dict(hidden=64, inner=128) if small else {}
        models[name] = ArModel(ar["input_vocab"], heads=ar["heads"], head_dim=ar["head_dim"], layers=AR_LAYERS, **{"hidden": ar["hidden"], **shrink})
    models["fm"] = FlowMatchingTransformer(**(dict(num_layers=1, ratio=1) if small else {}))
    models["vocoder"] = Vocos(128, 64 if small else 1024, 128 if small else 4096, 1 if small else 30, 1920)
    return models


class AmphionContentTokenizer(nn.Module):
    """VevoRepCodec as extract_hubert_codec("hubert_vevo_codec") reads it."""

    def __init__(self, codec):
        super().__init__()
        self.codec = codec

    def forward(self, features):
        z = self.codec.projector(self.codec.encoder(features.transpose(1, 2)))
        return self.codec.quantizer.codebook.forward_index(z.transpose(2, 1))[1][0]


class HfArStep(nn.Module):
    """transformers' LlamaForCausalLM with the stacked caches of the contract (legacy tuple cache)."""

    def __init__(self, ar):
        super().__init__()
        self.llama = ar.model

    def forward(self, input_ids, past_key, past_value):
        past = tuple((past_key[i], past_value[i]) for i in range(past_key.shape[0]))
        positions = torch.arange(input_ids.shape[1])[None, :] + past_key.shape[3]
        out = self.llama(input_ids=input_ids, past_key_values=past, position_ids=positions, use_cache=True, return_dict=True)
        cache = out.past_key_values
        cache = cache.to_legacy_cache() if hasattr(cache, "to_legacy_cache") else cache
        return out.logits, torch.stack([k for k, _ in cache]), torch.stack([v for _, v in cache])


def load_amphion(root, checkpoints):
    """The real modules, built by Amphion's own VevoInferencePipeline (vevo_utils.py) from the
    amphion/Vevo download, once per AR. Not run here (no checkpoints): see EXPORT.md."""
    sys.path.insert(0, os.path.abspath(root))
    os.chdir(root)  # the configs name their statistics relative to the checkout
    from models.vc.vevo.vevo_utils import VevoInferencePipeline

    ckpt = lambda *p: os.path.join(checkpoints, *p)  # noqa: E731
    common = dict(content_tokenizer_ckpt_path=ckpt("tokenizer", "vq32", "hubert_large_l18_c32.pkl"),
                  content_style_tokenizer_ckpt_path=ckpt("tokenizer", "vq8192"),
                  fmt_cfg_path="models/vc/vevo/config/Vq8192ToMels.json", fmt_ckpt_path=ckpt("acoustic_modeling", "Vq8192ToMels"),
                  vocoder_cfg_path="models/vc/vevo/config/Vocoder.json", vocoder_ckpt_path=ckpt("acoustic_modeling", "Vocoder"),
                  device=torch.device("cpu"))
    vc = VevoInferencePipeline(ar_cfg_path="models/vc/vevo/config/Vq32ToVq8192.json", ar_ckpt_path=ckpt("contentstyle_modeling", "Vq32ToVq8192"), **common)
    tts = VevoInferencePipeline(ar_cfg_path="models/vc/vevo/config/PhoneToVq8192.json", ar_ckpt_path=ckpt("contentstyle_modeling", "PhoneToVq8192"), **common)
    hubert = vc.hubert_model
    models = {"hubert": getattr(hubert, "model", hubert), "hubert_layers": HUBERT_LAYER,
              "content_tokenizer": AmphionContentTokenizer(vc.content_tokenizer), "content_style_tokenizer": vc.content_style_tokenizer,
              "ar_tts": tts.ar_model, "ar_vc": vc.ar_model, "fm": vc.fmt_model, "vocoder": vc.vocoder_model,
              "stats": {"mean": vc.hubert_feat_norm_mean.tolist(), "std": vc.hubert_feat_norm_std.tolist()}}
    for name in ("content_style_tokenizer", "vocoder", "hubert"):
        remove_weight_norms(models[name])
    return models


def wrap_amphion(models):
    builders = wrap(models)
    builders["content_tokenizer"] = lambda: models["content_tokenizer"]
    builders["ar_tts"] = lambda: HfArStep(models["ar_tts"])
    builders["ar_vc"] = lambda: HfArStep(models["ar_vc"])
    return builders


# ---------------------------------------------------------------- export and check

def check_against_torch(builders, names, out_dir):
    """Lengths unlike the export's: 17 frames; the TTS AR as a prefill on an empty cache, the VC
    AR as one step after 6 cached positions."""
    torch.manual_seed(1)
    specs = example_inputs(frames=17)
    specs["ar_tts"] = example_inputs(past=0, tokens=6)["ar_tts"]
    specs["ar_vc"] = example_inputs(past=6, tokens=1)["ar_vc"]
    check_graphs("vevo", out_dir, builders, specs, names)


def main():
    args = amphion_args(__doc__, "download of huggingface.co/amphion/Vevo (with --amphion)")

    torch.manual_seed(0)
    models = load_random(args.small) if args.random else load_amphion(args.amphion, args.checkpoints)
    os.makedirs(args.out, exist_ok=True)
    specs = example_inputs()
    builders = wrap(models) if args.random else wrap_amphion(models)
    names = args.only or list(specs)
    for name in names:
        # MaskGCT's export call: over 2 GB (the TTS AR) it gathers the tensors into <file>.onnx.data
        export_graph(FILES.get(name, name), builders[name](), specs[name], args.out)
    if "stats" in models:  # hubert_large_l18_mean_std.npz, for the vq8192 normalisation in TypeScript
        with open(os.path.join(args.out, "hubert_l18_stats.json"), "w") as f:
            json.dump(models["stats"], f)
    if args.check and args.random:
        check_against_torch(builders, names, args.out)


if __name__ == "__main__":
    main()
