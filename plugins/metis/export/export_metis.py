#!/usr/bin/env python3
"""Export Metis' TTS model to the ONNX graphs that plugins/metis/graphs.ts declares
(t2s_step, t2s_logits). Everything else Metis runs is MaskGCT's (plugins/maskgct/EXPORT.md).

Metis' stage-1 model is MaskGCT's T2S (`MetisStage1(MaskGCT_T2S)`, Amphion
models/tts/metis/metis_model.py) plus, for the fine-tuned tasks other than TTS, a
`cond_adapter` on frame-level features. In TTS mode (`model_type="tts"`) no `finetune_cond`
is given, so the adapter never runs and one mask-predict step is exactly MaskGCT's: this
recipe reuses MaskGCT's wrappers, example inputs and export call by import
(plugins/maskgct/export/export_maskgct.py, maskgct_modules.py), and adds only the module.

  --amphion DIR --checkpoint FILE [--config tts|omni]
                    the real model: Amphion's MetisStage1 built from
                    models/tts/metis/config/<config>.json (transformers==4.41.2, peft), weights
                    from amphion/MaskGCT t2s_model/model.safetensors (Metis-TTS, the README's
                    choice) or amphion/metis metis_omni/metis_omni.safetensors.
  --random [--small] [--check]
                    randomly initialised modules in plain torch (Debian's python3-torch 1.13),
                    with an adapter as the fine-tuned checkpoints carry; --check runs both graphs
                    in onnxruntime-node through the plugin's contracts against torch at lengths
                    the export was not traced at, with an empty prompt (no reference).
"""
import argparse
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "plugins", "maskgct", "export"))

from export_maskgct import T2SLogits, T2SStep, example_inputs, export_graph  # noqa: E402
from maskgct_modules import SMALL, T2S, MaskGCT_T2S  # noqa: E402

GRAPHS = ("t2s_step", "t2s_logits")
COND_DIM = 1024  # config/*.json t2s_model.cond_dim: w2v-BERT features for VC/SE/TSE


class SimpleAdapter(nn.Module):
    """metis_model.py SimpleAdapter: Linear(cond, 4h) → SiLU → Linear(4h, h), times a zero-init gate."""

    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.in_linear = nn.Linear(in_dim, out_dim * 4)
        self.act = nn.SiLU()
        self.out_linear = nn.Linear(out_dim * 4, out_dim)
        self.gate_scale = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return self.out_linear(self.act(self.in_linear(x))) * self.gate_scale


class MetisStage1(MaskGCT_T2S):
    """MaskGCT's T2S with the fine-tuning adapter the vc/se/tse/omni checkpoints hold (unused for TTS)."""

    def __init__(self, adapter=True, **kwargs):
        super().__init__(**kwargs)
        if adapter:
            self.cond_adapter = SimpleAdapter(COND_DIM, kwargs["hidden_size"])


def load_amphion(root, checkpoint, config):
    sys.path.insert(0, os.path.abspath(root))
    import safetensors.torch
    from models.tts.metis.metis import build_metis_stage1
    from utils.util import load_config

    cfg = load_config(os.path.join(root, "models", "tts", "metis", "config", f"{config}.json"))
    model = build_metis_stage1(cfg.model.t2s_model, "cpu", config)
    safetensors.torch.load_model(model, checkpoint)
    return model


def check_against_torch(model, out_dir):
    sys.path.insert(0, os.path.join(ROOT, "plugins", "codec-tokens"))
    from export_common import check_graphs

    torch.manual_seed(1)
    # An empty prompt: the hub's TTS without a reference (MaskGCT's recipe checks a 9-frame one)
    specs = example_inputs(phones=5, prompt=0, target=17)
    builders = {"t2s_step": lambda: T2SStep(model), "t2s_logits": lambda: T2SLogits(model)}
    check_graphs("metis", out_dir, builders, specs, GRAPHS)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--amphion", help="checkout of open-mmlab/Amphion")
    source.add_argument("--random", action="store_true", help="random-init modules (plain torch)")
    parser.add_argument("--checkpoint", help="t2s_model/model.safetensors or metis_omni/metis_omni.safetensors (with --amphion)")
    parser.add_argument("--config", default="tts", choices=["tts", "omni"], help="Amphion config of the checkpoint (with --amphion)")
    parser.add_argument("--small", action="store_true", help="with --random: one layer, narrow MLPs")
    parser.add_argument("--check", action="store_true", help="with --random: compare with torch through the contracts (needs node)")
    parser.add_argument("--out", required=True, help="output folder (the plugin's weight folder)")
    args = parser.parse_args()
    if args.amphion and not args.checkpoint:
        parser.error("--amphion needs --checkpoint")

    torch.manual_seed(0)
    if args.random:
        model = MetisStage1(**{**T2S, **(SMALL if args.small else {})})
        with torch.no_grad():  # the gate starts at 0 upstream; the adapter must not matter either way
            model.cond_adapter.gate_scale.fill_(0.5)
    else:
        model = load_amphion(args.amphion, args.checkpoint, args.config)
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    specs = example_inputs()
    export_graph("t2s_step", T2SStep(model), specs["t2s_step"], args.out)
    export_graph("t2s_logits", T2SLogits(model), specs["t2s_logits"], args.out)
    if args.check and args.random:
        check_against_torch(model, args.out)
    else:
        print(f"done: check with  node --import tsx plugins/codec-tokens/check-export.ts plugins/metis {args.out}")


if __name__ == "__main__":
    main()
