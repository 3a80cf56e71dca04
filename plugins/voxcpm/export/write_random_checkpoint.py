"""Writes a checkpoint folder laid out as the releases are (config.json, pytorch_model.bin in
bfloat16, audiovae.pth as {"state_dict": ...} with weight-norm parameters), from shrunk random
modules, so the recipe's --checkpoint path (reading, dtype, strict names) runs in a test.

  python3 plugins/voxcpm/export/write_random_checkpoint.py --variant 2 --out /tmp/voxcpm2-ckpt
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_voxcpm import VARIANTS, make_vae, shrink  # noqa: E402
from voxcpm_modules import VoxCPM  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=["0.5B", "2"], default="0.5B")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(3)
    variant = VARIANTS[args.variant]
    config = shrink(variant["config"])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f)
    model = VoxCPM(config, variant["version"])
    torch.save({k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}, os.path.join(args.out, "pytorch_model.bin"))
    torch.save({"state_dict": make_vae(config["audio_vae_config"], variant["version"]).state_dict()}, os.path.join(args.out, "audiovae.pth"))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
