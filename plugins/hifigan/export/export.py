"""Exports a HiFi-GAN generator to the ONNX graph the `hifigan` plugin declares.

  # an official checkpoint (e.g. UNIVERSAL_V1/g_02500000 with its config.json):
  python3 plugins/hifigan/export/export.py --checkpoint g_02500000 --config config.json --out data/models/hifigan
  # no checkpoint: a randomly initialised V1/V2/V3, to check the recipe and the contract:
  python3 plugins/hifigan/export/export.py --random v2 --out /tmp/hifigan-random --check

Writes generator.onnx and config.json (the family metadata the plugin reads). See EXPORT.md.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "mel-vocoder"))
sys.path.insert(0, os.path.dirname(__file__))
from export_common import check_with_hub, parse_export_args, count_parameters, export_generator, load_generator_state, shrink, write_config  # noqa: E402
from hifigan_generator import CONFIGS, Generator  # noqa: E402

# Audio parameters shared by every published HiFi-GAN checkpoint (meldataset.py + config_v*.json).
AUDIO = dict(sampling_rate=22050, num_mels=80, n_fft=1024, hop_size=256, win_size=1024, fmin=0, fmax=8000)
ARCH_KEYS = ["resblock", "upsample_rates", "upsample_kernel_sizes", "upsample_initial_channel",
             "resblock_kernel_sizes", "resblock_dilation_sizes"]


def main():
    args, config = parse_export_args(__doc__, CONFIGS, "official generator checkpoint ({'generator': state_dict})",
                                     "randomly initialised generator of this size")
    if args.checkpoint:
        family = args.checkpoint
    else:
        config = {**AUDIO, **CONFIGS[args.random]}
        family = args.random
        if args.small:
            config = shrink(config)

    model = Generator(n_mels=config["num_mels"], **{k: config[k] for k in ARCH_KEYS})
    if args.checkpoint:
        load_generator_state(model, args.checkpoint)
    else:
        torch.manual_seed(0)
    # Weight norm is a training-time reparametrisation; folding it gives plain convolutions.
    model.remove_weight_norm()
    model.eval()
    print(f"hifigan {family}: {count_parameters(model) / 1e6:.2f} M parameters")

    path = export_generator(model, config["num_mels"], args.out, dynamic_mels=False)
    write_config(args.out, config)
    print(f"wrote {path} and config.json")
    if args.check:
        check_with_hub("hifigan", model, path, config["num_mels"])


if __name__ == "__main__":
    main()
