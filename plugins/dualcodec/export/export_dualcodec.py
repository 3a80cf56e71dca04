#!/usr/bin/env python3
"""Export DualCodec to the graphs plugins/dualcodec/graphs.ts declares: encoder.onnx and
decoder.onnx (w2v_bert.onnx is MaskGCT's graph: see EXPORT.md).

  # a published checkpoint (HF amphion/dualcodec) and its w2v-BERT statistics:
  /usr/bin/python3 plugins/dualcodec/export/export_dualcodec.py --variant 12hz \\
      --checkpoint dualcodec_12hz_16384_4096.safetensors --stats w2vbert2_mean_var_stats_emilia.pt \\
      --out data/models/dualcodec --check
  # no checkpoint: a randomly initialised model of the published configuration, to check the recipe:
  /usr/bin/python3 plugins/dualcodec/export/export_dualcodec.py --variant 12hz --random --out /tmp/dualcodec-12hz --check

--check runs the hub's own contract checks on the files in onnxruntime-node and compares
their outputs with PyTorch's at a length the export was not traced at.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "codec-tokens"))
sys.path.insert(0, os.path.dirname(__file__))
from dualcodec_modules import CONFIGS, build  # noqa: E402
from export_common import check_with_hub, count_parameters, export, nearest_codes, remove_weight_norms, write_cases  # noqa: E402

PLUGIN_DIR = {"12hz": "dualcodec", "25hz": "dualcodec/25hz"}
SSL_DIM = 1024


class EncoderGraph(nn.Module):
    """waveform [1, 1, F·hop], semantic_features [1, F, 1024] (w2v-BERT layer 17, pooled, not
    normalised) → semantic_codes [1, 1, F], acoustic_codes [1, n_codebooks, F]: DualCodec.encode
    with every acoustic codebook; the hub keeps the first n_quantizers − 1."""

    def __init__(self, model, mean, std):
        super().__init__()
        self.model = model
        self.register_buffer("mean", mean.float().view(1, 1, -1))
        self.register_buffer("std", std.float().view(1, 1, -1))

    def forward(self, waveform, semantic_features):
        m = self.model
        # (feat - mean) / std, per channel: commutes with the average pooling done before
        feat = ((semantic_features - self.mean) / self.std).transpose(1, 2)
        semantic = m.convnext_encoder(feat)
        vq = m.semantic_vq.quantizers[0]
        semantic_codes = nearest_codes(vq.in_proj(semantic), vq.codebook.weight)
        # decode_semantic_for_codec: the latent the acoustic codes are a residual of
        semantic_latent = m.convnext_decoder(vq.embed(semantic_codes))
        residual = m.dac.encoder(waveform) - semantic_latent
        codes = []
        for q in m.dac.quantizer.quantizers:
            ids = nearest_codes(q.in_proj(residual), q.codebook.weight)
            residual = residual - q.embed(ids)
            codes.append(ids)
        return semantic_codes.unsqueeze(1), torch.stack(codes, dim=1)


class DecoderGraph(nn.Module):
    """semantic_codes [1, 1, F], acoustic_codes [1, n_codebooks, F], n_acoustic [1] → audio
    [1, 1, F·hop]: decode_from_codes with the acoustic layers from n_acoustic on left out, and
    the samples an odd-stride stage drops padded back (as the reference's pad_to_length)."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        hop = model.dac.hop_length
        with torch.no_grad():
            short = {frames: frames * hop - model.dac.decoder(torch.zeros(1, SSL_DIM, frames)).shape[-1] for frames in (2, 3)}
        if len(set(short.values())) != 1 or short[2] < 0:
            raise SystemExit(f"decoder output is not frames·hop minus a constant: {short}")
        self.missing = short[2]

    def forward(self, semantic_codes, acoustic_codes, n_acoustic):
        m = self.model
        z = m.convnext_decoder(m.semantic_vq.quantizers[0].embed(semantic_codes[:, 0]))
        for i, q in enumerate(m.dac.quantizer.quantizers):
            used = (n_acoustic > i).to(z.dtype).view(1, 1, 1)
            z = z + used * q.embed(acoustic_codes[:, i])
        return F.pad(m.dac.decoder(z), (0, self.missing))


def load_checkpoint(model, path):
    try:
        from safetensors.torch import load_file
    except ImportError:
        raise SystemExit("reading .safetensors needs the safetensors package (pip install safetensors)")
    missing, unexpected = model.load_state_dict(load_file(path), strict=False)
    if missing:
        raise SystemExit(f"checkpoint does not fit the architecture: missing {missing[:8]}")
    if unexpected:
        print(f"ignoring {len(unexpected)} checkpoint tensors the codec does not use: {unexpected[:5]}")


def load_stats(path):
    stats = torch.load(path, map_location="cpu")
    return stats["mean"], torch.sqrt(stats["var"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=sorted(CONFIGS), required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="dualcodec_12hz_16384_4096.safetensors or dualcodec_25hz_16384_1024.safetensors")
    source.add_argument("--random", action="store_true", help="randomly initialised model of the published configuration")
    parser.add_argument("--small", action="store_true", help="with --random: narrow inner widths, for a quick test of the recipe")
    parser.add_argument("--stats", help="w2vbert2_mean_var_stats_emilia.pt (required with --checkpoint)")
    parser.add_argument("--out", required=True, help="weight folder to write encoder.onnx and decoder.onnx into")
    parser.add_argument("--check", action="store_true", help="check the files with the hub's contract checks (needs node)")
    args = parser.parse_args()

    torch.manual_seed(0)
    model = build(args.variant, small=args.small and args.random)
    if args.checkpoint:
        if not args.stats:
            parser.error("--stats is required with --checkpoint")
        load_checkpoint(model, args.checkpoint)
        mean, std = load_stats(args.stats)
    else:
        mean, std = torch.randn(SSL_DIM) * 0.1, torch.rand(SSL_DIM) + 0.5
    remove_weight_norms(model)
    model.eval()
    m = model
    decode_path = [m.dac.decoder, m.dac.quantizer, m.semantic_vq, m.convnext_decoder]
    print(f"dualcodec {args.variant}: {count_parameters(model) / 1e6:.1f} M parameters, "
          f"{sum(count_parameters(p) for p in decode_path) / 1e6:.1f} M of them on the decode path")

    hop, layers = model.dac.hop_length, len(model.dac.quantizer.quantizers)
    encoder, decoder = EncoderGraph(model, mean, std).eval(), DecoderGraph(model).eval()
    trace, check = 5, 3  # frames: traced at one length, checked at another
    export(encoder, (torch.randn(1, 1, trace * hop) * 0.1, torch.randn(1, trace, SSL_DIM)),
           os.path.join(args.out, "encoder.onnx"), ["waveform", "semantic_features"], ["semantic_codes", "acoustic_codes"],
           {"waveform": {2: "samples"}, "semantic_features": {1: "frames"},
            "semantic_codes": {2: "frames"}, "acoustic_codes": {2: "frames"}})
    export(decoder, (torch.zeros(1, 1, trace, dtype=torch.long), torch.zeros(1, layers, trace, dtype=torch.long),
                     torch.tensor([layers - 1])),
           os.path.join(args.out, "decoder.onnx"), ["semantic_codes", "acoustic_codes", "n_acoustic"], ["audio"],
           {"semantic_codes": {2: "frames"}, "acoustic_codes": {2: "frames"}, "audio": {2: "samples"}})

    if args.check:
        t = torch.arange(check * hop) / 24000
        waveform = (0.3 * torch.sin(2 * torch.pi * 220 * t) + 0.05 * torch.randn(t.shape)).view(1, 1, -1)
        features = torch.randn(1, check, SSL_DIM)
        with torch.no_grad():
            semantic, acoustic = encoder(waveform, features)
            n_acoustic = torch.tensor([3])
            audio = decoder(semantic, acoustic, n_acoustic)
        cases = os.path.join(args.out, "check-cases.json")
        write_cases(cases, {
            "encoder": ({"waveform": waveform, "semantic_features": features}, {"semantic_codes": semantic, "acoustic_codes": acoustic}),
            "decoder": ({"semantic_codes": semantic, "acoustic_codes": acoustic, "n_acoustic": n_acoustic}, {"audio": audio}),
        })
        check_with_hub(PLUGIN_DIR[args.variant], args.out, cases)


if __name__ == "__main__":
    main()
