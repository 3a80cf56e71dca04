"""Exports VoxCPM to the ONNX graphs the `voxcpm` plugins declare (graphs.ts), from plain-torch
re-declarations of the networks (voxcpm_modules.py, minicpm.py): no transformers, no VoxCPM
package. Needs Debian's python3-torch (1.13) and, for --check, node.

  # a released checkpoint folder (config.json, pytorch_model.bin or model.safetensors, audiovae.pth):
  python3 plugins/voxcpm/export/export_voxcpm.py --checkpoint VoxCPM-0.5B --variant 0.5B --out data/models/voxcpm
  # no checkpoint: random-init modules of the published layout, checked against torch:
  python3 plugins/voxcpm/export/export_voxcpm.py --random --variant 0.5B --small --check --out /tmp/voxcpm

--small keeps every width the contract fixes (LM and DiT hidden, KV heads, head size, patch,
latent) and shrinks what it does not (one layer per network, MLP width, vocabulary, AudioVAE
channels), so a check takes seconds. The tokenizer (tokenizer.json) is copied from the
checkpoint folder as it is. See EXPORT.md for the facts and what is not covered.
"""
import argparse
import copy
import json
import os
import shutil
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))
from export_common import check_graphs  # noqa: E402
from audio_vae_v2 import DEFAULTS_V2, AudioVAEV2  # noqa: E402
from voxcpm_modules import AudioVAE, VoxCPM  # noqa: E402

OPSET = 17

# Layouts of the releases (README table, model configs). LongRoPE factors, scale_emb,
# scale_depth and the vocabulary come from a checkpoint's config.json; these stand-ins are for --random.
LONGROPE_STANDIN = {"type": "longrope", "long_factor": [1.0] * 32, "short_factor": [1.0] * 32, "original_max_position_embeddings": 32768}
LM_05B = {"bos_token_id": 1, "eos_token_id": 2, "hidden_size": 1024, "intermediate_size": 4096, "max_position_embeddings": 32768,
          "num_attention_heads": 16, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
          "rope_scaling": LONGROPE_STANDIN, "vocab_size": 73448, "use_mup": True, "scale_emb": 12, "dim_model_base": 256, "scale_depth": 1.4, "kv_channels": None}
VARIANTS = {
    "0.5B": {"plugin": "voxcpm", "version": 1, "config": {
        "lm_config": LM_05B, "patch_size": 2, "feat_dim": 64, "residual_lm_num_layers": 6, "scalar_quantization_latent_dim": 256, "scalar_quantization_scale": 9,
        "encoder_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 4},
        "dit_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 4},
        "audio_vae_config": {"encoder_dim": 128, "encoder_rates": [2, 5, 8, 8], "latent_dim": 64, "decoder_dim": 1536, "decoder_rates": [8, 8, 5, 2], "depthwise": True}}},
    # VoxCPM1.5: the 0.5B code path with patches of 4 and deeper local networks; its AudioVAE
    # (44.1 kHz) comes from a checkpoint's config.json, the rates are not published.
    "1.5": {"plugin": "voxcpm/1.5", "version": 1, "config": {
        "lm_config": LM_05B, "patch_size": 4, "feat_dim": 64, "residual_lm_num_layers": 8, "scalar_quantization_latent_dim": 256, "scalar_quantization_scale": 9,
        "encoder_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 8},
        "dit_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 8},
        "audio_vae_config": None}},
    "2": {"plugin": "voxcpm/2", "version": 2, "config": {
        "lm_config": {**LM_05B, "hidden_size": 2048, "intermediate_size": 6144, "num_hidden_layers": 28, "kv_channels": 128,
                      "rope_scaling": {**LONGROPE_STANDIN, "long_factor": [1.0] * 64, "short_factor": [1.0] * 64}},
        "patch_size": 4, "feat_dim": 64, "residual_lm_num_layers": 8, "residual_lm_no_rope": True, "scalar_quantization_latent_dim": 512, "scalar_quantization_scale": 9,
        "encoder_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 12, "kv_channels": 128},
        "dit_config": {"hidden_dim": 1024, "ffn_dim": 4096, "num_heads": 16, "num_layers": 12, "kv_channels": 128},
        # audio_vae_v2.py's AudioVAEConfig defaults: 16 kHz in, 48 kHz out, sample-rate conditioned decoder.
        "audio_vae_config": dict(DEFAULTS_V2)}},
}


def shrink(config):
    """One layer per network, narrow MLPs and VAE, small vocabulary; every contract width kept."""
    c = copy.deepcopy(config)
    c["lm_config"].update(num_hidden_layers=1, intermediate_size=128, vocab_size=300)
    c["residual_lm_num_layers"] = 1
    # LocEnc is free in width (enc_to_lm_proj follows), but its head size must fit the RoPE factors.
    c["encoder_config"].update(hidden_dim=128, ffn_dim=64, num_heads=2, num_layers=1)
    c["dit_config"].update(ffn_dim=128, num_layers=1)
    c["scalar_quantization_latent_dim"] = 16
    if c.get("audio_vae_config"):
        # the rates fix the hops the contract names; channels halve per decoder stage, so keep ≥ 2 at the end.
        c["audio_vae_config"].update(encoder_dim=4, decoder_dim=max(64, 2 ** (len(c["audio_vae_config"]["decoder_rates"]) + 1)))
    return c


# ------------------------------------------------------------------ graph wrappers

class TextEmbed(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, text_ids):
        return self.m.base_lm.embed_tokens(text_ids) * self.m.scale_emb


class LocEncGraph(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, patches):
        return self.m.enc_to_lm_proj(self.m.feat_encoder(patches))


class BaseLmStep(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, embeds, past_k, past_v):
        return self.m.base_lm(embeds, past_k, past_v, causal=True)


class ResidualLmStep(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, lm_hidden, feat_embeds, past_k, past_v):
        return self.m.residual_lm(self.m.residual_input(lm_hidden, feat_embeds), past_k, past_v, causal=True)


class Fsq(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, hidden):
        return self.m.fsq_layer(hidden)


class DitCondition(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, lm_hidden, residual_hidden):
        return self.m.dit_condition(lm_hidden, residual_hidden)


class LocDitGraph(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x, mu, t, cond, dt):
        return self.m.feat_decoder.estimator(x, mu, t, cond, dt)


class StopHead(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, lm_hidden):
        return self.m.stop_head(self.m.stop_actn(self.m.stop_proj(lm_hidden)))


class VaeEncoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, waveform):
        return self.vae.encoder(waveform)


class VaeDecoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent):
        return self.vae.decoder(latent)


def specs(model, vae, config, tokens=7, past=5, patches=3, batch=2, frames=4):
    """name → (module, args, input names, output names, dynamic axes)."""
    lm = config["lm_config"]
    h, p, d = lm["hidden_size"], config["patch_size"], config["feat_dim"]
    heads, kv = lm["num_attention_heads"], lm["num_key_value_heads"]
    head_dim = lm["kv_channels"] or h // heads
    mu_dim = config["dit_config"]["hidden_dim"] * (1 if model.version == 1 else 2)
    cache = lambda n: (torch.randn(n, 1, kv, past, head_dim), torch.randn(n, 1, kv, past, head_dim))  # noqa: E731
    cache_axes = {"past_k": {3: "past"}, "past_v": {3: "past"}, "present_k": {3: "total"}, "present_v": {3: "total"}}
    lm_out = ["hidden", "present_k", "present_v"]
    out = {
        "text_embed": (TextEmbed(model), (torch.randint(0, lm["vocab_size"], (1, tokens)),), ["text_ids"], ["embeds"], {"text_ids": {1: "tokens"}, "embeds": {1: "tokens"}}),
        "loc_enc": (LocEncGraph(model), (torch.randn(1, patches, p, d),), ["patches"], ["embeds"], {"patches": {1: "patches"}, "embeds": {1: "patches"}}),
        "base_lm": (BaseLmStep(model), (torch.randn(1, tokens, h), *cache(len(model.base_lm.layers))), ["embeds", "past_k", "past_v"], lm_out,
                    {"embeds": {1: "tokens"}, "hidden": {1: "tokens"}, **cache_axes}),
        "fsq": (Fsq(model), (torch.randn(1, tokens, h),), ["hidden"], ["quantized"], {"hidden": {1: "tokens"}, "quantized": {1: "tokens"}}),
        "residual_lm": (ResidualLmStep(model), (torch.randn(1, tokens, h), torch.randn(1, tokens, h), *cache(len(model.residual_lm.layers))), ["lm_hidden", "feat_embeds", "past_k", "past_v"], lm_out,
                        {"lm_hidden": {1: "tokens"}, "feat_embeds": {1: "tokens"}, "hidden": {1: "tokens"}, **cache_axes}),
        "dit_condition": (DitCondition(model), (torch.randn(1, h), torch.randn(1, h)), ["lm_hidden", "residual_hidden"], ["mu"], {}),
        "loc_dit": (LocDitGraph(model), (torch.randn(batch, d, p), torch.randn(batch, mu_dim), torch.rand(batch), torch.randn(batch, d, p), torch.zeros(batch)),
                    ["x", "mu", "t", "cond", "dt"], ["velocity"], {k: {0: "batch"} for k in ["x", "mu", "t", "cond", "dt", "velocity"]}),
        "stop_head": (StopHead(model), (torch.randn(1, h),), ["lm_hidden"], ["logits"], {}),
    }
    if vae is not None:
        out["vae_encoder"] = (VaeEncoder(vae), (torch.randn(1, 1, frames * vae.hop) * 0.3,), ["waveform"], ["latent"], {"waveform": {2: "samples"}, "latent": {2: "frames"}})
        out["vae_decoder"] = (VaeDecoder(vae), (torch.randn(1, d, frames),), ["latent"], ["waveform"], {"latent": {2: "frames"}, "waveform": {2: "samples"}})
    return out


def remove_weight_norms(module):
    for m in module.modules():
        try:
            torch.nn.utils.remove_weight_norm(m)
        except ValueError:
            pass


def read_state(folder, names):
    """The first of `names` present: safetensors or a torch pickle ({"state_dict": ...} or bare), as from_local reads them."""
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        if name.endswith(".safetensors"):
            from safetensors.torch import load_file  # only needed for safetensors checkpoints
            return load_file(path)
        state = torch.load(path, map_location="cpu", weights_only=True)
        return state.get("state_dict", state)
    return None


def load_checkpoint(folder, config, version):
    """Loads with strict=True (the reference loads non-strictly to allow LoRA): every name must match."""
    model = VoxCPM(config, version)
    state = read_state(folder, ["model.safetensors", "pytorch_model.bin"])
    if state is None:
        sys.exit(f"{folder}: neither model.safetensors nor pytorch_model.bin")
    model.load_state_dict({k: v.float() for k, v in state.items() if not k.startswith("audio_vae.")}, strict=True)
    # from_local: the config's audio_vae_config over AudioVAEConfig's defaults (pydantic fills
    # what is missing): VoxCPM-0.5B's for v1, audio_vae_v2.py's for VoxCPM2.
    defaults = VARIANTS["0.5B"]["config"]["audio_vae_config"] if version == 1 else DEFAULTS_V2
    vae_config = {**defaults, **(config.get("audio_vae_config") or {})}
    vae = None
    vae_state = read_state(folder, ["audiovae.safetensors", "audiovae.pth"])
    if vae_state is not None:
        vae = make_vae(vae_config, version)
        # .float() on the int32 sr_bin_boundaries buffer is undone by load_state_dict's copy.
        vae.load_state_dict({k: v.float() for k, v in vae_state.items()}, strict=True)
        config["audio_vae_config"] = vae_config
    return model, vae


def make_vae(vae_config, version):
    return AudioVAE(vae_config) if version == 1 else AudioVAEV2(vae_config)


def export_graph(name, spec, out_dir):
    module, args, inputs, outputs, axes = spec
    path = os.path.join(out_dir, f"{name}.onnx")
    with torch.no_grad():
        torch.onnx.export(module.eval(), args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    print(f"  {name}.onnx  {os.path.getsize(path) / 2 ** 20:.1f} MiB")


def check_cache(model):
    """Prefill then one step over the cache equals one causal pass over the whole sequence
    (the reference's forward vs forward_step), for both LMs."""
    with torch.no_grad():
        for lm in (model.base_lm, model.residual_lm):
            x = torch.randn(1, 6, lm.norm.weight.shape[0])
            full, _, _ = lm(x)
            _, k, v = lm(x[:, :5])
            step, _, _ = lm(x[:, 5:], k, v)
            worst = (step[:, 0] - full[:, 5]).abs().max().item()
            print(f"  cache: prefill 5 + step 1 vs one pass of 6: max |difference| = {worst:.2e}")
            if worst > 1e-5:
                sys.exit("the KV-cache step does not reproduce the causal pass")


def check_against_torch(model, vae, config, names, out_dir, contract_dir):
    """Inputs at lengths the export was not traced at, in torch and (check-export.ts) in onnxruntime-node."""
    torch.manual_seed(1)
    check_cache(model)
    graphs = specs(model, vae, config, tokens=4, past=9, patches=2, batch=2, frames=6)  # name: (module, args, inputs, outputs, axes)
    builders = {name: (lambda module=spec[0]: module) for name, spec in graphs.items()}
    check_graphs(contract_dir, out_dir, builders, {name: spec[1:] for name, spec in graphs.items()}, [name for name in graphs if name in names])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="folder of a released checkpoint (config.json, weights, audiovae.pth, tokenizer.json)")
    source.add_argument("--random", action="store_true", help="random-init modules of the published layout")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="0.5B")
    parser.add_argument("--small", action="store_true", help="with --random: one layer per network, for a quick check of the recipe")
    parser.add_argument("--check", action="store_true", help="compare every graph with torch through the contracts (needs node)")
    parser.add_argument("--contract", help="plugin folder under plugins/ whose contracts --check uses (default: the variant's; --small: its shrunk twin)")
    parser.add_argument("--only", nargs="*", help="export only these graphs")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    variant = VARIANTS[args.variant]
    torch.manual_seed(0)
    if args.checkpoint:
        with open(os.path.join(args.checkpoint, "config.json")) as f:
            config = json.load(f)
        model, vae = load_checkpoint(args.checkpoint, config, variant["version"])
    else:
        config = shrink(variant["config"]) if args.small else copy.deepcopy(variant["config"])
        model = VoxCPM(config, variant["version"])
        vae = make_vae(config["audio_vae_config"], variant["version"]) if config.get("audio_vae_config") else None
    model.eval()
    if vae is not None:
        remove_weight_norms(vae)
        vae.eval()
    os.makedirs(args.out, exist_ok=True)
    all_specs = specs(model, vae, config)
    names = [n for n in (args.only or list(all_specs)) if n in all_specs]
    for name in names:
        export_graph(name, all_specs[name], args.out)
    if args.checkpoint and os.path.exists(os.path.join(args.checkpoint, "tokenizer.json")):
        shutil.copy(os.path.join(args.checkpoint, "tokenizer.json"), args.out)
    if args.check:
        # --small graphs have one layer per LM: their contract is the variant's with that one change.
        contract_dir = args.contract or (f"voxcpm/export/shrunk-{args.variant}" if args.small else variant["plugin"])
        check_against_torch(model, vae, config, names, args.out, contract_dir)
    else:
        print(f"done: check with  node --import tsx plugins/codec-tokens/check-export.ts plugins/{variant['plugin']} {args.out}")


if __name__ == "__main__":
    main()
