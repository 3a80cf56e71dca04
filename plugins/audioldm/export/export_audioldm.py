"""Exports AudioLDM to the four ONNX graphs the `audioldm` plugin declares.

  # a diffusers folder (e.g. a download of cvssp/audioldm-s-full-v2):
  python3 plugins/audioldm/export/export_audioldm.py --checkpoint audioldm-s-full-v2 --out data/models/audioldm
  # no checkpoint: a randomly initialised copy (--small: shrunk), checked against the contracts and torch
  python3 plugins/audioldm/export/export_audioldm.py --random --small --out /tmp/audioldm --check

Writes text_encoder.onnx, unet.onnx, vae_decoder.onnx, vocoder.onnx, and copies
tokenizer/tokenizer.json and scheduler/scheduler_config.json beside them. See EXPORT.md.
Needs only Debian's python3-torch (no diffusers, no transformers).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))
from clap_text import ClapTextWithProjection  # noqa: E402
from export_common import check_with_hub, count_parameters, export, write_cases  # noqa: E402
from unet import AudioLdmUNet  # noqa: E402
from vae_decoder import VaeDecoder  # noqa: E402
from vocoder import SpeechT5HifiGan  # noqa: E402

# Shrunk layouts for the recipe's own test: every kind of block, tiny widths. The contract's
# fixed sizes (512-d text space, 8 latent channels, 64 mels, ×160 upsampling) are kept.
SMALL = {
    "text_encoder": dict(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64),
    "unet": dict(block_out_channels=[16, 32, 32, 48], attention_head_dim=2, norm_num_groups=8, layers_per_block=1),
    "vae": dict(block_out_channels=[16, 32, 32], norm_num_groups=8, scaling_factor=0.9, layers_per_block=1),
    "vocoder": dict(upsample_initial_channel=32),
}
PARTS = {"text_encoder": ClapTextWithProjection, "unet": AudioLdmUNet, "vae": VaeDecoder, "vocoder": SpeechT5HifiGan}


def read_config(folder, part):
    path = os.path.join(folder, part, "config.json")
    with open(path) as f:
        return json.load(f)


def read_state(folder, part):
    """The sub-folder's weights: safetensors when the safetensors package is there, else the .bin."""
    for name in ("diffusion_pytorch_model.safetensors", "model.safetensors"):
        path = os.path.join(folder, part, name)
        if os.path.exists(path):
            try:
                from safetensors.torch import load_file
                return load_file(path)
            except ImportError:
                pass
    for name in ("diffusion_pytorch_model.bin", "pytorch_model.bin"):
        path = os.path.join(folder, part, name)
        if os.path.exists(path):
            return torch.load(path, map_location="cpu")
    raise SystemExit(f"{folder}/{part}: no weights (.bin, or .safetensors with the safetensors package)")


def fold_weight_norm(state):
    """weight = g · v / ‖v‖ (norm over every dim but 0), for checkpoints saved with weight norm."""
    out = {}
    for key, value in state.items():
        if key.endswith(".weight_g"):
            base = key[: -len("_g")]
            v = state[base + "_v"]
            norm = v.flatten(1).norm(dim=1).view(-1, *([1] * (v.dim() - 1)))
            out[base] = value * v / norm
        elif not key.endswith(".weight_v"):
            out[key] = value
    return out


# diffusers before 0.17 saved the VAE's attention as query/key/value/proj_attn (the 2023
# uploads of cvssp/audioldm* may); today's names are to_q/to_k/to_v/to_out.0.
OLD_VAE_ATTENTION = {".query.": ".to_q.", ".key.": ".to_k.", ".value.": ".to_v.", ".proj_attn.": ".to_out.0."}


def vae_key(key):
    for old, new in OLD_VAE_ATTENTION.items():
        key = key.replace(old, new)
    return key


def load(part, config, state):
    model = PARTS[part](config)
    if state is not None:
        state = fold_weight_norm(state)
        if part == "vae":  # the decoder half of AutoencoderKL
            state = {vae_key(k): v for k, v in state.items() if k.startswith(("decoder.", "post_quant_conv."))}
        if part == "text_encoder":  # position_ids / token_type_ids buffers of transformers
            state = {k: v for k, v in state.items() if not k.endswith(("position_ids", "token_type_ids"))}
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise SystemExit(f"{part}: state dict does not match the layout: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.eval()


def export_all(models, out):
    text, unet, vae, vocoder = models["text_encoder"], models["unet"], models["vae"], models["vocoder"]
    ids = torch.tensor([[0, 100, 200, 2]])
    export(text, (ids, torch.ones_like(ids)), os.path.join(out, "text_encoder.onnx"), ["input_ids", "attention_mask"], ["text_embeds"],
           {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "text_embeds": {0: "batch"}})
    sample = torch.randn(2, 8, 13, 16)
    export(unet, (sample, torch.tensor([981, 981]), torch.randn(2, 512)), os.path.join(out, "unet.onnx"),
           ["sample", "timestep", "class_labels"], ["noise"],
           {"sample": {0: "batch", 2: "latent_frames"}, "timestep": {0: "batch"}, "class_labels": {0: "batch"}, "noise": {0: "batch", 2: "latent_frames"}})
    export(vae, (torch.randn(1, 8, 13, 16),), os.path.join(out, "vae_decoder.onnx"), ["latent"], ["mel"],
           {"latent": {0: "batch", 2: "latent_frames"}, "mel": {0: "batch", 2: "mel_frames"}})
    export(vocoder, (torch.randn(1, 52, 64),), os.path.join(out, "vocoder.onnx"), ["mel"], ["audio"],
           {"mel": {0: "batch", 1: "frames"}, "audio": {0: "batch", 1: "samples"}})


def check(models, out):
    """Torch outputs at shapes the export was not traced at, checked by the hub's own code."""
    g = torch.Generator().manual_seed(1)
    ids = torch.tensor([[0, 31, 7, 250, 12, 2], [0, 5, 2, 1, 1, 1]])
    mask = (ids != 1).long()
    mask[:, 0] = 1
    sample, t, labels = torch.randn(1, 8, 25, 16, generator=g), torch.tensor([501]), torch.randn(1, 512, generator=g)
    latent, mel = torch.randn(2, 8, 7, 16, generator=g), torch.randn(1, 40, 64, generator=g) - 5
    with torch.no_grad():
        cases = {
            "text_encoder": ({"input_ids": ids, "attention_mask": mask}, {"text_embeds": models["text_encoder"](ids, mask)}),
            "unet": ({"sample": sample, "timestep": t, "class_labels": labels}, {"noise": models["unet"](sample, t, labels)}),
            "vae_decoder": ({"latent": latent}, {"mel": models["vae"](latent)}),
            "vocoder": ({"mel": mel}, {"audio": models["vocoder"](mel)}),
        }
    path = os.path.join(tempfile.mkdtemp(prefix="audioldm-cases-"), "cases.json")
    write_cases(path, cases)
    check_with_hub("audioldm", out, path)


def copy_side_files(folder, out):
    for sub, name in (("tokenizer", "tokenizer.json"), ("tokenizer", "tokenizer_config.json"), ("scheduler", "scheduler_config.json")):
        source = os.path.join(folder, sub, name)
        if os.path.exists(source):
            shutil.copy(source, os.path.join(out, name))
            print(f"copied {sub}/{name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="a diffusers AudioLDM folder (text_encoder/ unet/ vae/ vocoder/ tokenizer/ scheduler/)")
    source.add_argument("--random", action="store_true", help="randomly initialised weights")
    parser.add_argument("--small", action="store_true", help="with --random: shrunk widths")
    parser.add_argument("--check", action="store_true", help="compare the graphs with torch through the plugin's contracts")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    torch.manual_seed(0)
    models = {}
    for part in PARTS:
        config = read_config(args.checkpoint, part) if args.checkpoint else (SMALL[part] if args.small else {})
        models[part] = load(part, config, read_state(args.checkpoint, part) if args.checkpoint else None)
        print(f"{part}: {count_parameters(models[part]) / 1e6:.2f} M parameters")
    export_all(models, args.out)
    if args.checkpoint:
        copy_side_files(args.checkpoint, args.out)
    if args.check:
        check(models, args.out)


if __name__ == "__main__":
    main()
