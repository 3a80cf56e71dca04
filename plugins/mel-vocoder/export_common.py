"""What the HiFi-GAN and BigVGAN export scripts share: the ONNX export with the tensor names
and dynamic axes of the plugins' graph contracts, the weight folder's config.json, and the
contract check run by the hub's own code (check-export.ts) on the exported file.

Needs only Debian's python3-torch and python3-numpy (torch 1.13, TorchScript exporter).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPSET = 17


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


def load_generator_state(model, checkpoint_path):
    """Loads an official generator checkpoint ({'generator': state_dict}, weight norm on)."""
    state = torch.load(checkpoint_path, map_location="cpu")
    state = state.get("generator", state)
    missing, unexpected = model.load_state_dict(state, strict=False)
    # Buffers the export adds (pre-expanded filters) are rebuilt, not loaded.
    missing = [k for k in missing if not k.endswith("filter_expanded")]
    if missing or unexpected:
        raise SystemExit(f"checkpoint does not fit the architecture: missing {missing[:5]}, unexpected {unexpected[:5]}")


def export_generator(model, n_mels, out_dir, dynamic_mels):
    """Exports `mel [batch, n_mels, frames] -> audio [batch, 1, frames*hop]` as generator.onnx."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "generator.onnx")
    example = torch.randn(1, n_mels, 32)
    mel_axes = {0: "batch", 2: "frames"}
    if dynamic_mels:
        mel_axes[1] = "mels"
    with torch.no_grad():
        torch.onnx.export(
            model, example, path, input_names=["mel"], output_names=["audio"], opset_version=OPSET,
            dynamic_axes={"mel": mel_axes, "audio": {0: "batch", 2: "samples"}}, do_constant_folding=True)
    return path


def write_config(out_dir, config):
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def check_with_hub(plugin_dir, model, onnx_path, n_mels, frames=57):
    """Runs the exported graph through the hub's contract and feed checks of the plugin in
    `plugin_dir` (relative to plugins/) and compares its output with PyTorch's on a length
    it was not traced at."""
    torch.manual_seed(1)
    mel = torch.randn(1, n_mels, frames) * 2 - 5  # roughly the range of a log-mel
    with torch.no_grad():
        expected = model(mel).numpy().astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "mel.npy"), mel.numpy().astype(np.float32))
        np.save(os.path.join(tmp, "audio.npy"), expected)
        command = ["node", "--import", "tsx", os.path.join(ROOT, "plugins", "mel-vocoder", "check-export.ts"),
                   os.path.join(ROOT, "plugins", plugin_dir), onnx_path, os.path.join(tmp, "mel.npy"), os.path.join(tmp, "audio.npy")]
        result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def shrink(config):
    """The test run's generator (`--random ... --small`): the published upsampling stages with
    64 channels after the first layer instead of 128..1536 (halved per stage as published) and
    one residual block per stage (the first kernel size, every dilation) instead of three.
    The same classes and graph cut; the TorchScript exporter's time grows with the node count
    faster than linearly, so fewer blocks is what makes the run take seconds."""
    return {**config, "upsample_initial_channel": 64, "resblock_kernel_sizes": config["resblock_kernel_sizes"][:1],
            "resblock_dilation_sizes": config["resblock_dilation_sizes"][:1]}


def parse_export_args(description, choices, checkpoint_help, random_help):
    """The command line both vocoder export scripts take: a checkpoint (with its config.json)
    or a random configuration, the output folder, and whether to check with the hub."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help=checkpoint_help)
    source.add_argument("--random", choices=sorted(choices), help=random_help)
    parser.add_argument("--config", help="the checkpoint's config.json (required with --checkpoint)")
    parser.add_argument("--out", required=True, help="weight folder to write generator.onnx and config.json into")
    parser.add_argument("--check", action="store_true", help="check the export with the hub's contract checks (needs node)")
    parser.add_argument("--small", action="store_true", help="with --random: a narrow generator, for a quick test of the recipe")
    args = parser.parse_args()
    config = None
    if args.checkpoint and os.path.isdir(args.checkpoint):
        # A checkpoint folder (`hub models export <plugin> --checkpoint <folder>`): its
        # config.json and the one generator checkpoint beside it.
        folder = args.checkpoint
        args.config = args.config or os.path.join(folder, "config.json")
        candidates = sorted(f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f))
                            and (f.startswith("g_") or f.endswith((".pt", ".pth", ".ckpt", ".bin"))))
        if len(candidates) != 1:
            parser.error(f"{folder} must hold config.json and exactly one generator checkpoint (g_* or *.pt/.pth/.ckpt/.bin); found {candidates or 'none'}")
        args.checkpoint = os.path.join(folder, candidates[0])
    if args.checkpoint:
        if not args.config:
            parser.error("--config is required with --checkpoint")
        if not os.path.isfile(args.config):
            parser.error(f"the checkpoint's config.json is missing: {args.config}")
        with open(args.config) as f:
            config = json.load(f)
    return args, config
