"""Exports a BigVGAN generator to the ONNX graph the `bigvgan` plugin declares.

  # an official checkpoint (HF nvidia/bigvgan_*: bigvgan_generator.pt + config.json):
  python3 plugins/bigvgan/export/export.py --checkpoint bigvgan_generator.pt --config config.json --out data/models/bigvgan
  # no checkpoint: a randomly initialised copy of a published configuration, to check the recipe:
  python3 plugins/bigvgan/export/export.py --random bigvgan_base_24khz_100band --out /tmp/bigvgan-random --check

Writes generator.onnx and config.json (the checkpoint family the plugin reads). See EXPORT.md.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "mel-vocoder"))
sys.path.insert(0, os.path.dirname(__file__))
from bigvgan_generator import COMMON, CONFIGS, BigVGAN  # noqa: E402
from export_common import check_with_hub, parse_export_args, count_parameters, export_generator, load_generator_state, shrink, write_config  # noqa: E402

# Audio parameters of the published configs (sampling_rate, n_fft, hop_size, win_size, fmin, fmax).
AUDIO = {
    "bigvgan_base_24khz_100band": dict(sampling_rate=24000, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=12000),
    "bigvgan_base_22khz_80band": dict(sampling_rate=22050, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=8000),
    "bigvgan_v2_24khz_100band_256x": dict(sampling_rate=24000, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=None),
    "bigvgan_v2_22khz_80band_256x": dict(sampling_rate=22050, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=None),
    "bigvgan_v2_44khz_128band_256x": dict(sampling_rate=44100, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=None),
    "bigvgan_v2_44khz_128band_512x": dict(sampling_rate=44100, n_fft=2048, hop_size=512, win_size=2048, fmin=0, fmax=None),
}


def main():
    args, config = parse_export_args(__doc__, CONFIGS, "official generator checkpoint (bigvgan_generator.pt)",
                                     "randomly initialised generator of this configuration")
    if config is None:
        config = {**COMMON, **CONFIGS[args.random], **AUDIO[args.random]}
        if args.small:
            config = shrink(config)
    # The official code refuses the fused CUDA activation kernel on export; it is never used here.
    config["use_cuda_kernel"] = False

    model = BigVGAN(**config)
    if args.checkpoint:
        load_generator_state(model, args.checkpoint)
    else:
        torch.manual_seed(0)
        # Snake parameters start at 0 (log-scale 1); move them so the check exercises them.
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name.endswith(".alpha") or name.endswith(".beta"):
                    p.uniform_(-0.5, 0.5)
    model.remove_weight_norm()
    model.eval()
    print(f"bigvgan {args.random or 'checkpoint'}: {count_parameters(model) / 1e6:.2f} M parameters")

    # The mel bins follow the checkpoint (80, 100, 128): the contract names that axis `mels`.
    path = export_generator(model, config["num_mels"], args.out, dynamic_mels=True)
    write_config(args.out, config)
    print(f"wrote {path} and config.json")
    if args.check:
        # The 512x checkpoint is served by its own plugin, with a frames*512 contract.
        check_with_hub("bigvgan/512x" if config["hop_size"] == 512 else "bigvgan", model, path, config["num_mels"])


if __name__ == "__main__":
    main()
