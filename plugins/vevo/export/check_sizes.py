#!/usr/bin/env python3
"""Builds Vevo's full-size networks on torch's `meta` device (shapes, no memory) and compares
their parameter counts with the figures in shared/design/models.md §2 (counted from Amphion's
classes, or computed from the configs): a wrong width, depth or vocabulary shows as a count that
differs. Exits 1 naming each mismatch.

  /usr/bin/python3 plugins/vevo/export/check_sizes.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "maskgct", "export"))

from acoustic_codec import Vocos  # noqa: E402
from check_manifest import OnMeta  # noqa: E402
from semantic_codec import build_semantic_codec  # noqa: E402
from vevo_modules import ArModel, ContentTokenizer, FlowMatchingTransformer  # noqa: E402

# millions of parameters, models.md §2 (one decimal)
EXPECTED = {
    "vq32 encoder (counted)": 26.2,
    "vq32 projector (counted)": 3.1,
    "vq8192 encoder + quantizer (counted)": 22.2,
    "AR PhoneToVq8192 (analytic)": 743.3,
    "AR Vq32ToVq8192 (analytic)": 481.5,
    "FM Vq8192ToMels (analytic)": 337.7,
    "Vocos vocoder (counted)": 255.0,
}


def count(module):
    return sum(p.numel() for p in module.parameters()) / 1e6


def main():
    with OnMeta():
        content = ContentTokenizer()
        codec = build_semantic_codec()
        built = {
            "vq32 encoder (counted)": count(content.encoder),
            "vq32 projector (counted)": count(content.projector),
            "vq8192 encoder + quantizer (counted)": count(codec.encoder) + count(codec.quantizer),
            "AR PhoneToVq8192 (analytic)": count(ArModel(1024, hidden=1920, layers=12, heads=16)),
            "AR Vq32ToVq8192 (analytic)": count(ArModel(1056, hidden=1536, layers=12, heads=16)),
            "FM Vq8192ToMels (analytic)": count(FlowMatchingTransformer()),
            "Vocos vocoder (counted)": count(Vocos(128, 1024, 4096, 30, 1920)),
        }
    failed = 0
    for name, expected in EXPECTED.items():
        ok = abs(built[name] - expected) < 0.05
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {built[name]:.1f} M (models.md: {expected} M)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
