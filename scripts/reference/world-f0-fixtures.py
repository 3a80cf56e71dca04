#!/usr/bin/env python3
"""Reference numbers for core/audio/dsp/world-f0.ts: WORLD's own DIO + StoneMask (the C++
library pyworld wraps), built from a checkout of github.com/mmorise/World and called as
pyworld.dio(x, fs, f0_floor, f0_ceil, channels_in_octave=2, frame_period) + pyworld.stonemask
call them (speed 1, allowed_range 0.1). pyworld itself is not installable here; its C++ is.

    git clone https://github.com/mmorise/World /tmp/World   # d625e76 (2025-02-21) for the committed fixture
    /usr/bin/python3 scripts/reference/world-f0-fixtures.py --world /tmp/World

Needs g++ and numpy. Writes test/audio/fixtures/world-f0.json: two deterministic test signals
(a voice-like harmonic glide with vibrato, breathy noise and a pause; and a short clip of
two-tone noise) and WORLD's F0 for each.
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'audio', 'fixtures', 'world-f0.json')

HARNESS = r'''
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "world/dio.h"
#include "world/stonemask.h"
int main(int argc, char** argv) {
  FILE* f = fopen(argv[1], "rb");
  std::vector<float> buf; float v;
  while (fread(&v, 4, 1, f) == 1) buf.push_back(v);
  fclose(f);
  int fs = atoi(argv[2]);
  std::vector<double> x(buf.begin(), buf.end());
  DioOption o; InitializeDioOption(&o);
  o.f0_floor = atof(argv[3]); o.f0_ceil = atof(argv[4]); o.frame_period = atof(argv[5]);
  o.channels_in_octave = 2; o.speed = 1; o.allowed_range = 0.1;
  int frames = GetSamplesForDIO(fs, x.size(), o.frame_period);
  std::vector<double> t(frames), f0(frames), refined(frames);
  Dio(x.data(), x.size(), fs, &o, t.data(), f0.data());
  StoneMask(x.data(), x.size(), fs, t.data(), f0.data(), frames, refined.data());
  for (int i = 0; i < frames; i++) printf("%.12g\n", refined[i]);
}
'''


def voice_like(fs, seconds, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(int(fs * seconds)) / fs
    f0 = 110 + 70 * t / seconds + 6 * np.sin(2 * np.pi * 5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / fs
    voiced = sum(0.3 / h * np.sin(h * phase) for h in range(1, 8))
    envelope = np.clip(np.sin(np.pi * t / seconds) * 3, 0, 1)
    envelope[(t > 0.45 * seconds) & (t < 0.6 * seconds)] = 0  # a pause
    return (voiced * envelope + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


def tones(fs, seconds, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(int(fs * seconds)) / fs
    return (0.4 * np.sin(2 * np.pi * 230 * t) + 0.2 * np.sin(2 * np.pi * 460 * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--world', required=True, help='checkout of github.com/mmorise/World')
    args = parser.parse_args()
    src = os.path.join(args.world, 'src')
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        harness = os.path.join(tmp, 'harness.cpp')
        with open(harness, 'w') as f:
            f.write(HARNESS)
        binary = os.path.join(tmp, 'world_f0')
        subprocess.run(['g++', '-O2', '-I', src, harness] + [os.path.join(src, n) for n in ('dio.cpp', 'stonemask.cpp', 'common.cpp', 'fft.cpp', 'matlabfunctions.cpp')] + ['-o', binary], check=True)
        for name, signal, options in [('voice-like glide with a pause, 16 kHz', voice_like(16000, 0.9, 0), dict(fs=16000, floor=50, ceil=500, period=12.5)),
                                      ('two tones in noise, 16 kHz, 5 ms frames', tones(16000, 0.25, 1), dict(fs=16000, floor=71, ceil=800, period=5.0))]:
            raw = os.path.join(tmp, 'x.f32')
            signal.tofile(raw)
            out = subprocess.run([binary, raw, str(options['fs']), str(options['floor']), str(options['ceil']), str(options['period'])], check=True, capture_output=True, text=True).stdout
            cases.append({'name': name, 'options': options, 'signal': [float(np.format_float_scientific(v, unique=True)) for v in signal], 'f0': [float(v) for v in out.split()]})
    with open(OUT, 'w') as f:
        json.dump({'cases': cases}, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
