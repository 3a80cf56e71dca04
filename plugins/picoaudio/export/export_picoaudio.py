"""Exports PicoAudio to the two ONNX graphs the `picoaudio` plugin declares (its VAE decoder
and vocoder are AudioLDM-S's: export those with plugins/audioldm/export/export_audioldm.py).

  # the trained model (the state dict train.py saves, keys unet.* / class_emb.*), its UNet
  # config (picoaudio/utils/configs/frequency.json) and the LAION-CLAP text branch as the
  # Hugging Face ClapModel folder (config.json with text_config, pytorch_model.bin):
  python3 plugins/picoaudio/export/export_picoaudio.py --checkpoint best.pt --unet-config frequency.json \\
      --clap clap-htsat-unfused --out data/models/picoaudio
  # no checkpoint: shrunk randomly initialised copies, checked against the contracts and torch
  python3 plugins/picoaudio/export/export_picoaudio.py --random --out /tmp/picoaudio --check

See EXPORT.md. Needs only Debian's python3-torch.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "audioldm", "export"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))
from clap_text import ClapTextWithProjection  # noqa: E402
from export_common import check_with_hub, count_parameters, export, write_cases  # noqa: E402
from unet import UNet2DCondition  # noqa: E402

FREQUENCY_JSON = dict(attention_head_dim=[4, 8, 16, 16], block_out_channels=[128, 256, 512, 512], cross_attention_dim=1024,
                      down_block_types=["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"], in_channels=10, out_channels=8,
                      layers_per_block=2, up_block_types=["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3, use_linear_projection=True)
SMALL_UNET = dict(FREQUENCY_JSON, attention_head_dim=[2, 2, 2, 2], block_out_channels=[16, 32, 32, 32], norm_num_groups=8, layers_per_block=1)
SMALL_CLAP = dict(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
ROWS, FRAMES = 32, 256


class PicoUNet(nn.Module):
    """sample [B, 8, 256, 16], timestep [B], timestamps [B, 32, 256], event_embedding [B, 512] → prediction.
    Folds in controllable_diffusion.py's encode_channel (the matrix as 2 channels of [256, 16],
    concatenated before the latent) and ClapText_Onset encode_text (the embedding repeated to
    1024, one context token)."""

    def __init__(self, config):
        super().__init__()
        self.unet = UNet2DCondition(config)

    def forward(self, sample, timestep, timestamps, event_embedding):
        onset = timestamps.reshape(-1, 2, 16, FRAMES).transpose(2, 3)
        # repeat_interleave(2, dim=-1).unsqueeze(1), written so the export keeps the batch dynamic
        context = torch.stack([event_embedding, event_embedding], dim=-1).flatten(1).unsqueeze(1)
        return self.unet(torch.cat([onset, sample], dim=1), timestep, context=context)


def load_clap(folder, small):
    if folder is None:
        return ClapTextWithProjection(SMALL_CLAP if small else {}).eval()
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = ClapTextWithProjection(config.get("text_config", config))
    state = torch.load(os.path.join(folder, "pytorch_model.bin"), map_location="cpu")
    # ClapModel holds both towers; the text tower is text_model.* and text_projection.*
    state = {k: v for k, v in state.items() if k.startswith(("text_model.", "text_projection.")) and not k.endswith(("position_ids", "token_type_ids"))}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"clap: state dict does not match: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.eval()


def load_unet(checkpoint, config):
    model = PicoUNet(config)
    if checkpoint:
        state = torch.load(checkpoint, map_location="cpu")
        state = {k: v for k, v in state.items() if k.startswith("unet.")}  # class_emb.* is unused by the CLAP variant
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise SystemExit(f"unet: state dict does not match: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", help="PicoAudio's trained state dict (best.pt)")
    parser.add_argument("--unet-config", help="picoaudio/utils/configs/frequency.json")
    parser.add_argument("--clap", help="Hugging Face ClapModel folder of LAION-CLAP (e.g. laion/clap-htsat-unfused)")
    parser.add_argument("--random", action="store_true", help="shrunk randomly initialised networks")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if not args.random and not (args.checkpoint and args.clap):
        parser.error("give --checkpoint and --clap, or --random")
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)

    clap = load_clap(None if args.random else args.clap, args.random)
    if args.random:
        unet_config = SMALL_UNET
    elif args.unet_config:
        with open(args.unet_config) as f:
            unet_config = json.load(f)
    else:
        unet_config = FREQUENCY_JSON
    unet = load_unet(None if args.random else args.checkpoint, unet_config)
    print(f"text_encoder: {count_parameters(clap) / 1e6:.2f} M parameters, unet: {count_parameters(unet) / 1e6:.2f} M parameters")

    ids = torch.tensor([[0, 100, 200, 2]])
    export(clap, (ids, torch.ones_like(ids)), os.path.join(args.out, "text_encoder.onnx"), ["input_ids", "attention_mask"], ["text_embeds"],
           {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "text_embeds": {0: "batch"}})
    example = (torch.randn(2, 8, FRAMES, 16), torch.tensor([981, 981]), torch.zeros(2, ROWS, FRAMES), torch.randn(2, 512))
    export(unet, example, os.path.join(args.out, "unet.onnx"), ["sample", "timestep", "timestamps", "event_embedding"], ["prediction"],
           {"sample": {0: "batch"}, "timestep": {0: "batch"}, "timestamps": {0: "batch"}, "event_embedding": {0: "batch"}, "prediction": {0: "batch"}})
    if args.clap and os.path.exists(os.path.join(args.clap, "tokenizer.json")):
        shutil.copy(os.path.join(args.clap, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))

    if args.check:
        g = torch.Generator().manual_seed(3)
        ids = torch.tensor([[0, 31, 7, 250, 2]])
        timestamps = torch.zeros(1, ROWS, FRAMES)
        timestamps[0, 2, 12:50] = 1
        timestamps[0, 17, 125:162] = 1
        sample, t, event = torch.randn(1, 8, FRAMES, 16, generator=g), torch.tensor([421]), torch.randn(1, 512, generator=g)
        with torch.no_grad():
            cases = {
                "text_encoder": ({"input_ids": ids, "attention_mask": torch.ones_like(ids)}, {"text_embeds": clap(ids, torch.ones_like(ids))}),
                "unet": ({"sample": sample, "timestep": t, "timestamps": timestamps, "event_embedding": event},
                         {"prediction": unet(sample, t, timestamps, event)}),
            }
        path = os.path.join(tempfile.mkdtemp(prefix="picoaudio-cases-"), "cases.json")
        write_cases(path, cases)
        check_with_hub("picoaudio", args.out, path)


if __name__ == "__main__":
    main()
