#!/usr/bin/env python3
"""Builds VevoSing's full-size networks on torch's `meta` device (shapes, no memory) and compares
their parameter counts with the figures in shared/design/models.md §3 and §A8 (counted from
Amphion's classes, or computed from the configs): a wrong width, depth, codebook or vocabulary
shows as a count that differs. Exits 1 naming each mismatch.

  /usr/bin/python3 plugins/vevosing/export/check_sizes.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "vevo", "export"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "maskgct", "export"))

from acoustic_codec import Vocos  # noqa: E402
from check_manifest import OnMeta  # noqa: E402
from vevo_modules import ArModel  # noqa: E402
from vevosing_modules import CONTENT_STYLE, PROSODY, Coco, SingFlowMatching, WhisperEncoder  # noqa: E402

# millions of parameters, models.md §3 / §A8 (one decimal; Whisper's as models.md rounds it)
EXPECTED = {
    "Whisper-medium encoder": (307.0, 0.5),
    "Coco content-style tokenizer (counted)": (38.0, 0.05),
    "Coco prosody tokenizer (counted)": (44.2, 0.05),
    "AR singnet7k (analytic)": (776.7, 0.05),
    "FM with resampling (analytic)": (354.5, 0.05),
    "Vocos vocoder (counted)": (255.0, 0.05),
}


def count(module):
    return sum(p.numel() for p in module.parameters()) / 1e6


def main():
    with OnMeta():
        built = {
            # positions counted as HF's WhisperEncoder holds them (a parameter; openai's is a buffer)
            "Whisper-medium encoder": count(WhisperEncoder()) + 1500 * 1024 / 1e6,
            "Coco content-style tokenizer (counted)": count(Coco(**CONTENT_STYLE)),
            "Coco prosody tokenizer (counted)": count(Coco(**PROSODY)),
            "AR singnet7k (analytic)": count(ArModel(1024 + 512, 16384, hidden=1920, layers=12, heads=16)),
            "FM with resampling (analytic)": count(SingFlowMatching()),
            "Vocos vocoder (counted)": count(Vocos(128, 1024, 4096, 30, 1920)),
        }
    failed = 0
    for name, (expected, tolerance) in EXPECTED.items():
        ok = abs(built[name] - expected) < tolerance
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {built[name]:.1f} M (models.md: {expected} M)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
