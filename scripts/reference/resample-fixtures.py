#!/usr/bin/env python3
"""Reference output of torchaudio.functional.resample (its defaults: Hann-windowed sinc,
lowpass_filter_width 6, rolloff 0.99) for the rate pairs the hub converts between, so
core/audio/resample.ts is held to torchaudio's numbers (test/audio/resample.test.ts).

    apt-get install -y python3-torch python3-torchaudio python3-numpy
    /usr/bin/python3 scripts/reference/resample-fixtures.py

Input signals are the chirp + burst + LCG noise of make-fixtures.py (recomputed by
test/audio/support/reference-signals.ts, not stored). Writes test/audio/fixtures/resample.json.
"""
import json
import os
import sys

import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

fixtures = import_module('make-fixtures')

# (from, to): model front ends (44.1/48 → 24, 16 → 24, 24 → 16, → 22.05, → 16 kHz) and the
# encoders' "next rate up" (22.05 → 24 kHz for Opus, 20 → 22.05 kHz for MP3).
PAIRS = [(44100, 24000), (16000, 24000), (24000, 16000), (44100, 22050), (48000, 24000),
         (48000, 16000), (44100, 16000), (22050, 16000), (24000, 22050), (22050, 24000), (20000, 22050), (8000, 16000)]
LENGTH = 1200


def main():
    cases = {}
    for index, (orig, new) in enumerate(PAIRS):
        x = fixtures.test_signal(orig, LENGTH, 7 + index)
        y = torchaudio.functional.resample(torch.from_numpy(x)[None], orig, new)[0]
        cases[f'{orig}_{new}'] = {
            'signal': {'sampleRate': orig, 'length': LENGTH, 'seed': 7 + index},
            'to': new,
            'expected': fixtures.f32(y.numpy()),
        }
    cases['versions'] = {'torch': torch.__version__, 'torchaudio': torchaudio.__version__}
    with open(os.path.join(fixtures.OUT, 'resample.json'), 'w') as f:
        json.dump(cases, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
