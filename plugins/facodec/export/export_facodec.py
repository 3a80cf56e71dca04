#!/usr/bin/env python3
"""Export FACodec to the graphs plugins/facodec/graphs.ts declares: encoder.onnx and decoder.onnx.

  # the published checkpoints (HF amphion/naturalspeech3_facodec) through Amphion's own classes:
  /usr/bin/python3 plugins/facodec/export/export_facodec.py --amphion ~/Amphion \\
      --encoder ns3_facodec_encoder.bin --decoder ns3_facodec_decoder.bin --out data/models/facodec --check
  # no checkpoint: randomly initialised modules of the published configuration, to check the recipe:
  /usr/bin/python3 plugins/facodec/export/export_facodec.py --random --out /tmp/facodec --check

--check runs the hub's own contract checks on the files in onnxruntime-node and compares
their outputs with PyTorch's at a length the export was not traced at.
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "codec-tokens"))
sys.path.insert(0, os.path.dirname(__file__))
from export_common import check_with_hub, count_parameters, export, nearest_codes, remove_weight_norms, write_cases  # noqa: E402
from facodec_modules import build, preexpand_alias_free_filters, use_exportable_attention, use_fast_resamplers  # noqa: E402

HOP = 200
DIM = 256


def quantize(rvq, x):
    """ResidualVQ in eval: each layer codes what the previous ones left; returns ids [B, n, T] and their sum."""
    residual, total, codes = x, 0, []
    for layer in rvq.layers:
        ids = nearest_codes(layer.in_proj(residual.transpose(1, 2)).transpose(1, 2), layer.codebook.weight)
        quantized = layer.out_proj(layer.codebook(ids)).transpose(1, 2)
        residual, total = residual - quantized, total + quantized
        codes.append(ids)
    return torch.stack(codes, dim=1), total


def embed(rvq, codes):
    """vq2emb of one quantiser: codes [B, n, T] → Σ out_proj(codebook[code]) [B, 256, T]."""
    return sum(layer.out_proj(layer.codebook(codes[:, i])).transpose(1, 2) for i, layer in enumerate(rvq.layers))


class EncoderGraph(nn.Module):
    """waveform [1, 1, F·200] → prosody [1, 1, F], content [1, 2, F], residual [1, 3, F] codes and
    the speaker embedding [1, 256]: fa_encoder, then fa_decoder(enc_out, eval_vq=False, vq=True)."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def forward(self, waveform):
        x = self.encoder(waveform)
        q = self.decoder.quantizer
        prosody, prosody_sum = quantize(q[0], x)
        content, content_sum = quantize(q[1], x)
        residual, _ = quantize(q[2], x - (prosody_sum + content_sum))
        # As FACodecDecoder.forward(vq=True) calls it: no padding mask, no condition.
        speaker = self.decoder.timbre_encoder(x.transpose(1, 2), None, None).mean(dim=1)
        return prosody, content, residual, speaker


class DecoderGraph(nn.Module):
    """codes + use_residual + speaker embedding → audio [1, 1, F·200]:
    fa_decoder.inference(fa_decoder.vq2emb(vq_id, use_residual_code), spk_embs)."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, prosody_codes, content_codes, residual_codes, use_residual, speaker_embedding):
        d = self.decoder
        x = embed(d.quantizer[0], prosody_codes) + embed(d.quantizer[1], content_codes)
        x = x + use_residual.to(x.dtype).view(1, 1, 1) * embed(d.quantizer[2], residual_codes)
        gamma, beta = d.timbre_linear(speaker_embedding).unsqueeze(2).chunk(2, 1)
        return d.model(layer_norm_over_channels(x, d.timbre_norm.eps) * gamma + beta)


def layer_norm_over_channels(x, eps):
    """timbre_norm (LayerNorm without affine) over the channels of [B, C, T], written out: torch
    1.13 exports an affine-free LayerNorm as a LayerNormalization node with no scale, which the
    ONNX checker refuses."""
    mean = x.mean(dim=1, keepdim=True)
    variance = (x - mean).pow(2).mean(dim=1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps)


def amphion_modules(amphion, encoder_path, decoder_path):
    """The published classes and checkpoints, as the Amphion README builds them."""
    sys.path.insert(0, amphion)
    from models.codec.ns3_codec import FACodecDecoder, FACodecEncoder
    encoder = FACodecEncoder(ngf=32, up_ratios=[2, 4, 5, 5], out_channels=256)
    decoder = FACodecDecoder(in_channels=256, upsample_initial_channel=1024, ngf=32, up_ratios=[5, 5, 4, 2],
                             vq_num_q_c=2, vq_num_q_p=1, vq_num_q_r=3, vq_dim=256, codebook_dim=8,
                             codebook_size_prosody=10, codebook_size_content=10, codebook_size_residual=10,
                             use_gr_x_timbre=True, use_gr_residual_f0=True, use_gr_residual_phone=True)
    encoder.load_state_dict(torch.load(encoder_path, map_location="cpu"))
    decoder.load_state_dict(torch.load(decoder_path, map_location="cpu"))
    for module in (encoder, decoder):
        preexpand_alias_free_filters(module)
    return encoder, decoder


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--amphion", help="a checkout of open-mmlab/Amphion (its ns3_codec classes)")
    source.add_argument("--random", action="store_true", help="randomly initialised modules of the published configuration")
    parser.add_argument("--small", action="store_true", help="with --random: narrow convolution stacks, for a quick test of the recipe")
    parser.add_argument("--encoder", help="ns3_facodec_encoder.bin (with --amphion)")
    parser.add_argument("--decoder", help="ns3_facodec_decoder.bin (with --amphion)")
    parser.add_argument("--out", required=True, help="weight folder to write encoder.onnx and decoder.onnx into")
    parser.add_argument("--check", action="store_true", help="check the files with the hub's contract checks (needs node)")
    args = parser.parse_args()

    torch.manual_seed(0)
    if args.amphion:
        if not (args.encoder and args.decoder):
            parser.error("--encoder and --decoder are required with --amphion")
        encoder, decoder = amphion_modules(args.amphion, args.encoder, args.decoder)
    else:
        encoder, decoder = build(small=args.small)
        # Snake parameters start at 0 (log scale 1); move them so the check exercises them.
        with torch.no_grad():
            for name, p in [*encoder.named_parameters(), *decoder.named_parameters()]:
                if name.endswith(".alpha") or name.endswith(".beta"):
                    p.uniform_(-0.5, 0.5)
    for module in (encoder, decoder):
        remove_weight_norms(module)
        use_exportable_attention(module)
        module.eval()
    d = decoder
    decode_path = [d.model, d.timbre_linear, *d.quantizer]
    print(f"facodec: encoder {count_parameters(encoder) / 1e6:.2f} M, timbre encoder {count_parameters(d.timbre_encoder) / 1e6:.2f} M, "
          f"decode path {sum(count_parameters(p) for p in decode_path) / 1e6:.2f} M parameters")

    probe = torch.randn(1, DIM, 9) * 3 + 1
    if not torch.allclose(layer_norm_over_channels(probe, d.timbre_norm.eps), d.timbre_norm(probe.transpose(1, 2)).transpose(1, 2), atol=1e-5):
        raise SystemExit("the written-out layer norm differs from timbre_norm")
    encode_graph, decode_graph = EncoderGraph(encoder, decoder).eval(), DecoderGraph(decoder).eval()
    trace, check = 40, 27  # frames: traced at one length, checked at another
    # PyTorch's outputs with the resamplers as published, at a length the export is not traced at
    t = torch.arange(check * HOP) / 16000
    waveform = (0.3 * torch.sin(2 * torch.pi * 180 * t) + 0.05 * torch.randn(t.shape)).view(1, 1, -1)
    use_residual = torch.tensor([False])
    with torch.no_grad():
        prosody, content, residual, speaker = encode_graph(waveform)
        audio = decode_graph(prosody, content, residual, use_residual, speaker)
    for module in (encoder, decoder):
        use_fast_resamplers(module)
    export(encode_graph, (torch.randn(1, 1, trace * HOP) * 0.1,), os.path.join(args.out, "encoder.onnx"),
           ["waveform"], ["prosody_codes", "content_codes", "residual_codes", "speaker_embedding"],
           {"waveform": {2: "samples"}, "prosody_codes": {2: "frames"}, "content_codes": {2: "frames"}, "residual_codes": {2: "frames"}})
    codes = lambda n, frames: torch.randint(0, 1024, (1, n, frames))  # noqa: E731
    export(decode_graph, (codes(1, trace), codes(2, trace), codes(3, trace), torch.tensor([True]), torch.randn(1, DIM)),
           os.path.join(args.out, "decoder.onnx"),
           ["prosody_codes", "content_codes", "residual_codes", "use_residual", "speaker_embedding"], ["audio"],
           {"prosody_codes": {2: "frames"}, "content_codes": {2: "frames"}, "residual_codes": {2: "frames"}, "audio": {2: "samples"}})

    if args.check:
        cases = os.path.join(args.out, "check-cases.json")
        write_cases(cases, {
            "encoder": ({"waveform": waveform},
                        {"prosody_codes": prosody, "content_codes": content, "residual_codes": residual, "speaker_embedding": speaker}),
            "decoder": ({"prosody_codes": prosody, "content_codes": content, "residual_codes": residual,
                         "use_residual": use_residual, "speaker_embedding": speaker}, {"audio": audio}),
        })
        check_with_hub("facodec", args.out, cases)


if __name__ == "__main__":
    main()
