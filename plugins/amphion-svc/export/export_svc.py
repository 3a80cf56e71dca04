"""Exports one Amphion SVC model to the graphs its plugin declares (plugins/amphion-svc/graphs.ts).

  # an Amphion checkpoint folder (ckpts/svc/<expt>: args.json, checkpoint/<step>/pytorch_model.bin,
  # singers.json) with the processed data's pitch statistics and mel extrema:
  python3 plugins/amphion-svc/export/export_svc.py --variant multiplecontentssvc --checkpoint ckpts/svc/vocalist_l1 \
      --contentvec pretrained/contentvec/checkpoint_best_legacy_500.pt --data data --out data/models/multiplecontentssvc
  # no checkpoint: shrunk random-init networks with the contract's tensor widths, checked against torch
  python3 plugins/amphion-svc/export/export_svc.py --variant vitssvc --random --small --check --out /tmp/vitssvc

The Whisper-medium encoder graph comes from the whisper-encoder plugin's export (EXPORT.md).
"""
import argparse
import glob
import json
import os
import shutil
import sys
import tempfile

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "plugins", "codec-tokens"))
from export_common import check_with_hub, count_parameters, export, remove_weight_norms, write_cases  # noqa: E402
from svc_modules import ConditionEncoder, Conformer, DiffusionWrapper, NsfGenerator, VitsPrior  # noqa: E402

VARIANTS = ["multiplecontentssvc", "diffcomosvc", "transformersvc", "vitssvc"]
CONTENT = ["pitch", "uv", "loudness", "whisper", "contentvec", "singer"]


class Sequence(nn.Module):
    """ConditionEncoder then a mapper over its [B, T, 384] output (ComoSVC's prior, TransformerSVC's conformer)."""

    def __init__(self, condition, mapper):
        super().__init__()
        self.condition_encoder, self.mapper = condition, mapper

    def forward(self, *inputs):
        return self.mapper(self.condition_encoder(*inputs))


class ContentVec(nn.Module):
    """fairseq HuBERT-base (ContentVec legacy 500) as torchaudio holds it: layer 12 → final_proj."""

    def __init__(self, model, layers, final_proj):
        super().__init__()
        self.model, self.layers, self.final_proj = model, layers, final_proj

    def forward(self, waveform):
        return self.final_proj(self.model.extract_features(waveform, num_layers=self.layers)[0][-1])


def contentvec_random(small):
    from torchaudio.models import wav2vec2_model
    conv = [(32 if small else 512, 10, 5)] + [(32 if small else 512, 3, 2)] * 4 + [(32 if small else 512, 2, 2)] * 2
    dim = 64 if small else 768
    model = wav2vec2_model(extractor_mode="group_norm", extractor_conv_layer_config=conv, extractor_conv_bias=False,
                           encoder_embed_dim=dim, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=128, encoder_pos_conv_groups=16,
                           encoder_num_layers=2 if small else 12, encoder_num_heads=4 if small else 12, encoder_attention_dropout=0.0,
                           encoder_ff_interm_features=128 if small else 3072, encoder_ff_interm_dropout=0.0, encoder_dropout=0.0,
                           encoder_layer_norm_first=False, encoder_layer_drop=0.0, aux_num_out=None)
    return ContentVec(model, 2 if small else 12, nn.Linear(dim, 256))


def contentvec_fairseq(path):
    """checkpoint_best_legacy_500.pt through torchaudio's fairseq import (needs fairseq to unpickle)."""
    from fairseq import checkpoint_utils
    from torchaudio.models.wav2vec2.utils import import_fairseq_model
    models, _, _ = checkpoint_utils.load_model_ensemble_and_task([path], suffix="")
    return ContentVec(import_fairseq_model(models[0]), 12, models[0].final_proj)


def build(variant, small, whisper=True, contentvec=True):
    """The variant's networks with Amphion's sizes (egs/svc/<Model>/exp_config.json), or shrunk ones."""
    cond = lambda: ConditionEncoder(whisper, contentvec)  # noqa: E731
    if variant == "multiplecontentssvc":
        den = dict(base_channel=32, n_res_block=4) if small else dict(base_channel=512, n_res_block=40)
        return {"condition": cond(), "denoiser": DiffusionWrapper(conditioner_size=384, **den)}
    if variant == "diffcomosvc":
        prior = dict(n_layers=1, filter_channels=64) if small else dict(n_layers=6, filter_channels=512)
        den = dict(base_channel=32, n_res_block=4) if small else dict(base_channel=384, n_res_block=20)
        return {"condition": Sequence(cond(), Conformer(**prior)), "denoiser": DiffusionWrapper(conditioner_size=100, **den)}
    if variant == "transformersvc":
        mapper = dict(n_layers=1, filter_channels=64) if small else dict(n_layers=6, filter_channels=512)
        return {"acoustic": Sequence(cond(), Conformer(**mapper))}
    prior = dict(n_layers=1, filter_channels=64, n_flow_layer=1, gin=16) if small else {}
    nsf = dict(n_mel=384, harmonic_num=8, upsample_rates=[8, 8, 2, 2], upsample_kernel_sizes=[16, 16, 4, 4], upsample_initial_channel=32 if small else 768,
               resblock_kernel_sizes=[3] if small else [3, 7, 11], resblock_dilation_sizes=[[1, 3, 5]] * (1 if small else 3))
    return {"prior": VitsPrior(whisper, contentvec, **prior), "decoder": NsfGenerator(**nsf)}


def condition_inputs(frames, g, singer=3):
    return {
        "pitch": torch.randint(1, 256, (1, frames), generator=g),
        "uv": torch.randint(0, 2, (1, frames), generator=g),
        "loudness": torch.randint(0, 256, (1, frames), generator=g),
        "whisper": torch.randn(1, frames, 1024, generator=g),
        "contentvec": torch.randn(1, frames, 256, generator=g),
        "singer": torch.tensor([singer]),
    }


def graph_io(name, frames, g):
    """(inputs in the contract's order, their names, output names, dynamic axes) per graph."""
    frame_axes = {1: "frames"}
    if name in ("condition", "acoustic", "prior"):
        feeds = condition_inputs(frames, g)
        if name == "prior":
            feeds["noise"] = torch.randn(1, 384, frames, generator=g)
        out = {"condition": "condition", "acoustic": "mel", "prior": "latent"}[name]
        axes = {k: ({2: "frames"} if k == "noise" else frame_axes) for k in feeds if k != "singer"}
        axes[out] = {2: "frames"} if name == "prior" else frame_axes
        return feeds, [out], axes
    if name == "denoiser":
        return None, ["output"], {"x": frame_axes, "condition": frame_axes, "output": frame_axes}
    if name == "decoder":
        return None, ["audio"], {"mel": {2: "frames"}, "excitation": {1: "samples"}, "audio": {2: "samples"}}
    if name == "contentvec":
        return {"waveform": torch.randn(1, 320 * frames + 80, generator=g) * 0.1}, ["features"], {"waveform": {1: "samples"}, "features": {1: "frames"}}
    raise KeyError(name)


def denoiser_inputs(model, frames, g):
    c = model.neural_network.residual_blocks[0].gau.context_proj.in_channels
    return {"x": torch.randn(1, frames, 100, generator=g), "step": torch.tensor([0.37 if c == 100 else 501.0]), "condition": torch.randn(1, frames, c, generator=g)}


def decoder_inputs(frames, g):
    return {"mel": torch.randn(1, 384, frames, generator=g), "excitation": torch.randn(1, frames * 256, 9, generator=g) * 0.1}


def inputs_for(name, model, frames, g):
    if name == "denoiser":
        return denoiser_inputs(model, frames, g)
    if name == "decoder":
        return decoder_inputs(frames, g)
    return graph_io(name, frames, g)[0]


FILES = {"condition": "condition_encoder.onnx", "denoiser": "denoiser.onnx", "acoustic": "acoustic.onnx", "prior": "prior.onnx",
         "decoder": "decoder.onnx", "contentvec": "contentvec.onnx"}


def export_all(models, out):
    g = torch.Generator().manual_seed(0)
    for name, model in models.items():
        feeds = inputs_for(name, model, 11, g)
        _, outputs, axes = graph_io(name, 11, g)
        export(model, tuple(feeds.values()), os.path.join(out, FILES[name]), list(feeds), outputs, axes)


def check(variant, models, out):
    """Torch outputs at a length the export was not traced at, through the hub's contract code."""
    g = torch.Generator().manual_seed(1)
    cases = {}
    for name, model in models.items():
        feeds = inputs_for(name, model, 17, g)
        with torch.no_grad():
            result = model(*feeds.values())
        cases[name] = (feeds, {graph_io(name, 17, g)[1][0]: result})
    path = os.path.join(tempfile.mkdtemp(prefix="svc-cases-"), "cases.json")
    write_cases(path, cases)
    check_with_hub(f"amphion-svc/{variant}", out, path)


def load_checkpoint(models, folder):
    """Amphion saves the ModuleList [condition_encoder, acoustic_mapper] (or the VITS model) with accelerate."""
    paths = sorted(glob.glob(os.path.join(folder, "checkpoint", "*", "pytorch_model.bin")))
    if not paths:
        raise SystemExit(f"{folder}/checkpoint/*/pytorch_model.bin not found")
    state = torch.load(paths[-1], map_location="cpu")
    print(f"loading {paths[-1]}")
    for name, model in models.items():
        if name == "contentvec":
            continue
        prefix = {"condition": ("0.", "1."), "acoustic": ("0.", "1."), "denoiser": ("1.",), "prior": ("",), "decoder": ("dec.",)}[name]
        own = {}
        for key, value in state.items():
            for i, p in enumerate(prefix):
                if key.startswith(p):
                    rest = key[len(p):]
                    if name == "decoder":
                        rest = rest.replace("m_source.l_linear.", "l_linear.")
                    elif name in ("condition", "acoustic") and len(prefix) == 2:
                        rest = ("condition_encoder." if i == 0 else "mapper.") + rest
                    own[rest] = value
        missing, _ = model.load_state_dict(own, strict=False)
        if missing:
            raise SystemExit(f"{name}: the checkpoint lacks {missing[:5]}")


def copy_side_files(folder, data, out):
    shutil.copy(os.path.join(folder, "singers.json"), os.path.join(out, "singers.json"))
    with open(os.path.join(out, "singers.json")) as f:
        singers = json.load(f)
    profiles, extrema = {}, {}
    for name in singers:
        dataset, singer = name.rsplit("_", 1)
        stats = os.path.join(data, dataset, "pitches", "statistics.json")
        if os.path.exists(stats):
            with open(stats) as f:
                profiles[name] = {"f0_median": json.load(f)[f"{dataset}_{singer}"]["voiced_positions"]["median"]}
        mm = os.path.join(data, dataset, "mel_min_max_stats")
        if dataset not in extrema and os.path.exists(os.path.join(mm, "mel_min.npy")):
            import numpy as np
            extrema[dataset] = {"min": np.load(os.path.join(mm, "mel_min.npy")).tolist(), "max": np.load(os.path.join(mm, "mel_max.npy")).tolist()}
    for file, payload in (("singer_profiles.json", profiles), ("mel_extrema.json", extrema)):
        with open(os.path.join(out, file), "w") as f:
            json.dump(payload, f)
    print(f"singers: {len(singers)}, with F0 medians: {len(profiles)}, mel extrema for {sorted(extrema)}")


def export_variant(variant, args, out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    models = build(variant, args.random and args.small)
    if args.checkpoint:
        load_checkpoint(models, args.checkpoint)
    for model in models.values():
        remove_weight_norms(model)
        model.eval()
    for name, model in models.items():
        print(f"{variant}.{name}: {count_parameters(model) / 1e6:.2f} M parameters")
    export_all(models, out)
    if args.checkpoint:
        copy_side_files(args.checkpoint, args.data or "data", out)
    return models


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=VARIANTS + ["all"], required=True, help="one model, or (with --random) all four into <out>/<variant>/")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="Amphion experiment folder (checkpoint/*/pytorch_model.bin, singers.json)")
    source.add_argument("--random", action="store_true")
    parser.add_argument("--contentvec", help="ContentVec checkpoint_best_legacy_500.pt (needs fairseq)")
    parser.add_argument("--data", help="Amphion processed data folder: <dataset>/pitches/statistics.json, <dataset>/mel_min_max_stats/")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.variant == "all" and args.checkpoint:
        parser.error("--variant all is for --random runs: a checkpoint is one model")
    variants = VARIANTS if args.variant == "all" else [args.variant]
    # ContentVec is the same network for every model: exported once, copied into each folder
    torch.manual_seed(0)
    contentvec = (contentvec_fairseq(args.contentvec) if args.contentvec else contentvec_random(args.random and args.small)).eval()
    print(f"contentvec: {count_parameters(contentvec) / 1e6:.2f} M parameters")
    first = None
    for variant in variants:
        out = args.out if args.variant != "all" else os.path.join(args.out, variant)
        models = export_variant(variant, args, out)
        if first is None:
            export_all({"contentvec": contentvec}, out)
            first = os.path.join(out, FILES["contentvec"])
        else:
            shutil.copy(first, os.path.join(out, FILES["contentvec"]))
        if args.check:
            # the shared ContentVec is compared with torch once, in the first model's folder
            check(variant, {**models, **({"contentvec": contentvec} if variant == variants[0] else {})}, out)


if __name__ == "__main__":
    main()
