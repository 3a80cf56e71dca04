"""Exports Qwen3-TTS-Tokenizer-12Hz to the plugin's `tokenizer_encoder` and `tokenizer_decoder`
graphs (graphs.ts), from the plain-torch re-declaration in qwen3_tokenizer_modules.py: no
transformers, no qwen_tts package. Needs Debian's python3-torch (1.13) and, for --check, node.

  # the released tokenizer folder (Qwen/Qwen3-TTS-Tokenizer-12Hz, or speech_tokenizer/ of a
  # model repo: config.json + model.safetensors; needs the safetensors package):
  python3 plugins/qwen3-tts/export/export_qwen3_tokenizer.py --checkpoint Qwen3-TTS-Tokenizer-12Hz --out data/models/qwen3-tts
  # no checkpoint: random-init modules, shrunk, checked against torch through the hub's contract code:
  python3 plugins/qwen3-tts/export/export_qwen3_tokenizer.py --random --small --check --out /tmp/qwen3-tokenizer
  # the full-size module's size, no weights: parameters and checkpoint tensors
  python3 plugins/qwen3-tts/export/export_qwen3_tokenizer.py --count

--small narrows every width and depth but keeps what the contract and the hub's chunking rely
on: the strides (encoder 4·5·6·8 then ×2, decoder ×2·2 then 8·5·4·3, so 1920 samples a frame
both ways), 16 code groups of 2048 codes (the encoder keeps its 32 quantizers), and windowed
attention, with windows (5 and 4 frames) shorter than the test lengths so the window is
exercised. The shrunk graphs load against plugins/qwen3-tts/export/shrunk (the 0.6B Base
contracts; the tokenizer's have no width in them).
"""
import argparse
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))
from export_common import check_cases, count_parameters, export  # noqa: E402
from qwen3_tokenizer_modules import Codebook, ConvNeXtBlock, LayerScale, MimiCodebook, Tokenizer12Hz  # noqa: E402

FRAME = 1920
# config.json of Qwen3-TTS-Tokenizer-12Hz (values as published in third-party loaders of the
# release; the modeling code's own defaults agree where it has them).
ENCODER = {"sampling_rate": 24000, "frame_rate": 12.5, "audio_channels": 1, "num_filters": 64, "kernel_size": 7, "last_kernel_size": 3,
           "residual_kernel_size": 3, "dilation_growth_rate": 2, "compress": 2, "num_residual_layers": 1, "upsampling_ratios": [8, 6, 5, 4],
           "hidden_size": 512, "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 8, "head_dim": 64,
           "intermediate_size": 2048, "norm_eps": 1e-5, "rope_theta": 10000.0, "sliding_window": 250, "attention_bias": False,
           "layer_scale_initial_scale": 0.01, "num_quantizers": 32, "num_semantic_quantizers": 1, "codebook_size": 2048,
           "codebook_dim": 256, "vector_quantization_hidden_dimension": 256}
DECODER = {"codebook_size": 2048, "codebook_dim": 512, "hidden_size": 512, "head_dim": 64, "latent_dim": 1024, "rope_theta": 10000.0,
           "num_attention_heads": 16, "num_key_value_heads": 16, "attention_bias": False, "sliding_window": 72, "intermediate_size": 1024,
           "layer_scale_initial_scale": 0.01, "rms_norm_eps": 1e-5, "num_hidden_layers": 8, "num_quantizers": 16,
           "upsample_rates": [8, 5, 4, 3], "upsampling_ratios": [2, 2], "decoder_dim": 1536}
FULL = {"encoder_config": ENCODER, "decoder_config": DECODER, "encoder_valid_num_quantizers": 16}
SMALL = {"encoder_config": {**ENCODER, "num_filters": 4, "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4,
                            "num_key_value_heads": 2, "head_dim": 8, "intermediate_size": 48, "sliding_window": 5, "codebook_dim": 8,
                            "vector_quantization_hidden_dimension": 8},
         "decoder_config": {**DECODER, "codebook_dim": 16, "hidden_size": 32, "head_dim": 8, "latent_dim": 24, "num_attention_heads": 4,
                            "num_key_value_heads": 2, "intermediate_size": 48, "sliding_window": 4, "num_hidden_layers": 2,
                            "decoder_dim": 32},
         "encoder_valid_num_quantizers": 16}


def randomize(model):
    """Random weights that keep every part visible in the output: layer scales, ConvNeXt gammas
    and norms away from their near-zero / identity inits, codebooks spread, SnakeBeta varied."""
    torch.manual_seed(0)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, LayerScale):
                m.scale.uniform_(0.3, 1.0)
            elif isinstance(m, ConvNeXtBlock):
                m.gamma.uniform_(0.3, 1.0)
            elif isinstance(m, nn.LayerNorm) or type(m).__name__ == "RMSNorm":
                m.weight.uniform_(0.8, 1.2)
                if getattr(m, "bias", None) is not None:
                    m.bias.normal_(0, 0.1)
            elif type(m).__name__ == "SnakeBeta":
                m.alpha.normal_(0, 0.3)
                m.beta.normal_(0, 0.3)
            elif isinstance(m, (MimiCodebook, Codebook)):
                # centroids (sum / usage) ~ N(0, 1), usage varied so the division is exercised
                total = m.embed_sum if isinstance(m, MimiCodebook) else m.embedding_sum
                m.cluster_usage.uniform_(0.5, 2.0)
                total.normal_(0, 1.0).mul_(m.cluster_usage[:, None])
    return model


def load_checkpoint(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    c = {"encoder_config": {**ENCODER, **config.get("encoder_config", {})}, "decoder_config": {**DECODER, **config.get("decoder_config", {})},
         "encoder_valid_num_quantizers": config.get("encoder_valid_num_quantizers", 16)}
    e = c["encoder_config"]
    e["head_dim"] = config.get("encoder_config", {}).get("head_dim") or e["hidden_size"] // e["num_attention_heads"]
    model = Tokenizer12Hz(c)
    from safetensors.torch import load_file  # the release's format
    model.load_state_dict({k: v.float() for k, v in load_file(os.path.join(folder, "model.safetensors")).items()}, strict=True)
    return model


def count(c):
    """Parameters and checkpoint tensors (the encoder's codebooks are buffers) of the full-size module."""
    model = Tokenizer12Hz(c)
    state = sum(t.numel() for t in model.state_dict().values())
    parts = {name: sum(t.numel() for t in part.state_dict().values()) for name, part in [("encoder", model.encoder), ("decoder", model.decoder)]}
    print(f"tokenizer: {count_parameters(model) / 1e6:.1f} M parameters, {state / 1e6:.1f} M values in the state dict "
          f"(encoder {parts['encoder'] / 1e6:.1f} M, decoder {parts['decoder'] / 1e6:.1f} M); fp32 {state * 4 / 1e6:.0f} MB")
    return state


def check_causal(decoder, codes):
    """Every conv is causal and attention looks back only, so a prefix decodes alone to the
    samples it has inside the longer utterance: what chunked decoding with left context relies on."""
    whole = decoder(codes)
    n = codes.shape[2] - 3
    part = decoder(codes[:, :, :n])
    diff = (whole[..., : n * FRAME] - part).abs().max().item()
    print(f"decoder causal: {n} frames alone vs inside {codes.shape[2]}: max diff {diff:.1e}")
    assert part.shape[-1] == n * FRAME and diff < 1e-5


def check_window(name, attention, width):
    """A key at position p reaches exactly the queries p .. p + window − 1 (the reference's
    sliding-window causal mask: visible when 0 ≤ i − j < window)."""
    x = torch.randn(1, 16, width)
    p = 3
    y = attention(x)
    x[:, p] += 1.0
    moved = ((attention(x) - y).abs().amax(-1)[0] > 1e-6).nonzero().flatten().tolist()
    print(f"{name} window {attention.window}: the key at {p} reaches queries {moved}")
    assert moved == list(range(p, p + attention.window))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="folder with config.json + model.safetensors of Qwen3-TTS-Tokenizer-12Hz")
    source.add_argument("--random", action="store_true", help="random-init modules")
    source.add_argument("--count", action="store_true", help="print the full-size module's size and exit")
    parser.add_argument("--small", action="store_true", help="with --random: shrunk widths, the same strides and codebooks")
    parser.add_argument("--check", action="store_true", help="with --random: compare both graphs with torch through the contracts (needs node)")
    parser.add_argument("--out", help="output folder (the plugin's weight folder)")
    args = parser.parse_args()
    if args.count:
        count(FULL)
        return
    if not args.out:
        parser.error("--out is required")
    c = SMALL if args.small else FULL
    torch.manual_seed(0)  # the default inits too: the same graphs and cases every run
    model = load_checkpoint(args.checkpoint) if args.checkpoint else randomize(Tokenizer12Hz(c))
    model.eval()
    encoder, decoder = model.encoder, model.decoder
    groups, size = model.encoder.valid, c["decoder_config"]["codebook_size"]
    with torch.no_grad():
        if args.random:
            torch.manual_seed(1)
            check_causal(decoder, torch.randint(0, size, (1, groups, 9)))
            check_window("encoder", encoder.encoder_transformer.layers[0].self_attn, c["encoder_config"]["hidden_size"])
            check_window("decoder", decoder.pre_transformer.layers[0].self_attn, c["decoder_config"]["hidden_size"])
        export(encoder, (torch.randn(1, 1, 3 * FRAME) * 0.3,), os.path.join(args.out, "tokenizer_encoder.onnx"), ["waveform"], ["codes"],
               {"waveform": {2: "samples"}, "codes": {2: "frames"}})
        export(decoder, (torch.randint(0, size, (1, groups, 4)),), os.path.join(args.out, "tokenizer_decoder.onnx"), ["codes"], ["waveform"],
               {"codes": {2: "frames"}, "waveform": {2: "samples"}})
        if not args.check:
            return
        # lengths the export was not traced at, longer than both attention windows
        wave = torch.randn(1, 1, 7 * FRAME) * 0.3
        codes = torch.randint(0, size, (1, groups, 9))
        ids, audio = encoder(wave), decoder(codes)
    assert ids.shape == (1, groups, 7) and audio.shape == (1, 1, 9 * FRAME), (ids.shape, audio.shape)
    print(f"decoder: 9 frames → {audio.shape[-1]} samples, rms {audio.pow(2).mean().sqrt().item():.2f}, {(audio.abs() < 1).float().mean().item():.0%} inside the clamp; "
          f"encoder: 7 frames, {ids.unique().numel()} distinct ids")
    check_cases("qwen3-tts/export/shrunk" if args.small else "qwen3-tts", args.out,
                {"tokenizer_encoder": ({"waveform": wave}, {"codes": ids}), "tokenizer_decoder": ({"codes": codes}, {"waveform": audio})})


if __name__ == "__main__":
    main()
