"""Exports an NSF-HiFiGAN generator to the graph the `nsf_hifigan` plugin declares
(mel [1, 100, frames], excitation [1, frames·256, 9] → audio [1, 1, frames·256]).

  # Amphion's vocoder recipe checkpoint (egs/vocoder/gan/nsfhifigan; the generator's state dict):
  python3 plugins/nsf-hifigan/export/export_nsf_hifigan.py --checkpoint generator.pt --out data/models/nsf_hifigan
  # a checkpoint trained with the NSF source branch in use (not Amphion's): add --nsf-source
  # no checkpoint: a shrunk random-init generator, checked through the contract and against torch
  python3 plugins/nsf-hifigan/export/export_nsf_hifigan.py --random --small --check --out /tmp/nsf

--sine-check also compares the TypeScript excitation (excitation.ts) with SineGen in torch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "plugins", "codec-tokens"))
from export_common import check_with_hub, count_parameters, export, remove_weight_norms, write_cases  # noqa: E402
from nsf_modules import CONFIGS, Generator, SineGen, shrink  # noqa: E402


def load_state(model, path):
    state = torch.load(path, map_location="cpu")
    for key in ("generator", "model", "state_dict"):
        if isinstance(state, dict) and key in state and isinstance(state[key], dict):
            state = state[key]
    state = {k.split("generator.", 1)[-1]: v for k, v in state.items()}
    # SourceModuleHnNSF lives at m_source.l_linear in Amphion's module tree
    state = {k.replace("m_source.l_linear.", "l_linear."): v for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"checkpoint does not fit NSF-HiFiGAN: missing {missing[:5]}, unexpected {unexpected[:5]}")


def export_generator(model, config, path):
    frames = 9
    hop = 1
    for r in config["upsample_rates"]:
        hop *= r
    export(model, (torch.randn(1, config["n_mel"], frames), torch.randn(1, frames * hop, config["harmonic_num"] + 1) * 0.1), path,
           ["mel", "excitation"], ["audio"], {"mel": {2: "frames"}, "excitation": {1: "samples"}, "audio": {2: "samples"}})
    return hop


def case(model, config, hop, frames=13):
    g = torch.Generator().manual_seed(1)
    mel = torch.randn(1, config["n_mel"], frames, generator=g) - 4
    f0 = torch.full((1, frames), 220.0)
    f0[0, :3] = 0
    sines = SineGen(24000, config["harmonic_num"])(f0, hop, torch.rand(config["harmonic_num"] + 1, generator=g) * torch.tensor([0.0] + [1.0] * config["harmonic_num"]))
    with torch.no_grad():
        return {"mel": mel, "excitation": sines}, {"audio": model(mel, sines)}


def sine_check():
    """SineGen in torch against excitation.ts (run by node) on a contour with unvoiced frames."""
    f0 = torch.tensor([[0.0, 0.0, 110.0, 112.5, 220.0, 440.0, 880.0, 0.0, 1046.5, 300.0, 301.0]])
    phases = torch.tensor([0.0] + [0.1 * k for k in range(1, 9)])
    sines = SineGen(24000, 8)(f0, 256, phases)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sine.json")
        with open(path, "w") as f:
            json.dump({"f0": f0[0].tolist(), "phases": phases.tolist(), "expected": sines[0].reshape(-1).tolist(), "sampleRate": 24000, "upp": 256, "harmonics": 8}, f)
        result = subprocess.run(["node", "--import", "tsx", os.path.join(HERE, "check-sine.ts"), path], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="the generator's state dict (Amphion NSF-HiFiGAN vocoder)")
    source.add_argument("--random", action="store_true", help="randomly initialised weights")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="vocoder", help="architecture (vocoder: the standalone recipe)")
    parser.add_argument("--nsf-source", action="store_true", help="merge the harmonic source (NSF design) instead of Amphion's unused branch")
    parser.add_argument("--small", action="store_true", help="with --random: a narrow generator")
    parser.add_argument("--check", action="store_true", help="check through the plugin's contract and against torch (needs node)")
    parser.add_argument("--sine-check", action="store_true", help="compare excitation.ts with SineGen")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    config = CONFIGS[args.config]
    if args.random and args.small:
        config = shrink(config)
    torch.manual_seed(0)
    model = Generator(**config, amphion_source=not args.nsf_source)
    if args.checkpoint:
        load_state(model, args.checkpoint)
    remove_weight_norms(model)
    model.eval()
    print(f"nsf-hifigan ({args.config}): {count_parameters(model) / 1e6:.2f} M parameters")
    os.makedirs(args.out, exist_ok=True)
    hop = export_generator(model, config, os.path.join(args.out, "generator.onnx"))
    if args.check:
        if args.config != "vocoder":
            raise SystemExit("--check reads the nsf_hifigan plugin's contract: use --config vocoder (VitsSVC's decoder is checked by export_svc.py)")
        path = os.path.join(tempfile.mkdtemp(prefix="nsf-cases-"), "cases.json")
        write_cases(path, {"generator": case(model, config, hop)})
        check_with_hub("nsf-hifigan", args.out, path)
    if args.sine_check:
        sine_check()


if __name__ == "__main__":
    main()
