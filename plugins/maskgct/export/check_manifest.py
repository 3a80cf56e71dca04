#!/usr/bin/env python3
"""Builds MaskGCT's full-size modules on torch's `meta` device (shapes, no memory) and compares
their state-dict keys and shapes with manifest.json, the released checkpoints' facts. Exits 1
naming every missing, unexpected or mis-shaped key.

  /usr/bin/python3 plugins/maskgct/export/check_manifest.py
"""
import json
import os
import sys

import torch
from torch.overrides import TorchFunctionMode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from maskgct_modules import build_s2a, build_t2s  # noqa: E402
from acoustic_codec import build_codec_decoder, build_codec_encoder  # noqa: E402
from semantic_codec import build_semantic_codec  # noqa: E402
from w2v_bert import build_w2v_bert  # noqa: E402

FACTORIES = {torch.hann_window, torch.empty, torch.zeros, torch.ones, torch.full, torch.rand, torch.randn, torch.arange, torch.tensor}


class OnMeta(TorchFunctionMode):
    """torch 1.13 has no `with torch.device('meta')`: put every new tensor on meta instead."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func is torch._weight_norm:  # no meta kernel in 1.13: the weight has v's shape
            return torch.empty(args[0].shape, device="meta")
        if func in FACTORIES:
            kwargs["device"] = "meta"
        return func(*args, **kwargs)


def expand(entries, values):
    """Manifest rows [key, shape, count?] → {key: shape}, with {i}/{q} and named sizes filled in."""
    out = {}
    for key, shape, *count in entries:
        shape = [values[d] if isinstance(d, str) else d for d in shape]
        n = count[0] if count else None
        n = values[n] if isinstance(n, str) else n
        if n is None:
            out[key] = shape
        else:
            for i in range(n):
                out[key.replace("{i}", str(i)).replace("{q}", str(i))] = shape
    return out


def compare(name, module, expected):
    got = {k: list(v.shape) for k, v in module.state_dict().items()}
    problems = [f"missing {k} {s}" for k, s in expected.items() if k not in got]
    problems += [f"unexpected {k} {s}" for k, s in got.items() if k not in expected]
    problems += [f"{k}: {got[k]}, the checkpoint has {s}" for k, s in expected.items() if k in got and got[k] != s]
    params = sum(v.numel() for v in module.state_dict().values())
    print(f"{'ok  ' if not problems else 'FAIL'} {name}: {len(got)} tensors, {params / 1e6:.1f} M values"
          + "".join(f"\n     {p}" for p in problems[:20]))
    return not problems


def main():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.json")) as f:
        manifest = json.load(f)
    with OnMeta():
        modules = {
            "t2s_model/model.safetensors": build_t2s(),
            "s2a_model/s2a_model_1layer/model.safetensors": build_s2a(1),
            "s2a_model/s2a_model_full/model.safetensors": build_s2a(12),
            "semantic_codec/model.safetensors": build_semantic_codec(),
            "acoustic_codec/model.safetensors": build_codec_encoder(),
            "acoustic_codec/model_1.safetensors": build_codec_decoder(),
            "facebook/w2v-bert-2.0 model.safetensors": build_w2v_bert(),
        }
    ok = True
    for name, module in modules.items():
        assert all(p.device.type == "meta" for p in module.parameters()), name
        spec = manifest["checkpoints"][name]
        entries = manifest[spec["keys"]] if isinstance(spec["keys"], str) else spec["keys"]
        ok &= compare(name, module, expand(entries, spec))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
