#!/usr/bin/env python3
"""Export VevoSing (Vevo1.5) to the ONNX graphs that plugins/vevosing/graphs.ts declares.

  --amphion DIR --checkpoints DIR   the real model: Amphion's classes (a checkout of
                                    open-mmlab/Amphion with its requirements, openai-whisper's
                                    medium checkpoint) and the amphion/Vevo1.5 download.
  --random [--small]                randomly initialised modules with Debian's python3-torch 1.13
                                    alone: re-declared in plain torch (vevosing_modules.py, and
                                    Vevo's and MaskGCT's recipe modules where the blocks are the
                                    same); --small shrinks depths and inner widths, not the
                                    contract's.
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
sys.path.insert(0, os.path.join(HERE, "..", "..", "vevo", "export"))  # Vevo's wrappers, FM, AR
sys.path.insert(0, os.path.join(HERE, "..", "..", "maskgct", "export"))  # DiffLlama, Vocos, FVQ
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))  # export + check helpers

from export_common import amphion_args, check_graphs, remove_weight_norms  # noqa: E402
from export_maskgct import export_graph  # noqa: E402
from export_vevo import ArStep, FmEstimator, HfArStep, Vocoder  # noqa: E402

AR = dict(input_vocab=1024 + 512, output_vocab=16384, hidden=1920, heads=16, head_dim=120, layers=12)
AR_VOCAB = AR["input_vocab"] + AR["output_vocab"] + 20
FILES = {"whisper_encoder": "whisper_medium_encoder", "ar": "ar_singnet7k"}


# ---------------------------------------------------------------- wrappers, one per graph

class ContentStyleTokenizer(nn.Module):
    """CocoContentStyle.quantize(whisper, chroma) on features TypeScript already normalised."""

    def __init__(self, coco):
        super().__init__()
        self.coco = coco

    def forward(self, whisper, chroma):
        return self.coco.quantize(whisper, chroma)


class ProsodyTokenizer(nn.Module):
    """CocoStyle.quantize(chroma)."""

    def __init__(self, coco):
        super().__init__()
        self.coco = coco

    def forward(self, chroma):
        return self.coco.quantize(None, chroma)


class SingFmCond(nn.Module):
    """fmt_model.cond_emb then resampling_layers, as inference_fm prepares the condition."""

    def __init__(self, fm):
        super().__init__()
        self.fm = fm

    def forward(self, cond_ids):
        return self.fm.resampling_layers(self.fm.cond_emb(cond_ids).transpose(1, 2)).transpose(1, 2)


# ---------------------------------------------------------------- what to export

def example_inputs(frames=13, past=3, tokens=5):
    ids = lambda high, *shape: torch.randint(0, high, shape, dtype=torch.long)  # noqa: E731
    cache = lambda length: torch.randn(AR["layers"], 1, AR["heads"], length, AR["head_dim"]) * 0.5  # noqa: E731
    return {
        "whisper_encoder": ((torch.randn(1, 80, 3000),), ["mel"], ["features"], {"mel": {0: "batch"}, "features": {0: "batch"}}),
        "content_style_tokenizer": ((torch.randn(1, frames, 1024), torch.rand(1, frames, 24)), ["whisper", "chroma"], ["ids"],
                                    {"whisper": {1: "frames"}, "chroma": {1: "frames"}, "ids": {1: "tokens"}}),
        "prosody_tokenizer": ((torch.rand(1, frames, 24),), ["chroma"], ["ids"], {"chroma": {1: "frames"}, "ids": {1: "tokens"}}),
        "ar": ((ids(AR_VOCAB, 1, tokens), cache(past), cache(past)), ["input_ids", "past_key", "past_value"], ["logits", "present_key", "present_value"],
               {"input_ids": {1: "tokens"}, "past_key": {3: "past"}, "past_value": {3: "past"}, "logits": {1: "tokens"}, "present_key": {3: "total"}, "present_value": {3: "total"}}),
        "fm_cond": ((ids(16384, 1, frames),), ["cond_ids"], ["cond"], {"cond_ids": {1: "tokens"}, "cond": {1: "frames"}}),
        "fm_estimator": ((torch.randn(1, frames, 128), torch.tensor([0.3]), torch.randn(1, frames, 1024)), ["x", "t", "cond"], ["velocity"],
                         {"x": {1: "frames"}, "cond": {1: "frames"}, "velocity": {1: "frames"}}),
        "vocoder": ((torch.randn(1, 128, frames),), ["mel"], ["real", "imag"], {"mel": {2: "frames"}, "real": {2: "frames"}, "imag": {2: "frames"}}),
    }


def wrap(models, ar_step=ArStep):
    return {
        "whisper_encoder": lambda: models["whisper_encoder"],
        "content_style_tokenizer": lambda: ContentStyleTokenizer(models["content_style"]),
        "prosody_tokenizer": lambda: ProsodyTokenizer(models["prosody"]),
        "ar": lambda: ar_step(models["ar"]),
        "fm_cond": lambda: SingFmCond(models["fm"]),
        "fm_estimator": lambda: FmEstimator(models["fm"]),
        "vocoder": lambda: Vocoder(models["vocoder"]),
    }


# ---------------------------------------------------------------- sources of modules

def load_random(small):
    from acoustic_codec import Vocos
    from vevo_modules import ArModel
    from vevosing_modules import CONTENT_STYLE, PROSODY, Coco, SingFlowMatching, WhisperEncoder

    coco_small = dict(hidden_size=64, vocos_dim=64, vocos_intermediate_dim=128, vocos_num_layers=2) if small else {}
    models = {
        "whisper_encoder": WhisperEncoder(layers=2, inner=256) if small else WhisperEncoder(),
        "content_style": Coco(**{**CONTENT_STYLE, **coco_small}),
        "prosody": Coco(**{**PROSODY, **coco_small}),
        "ar": ArModel(AR["input_vocab"], AR["output_vocab"], hidden=64 if small else AR["hidden"], layers=AR["layers"], heads=AR["heads"], head_dim=AR["head_dim"], inner=128 if small else None),
        "fm": SingFlowMatching(**(dict(num_layers=1, ratio=1) if small else {})),
        "vocoder": Vocos(128, 64 if small else 1024, 128 if small else 4096, 1 if small else 30, 1920),
    }
    for name in ("content_style", "prosody"):
        remove_weight_norms(models[name])
    return models


class AmphionCoco(nn.Module):
    """Amphion's Coco model as extract_coco_codec reads it: quantize(...)[0]."""

    def __init__(self, coco, with_whisper):
        super().__init__()
        self.coco, self.with_whisper = coco, with_whisper

    def quantize(self, whisper, chroma):
        return (self.coco.quantize(whisper, chroma) if self.with_whisper else self.coco.quantize(chroma))[0]


def load_amphion(root, checkpoints):
    """The real modules, built by Amphion's own VevosingInferencePipeline (vevosing_utils.py) from
    the amphion/Vevo1.5 download (the singnet7k AR and FM, as infer_vevosing_*.py choose). Not run
    here (no checkpoints): see EXPORT.md."""
    sys.path.insert(0, os.path.abspath(root))
    os.chdir(root)  # the configs name whisper_stats.pt relative to the checkout
    from models.svc.vevosing.vevosing_utils import VevosingInferencePipeline

    ckpt = lambda *p: os.path.join(checkpoints, *p)  # noqa: E731
    pipe = VevosingInferencePipeline(
        prosody_tokenizer_ckpt_path=ckpt("tokenizer", "prosody_fvq512_6.25hz"),
        content_style_tokenizer_ckpt_path=ckpt("tokenizer", "contentstyle_fvq16384_12.5hz"),
        ar_cfg_path="models/svc/vevosing/config/ar_emilia101k_singnet7k.json", ar_ckpt_path=ckpt("contentstyle_modeling", "ar_emilia101k_singnet7k"),
        fmt_cfg_path="models/svc/vevosing/config/fm_emilia101k_singnet7k.json", fmt_ckpt_path=ckpt("acoustic_modeling", "fm_emilia101k_singnet7k"),
        vocoder_cfg_path="models/svc/vevosing/config/vocoder.json", vocoder_ckpt_path=ckpt("acoustic_modeling", "Vocoder"),
        device=torch.device("cpu"))
    models = {"whisper_encoder": pipe.whisper_model.encoder, "content_style": AmphionCoco(pipe.content_style_tokenizer, True),
              "prosody": AmphionCoco(pipe.style_tokenizer, False), "ar": pipe.ar_model, "fm": pipe.fmt_model, "vocoder": pipe.vocoder_model,
              "stats": {"mean": pipe.whisper_mean.tolist(), "std": pipe.whisper_std.tolist()}}
    for name in ("content_style", "prosody", "vocoder"):
        remove_weight_norms(models[name])
    return models


# ---------------------------------------------------------------- export and check

def check_against_torch(builders, names, out_dir):
    """Lengths unlike the export's: 17 frames (5 content-style, 3 prosody tokens; 5 tokens → 20
    condition frames); the AR as one step after 6 cached positions."""
    torch.manual_seed(1)
    specs = example_inputs(frames=17)
    specs["ar"] = example_inputs(past=6, tokens=1)["ar"]
    specs["fm_cond"] = example_inputs(frames=5)["fm_cond"]
    check_graphs("vevosing", out_dir, builders, specs, names)


def main():
    args = amphion_args(__doc__, "download of huggingface.co/amphion/Vevo1.5 (with --amphion)")

    torch.manual_seed(0)
    models = load_random(args.small) if args.random else load_amphion(args.amphion, args.checkpoints)
    os.makedirs(args.out, exist_ok=True)
    specs = example_inputs()
    builders = wrap(models) if args.random else wrap(models, HfArStep)
    names = args.only or list(specs)
    for name in names:
        export_graph(FILES.get(name, name), builders[name](), specs[name], args.out)
    if "stats" in models:  # whisper_stats.pt, for the Whisper normalisation in TypeScript
        with open(os.path.join(args.out, "whisper_stats.json"), "w") as f:
            json.dump(models["stats"], f)
    if args.check and args.random:
        check_against_torch(builders, names, args.out)


if __name__ == "__main__":
    main()
