#!/usr/bin/env python3
"""Reference values for the hub's F0 extractor, chromagram and pitch shifter
(test/audio/pitch-chroma-reference.test.ts).

    apt-get install -y praat python3-numpy python3-torch python3-torchaudio
    /usr/bin/python3 scripts/reference/pitch-chroma-fixtures.py

- F0: Praat itself (Debian's praat, the program parselmouth embeds), "To Pitch (ac)" with
  the settings of speech-evaluation code that calls parselmouth's to_pitch_ac: time step
  0.016 s (hop 256 at 16 kHz), floor 50 Hz, 15 candidates, not very accurate, silence
  threshold 0.03, voicing threshold 0.6, octave cost 0.01, octave-jump cost 0.35,
  voiced/unvoiced cost 0.14, ceiling 1100 Hz. (praat-ac-pitch.py re-implements the same
  algorithm in vectorised numpy: the F0 timing baseline of bench/pitch-chroma.ts.)
- Chromagram: librosa is not packaged by Debian, so `chroma_stft` (tuning=None →
  estimate_tuning → piptrack → pitch_tuning, filters.chroma, ∞-norm) is re-implemented here
  in numpy from librosa 0.11's source, in float32 as librosa computes it.
- Pitch shift: librosa 0.11's effects.pitch_shift (stft → phase_vocoder → istft →
  resample → fix_length) re-implemented in numpy, resampling with
  torchaudio.functional.resample from round(sr / rate) Hz, as the hub does (librosa's
  default resampler is soxr, which Debian does not package for Python).

Input signals are formulas the tests recompute (test/audio/support/reference-signals.ts):
the chirp + burst + noise of make-fixtures.py and a "sung" harmonic tone with a glide,
vibrato, a silent gap and an unvoiced noise tail. Writes test/audio/fixtures/pitch-chroma.json.
"""
import json
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

fixtures = import_module('make-fixtures')


def sung(sample_rate, n, f0, f1, seed):
    """Harmonics 1..8 (amplitude 1/h) of a tone gliding f0 → f1 with a 5.5 Hz, ±3 % vibrato;
    silent over [45 %, 55 %) of the duration, LCG noise over the last 20 %; quantised to 16 bits."""
    t = np.arange(n) / sample_rate
    seconds = n / sample_rate
    depth = 0.03 * f0
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)) + depth / 5.5 * (1 - np.cos(2 * np.pi * 5.5 * t))
    x = sum(np.sin(h * phase) / h for h in range(1, 9)) * 0.3
    x[(t >= 0.45 * seconds) & (t < 0.55 * seconds)] = 0
    tail = t >= 0.8 * seconds
    x[tail] = 0.1 * fixtures.lcg_noise(n, seed)[tail]
    return quantise(x)


def quantise(x):
    return (np.clip(np.round(x * 32768), -32768, 32767) / 32768).astype(np.float32)


# ── F0: Praat ────────────────────────────────────────────────────────────────

PRAAT_SCRIPT = '''form Pitch
  sentence path
endform
Read from file: path$
To Pitch (ac): 0.016, 50, 15, "no", 0.03, 0.6, 0.01, 0.35, 0.14, 1100
n = Get number of frames
t1 = Get time from frame number: 1
writeInfoLine: n, " ", fixed$ (t1, 9)
for i to n
  f = Get value in frame: i, "Hertz"
  appendInfoLine: fixed$ (f, 6)
endfor
'''


def praat_pitch(x, sample_rate):
    with tempfile.TemporaryDirectory() as tmp:
        wav_path, script_path = os.path.join(tmp, 'in.wav'), os.path.join(tmp, 'pitch.praat')
        with wave.open(wav_path, 'wb') as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(sample_rate)
            w.writeframes(np.round(x.astype(np.float64) * 32768).astype('<i2').tobytes())
        with open(script_path, 'w') as f:
            f.write(PRAAT_SCRIPT)
        out = subprocess.run(['praat', '--run', script_path, wav_path], check=True, capture_output=True, text=True).stdout.split('\n')
    n, t1 = out[0].split()
    values = [float(v) if 'undefined' not in v else 0.0 for v in out[1:1 + int(n)]]
    return np.array(values), float(t1)


def praat_version():
    return subprocess.run(['praat', '--version'], check=True, capture_output=True, text=True).stdout.strip()


# ── Chromagram: librosa 0.11 chroma_stft, float32 ───────────────────────────

def hann(n):
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)  # periodic (fftbins=True)


def stft(y, n_fft, hop, pad_mode):
    pad = n_fft // 2
    y = np.pad(y, (pad, pad), mode=pad_mode)
    frames = 1 + (len(y) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    return np.fft.rfft(y[idx] * hann(n_fft), axis=1).T.astype(np.complex64)  # [bins, frames]


def hz_to_octs(f, tuning, bins_per_octave):
    a440 = 440.0 * 2.0 ** (tuning / bins_per_octave)
    return np.log2(f / (a440 / 16))


def localmax(x):
    pad = np.pad(x, [(1, 1), (0, 0)], mode='edge')
    return (x > pad[:-2]) & (x >= pad[2:])


def parabolic_shift(S):
    a = S[2:] + S[:-2] - 2 * S[1:-1]
    b = (S[2:] - S[:-2]) / 2
    with np.errstate(divide='ignore', invalid='ignore'):
        shift = np.where(np.abs(b) >= np.abs(a), 0, -b / a)
    return np.pad(shift, [(1, 1), (0, 0)]).astype(S.dtype)


def piptrack(S, sr, fmin=150.0, fmax=4000.0, threshold=0.1):
    n_fft = 2 * (S.shape[0] - 1)
    fmax = min(fmax, sr / 2)
    freqs = np.arange(S.shape[0]) * sr / n_fft
    avg = np.gradient(S, axis=0)
    shift = parabolic_shift(S)
    dskew = 0.5 * avg * shift
    pitches, mags = np.zeros_like(S), np.zeros_like(S)
    freq_mask = ((fmin <= freqs) & (freqs < fmax))[:, None]
    ref_value = threshold * np.max(S, axis=0)
    idx = np.nonzero(freq_mask & localmax(S * (S > ref_value)))
    pitches[idx] = (idx[0] + shift[idx]) * float(sr) / n_fft
    mags[idx] = S[idx] + dskew[idx]
    return pitches, mags


def pitch_tuning(frequencies, bins_per_octave, resolution=0.01):
    frequencies = frequencies[frequencies > 0]
    if not np.any(frequencies):
        return 0.0
    residual = np.mod(bins_per_octave * hz_to_octs(frequencies, 0.0, 12), 1.0)
    residual[residual >= 0.5] -= 1.0
    bins = np.linspace(-0.5, 0.5, int(np.ceil(1.0 / resolution)) + 1)
    counts, tuning = np.histogram(residual, bins)
    return float(tuning[np.argmax(counts)])


def estimate_tuning(S, sr, bins_per_octave):
    pitch, mag = piptrack(S, sr)
    mask = pitch > 0
    threshold = np.median(mag[mask]) if mask.any() else 0.0
    return pitch_tuning(pitch[(mag >= threshold) & mask], bins_per_octave)


def normalize(S, norm, axis):
    mag = np.abs(S).astype(float)
    length = np.max(mag, axis=axis, keepdims=True) if norm == np.inf else np.sum(mag ** norm, axis=axis, keepdims=True) ** (1.0 / norm)
    length[length < np.finfo(np.float32).tiny] = 1.0
    return S / length


def chroma_filter(sr, n_fft, n_chroma, tuning, ctroct=5.0, octwidth=2):
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    frqbins = n_chroma * hz_to_octs(frequencies, tuning, n_chroma)
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype='d')).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize(wts, 2, 0)
    wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, :int(1 + n_fft / 2)], dtype=np.float32)


def chroma_stft(y, sr, n_fft, hop, n_chroma, pad_mode='constant'):
    S = (np.abs(stft(y, n_fft, hop, pad_mode)) ** 2).astype(np.float32)
    tuning = estimate_tuning(S, sr, n_chroma)
    raw = np.einsum('cf,ft->ct', chroma_filter(sr, n_fft, n_chroma, tuning), S, optimize=True)
    return normalize(raw, np.inf, 0).astype(np.float32), tuning


# ── Pitch shift: librosa 0.11 effects.pitch_shift ───────────────────────────

def istft(D, n_fft, hop, length):
    frames = D.shape[1]
    window = hann(n_fft)
    ytmp = np.fft.irfft(D.T, n=n_fft, axis=1) * window
    total = n_fft + hop * (frames - 1)
    y, env = np.zeros(total), np.zeros(total)
    for t in range(frames):
        y[t * hop:t * hop + n_fft] += ytmp[t]
        env[t * hop:t * hop + n_fft] += window ** 2
    ok = env > np.finfo(np.float32).tiny
    y[ok] /= env[ok]
    y = y[n_fft // 2:]
    return np.pad(y, (0, max(0, length - len(y))))[:length]


def phase_vocoder(D, rate, hop):
    n_fft = 2 * (D.shape[0] - 1)
    time_steps = np.arange(0, D.shape[1], rate, dtype=np.float64)
    out = np.zeros((D.shape[0], len(time_steps)), dtype=np.complex128)
    phi_advance = hop * np.arange(D.shape[0]) * 2 * np.pi / n_fft
    phase_acc = np.angle(D[:, 0])
    D = np.pad(D, [(0, 0), (0, 2)])
    for t, step in enumerate(time_steps):
        columns = D[:, int(step):int(step + 2)]
        alpha = np.mod(step, 1.0)
        mag = (1.0 - alpha) * np.abs(columns[:, 0]) + alpha * np.abs(columns[:, 1])
        out[:, t] = mag * np.exp(1j * phase_acc)
        dphase = np.angle(columns[:, 1]) - np.angle(columns[:, 0]) - phi_advance
        dphase = dphase - 2.0 * np.pi * np.round(dphase / (2.0 * np.pi))
        phase_acc += phi_advance + dphase
    return out


def pitch_shift(y, sr, n_steps, n_fft=2048, hop=512):
    """In float64 throughout: after a silent stretch the phases carried by vanishing bins are
    ill-conditioned, so librosa's own float32 STFT alone moves the output by ~3e-4 there."""
    rate = 2.0 ** (-float(n_steps) / 12)
    frames = np.pad(y.astype(np.float64), (n_fft // 2, n_fft // 2))[np.arange(n_fft)[None, :] + hop * np.arange(1 + len(y) // hop)[:, None]]
    D = np.fft.rfft(frames * hann(n_fft), axis=1).T
    stretched = istft(phase_vocoder(D, rate, hop), n_fft, hop, int(round(len(y) / rate)))
    shifted = torchaudio.functional.resample(torch.from_numpy(stretched)[None], int(round(sr / rate)), sr)[0].numpy()
    return np.pad(shifted, (0, max(0, len(y) - len(shifted))))[:len(y)]


# ── Cases ────────────────────────────────────────────────────────────────────

PITCH_CASES = {  # name: (sample rate, samples, f0, f1, seed)
    'sung_150_300': (16000, 25600, 150.0, 300.0, 11),
    'low_85_110': (16000, 19200, 85.0, 110.0, 12),
    'high_500_900': (16000, 16000, 500.0, 900.0, 13),
}
CHROMA_CASES = {  # name: (signal, sample rate, n_fft, hop, n_chroma, pad mode)
    'chirp_24k_1920_480_24': ({'kind': 'reference', 'sampleRate': 24000, 'length': 12000, 'seed': 3}, 1920, 480, 24, 'constant'),
    'sung_24k_1920_480_24': ({'kind': 'sung', 'sampleRate': 24000, 'length': 14400, 'f0': 196.0, 'f1': 262.0, 'seed': 4}, 1920, 480, 24, 'constant'),
    'sung_22k_2048_512_12_reflect': ({'kind': 'sung', 'sampleRate': 22050, 'length': 11025, 'f0': 330.0, 'f1': 311.0, 'seed': 5}, 2048, 512, 12, 'reflect'),
}
SHIFT_CASES = {  # name: (signal, semitones); outputs stored every SHIFT_STRIDE-th sample
    'sung_16k_up12': ({'kind': 'sung', 'sampleRate': 16000, 'length': 6400, 'f0': 150.0, 'f1': 180.0, 'seed': 6}, 12),
    'sung_24k_down7': ({'kind': 'sung', 'sampleRate': 24000, 'length': 9600, 'f0': 220.0, 'f1': 200.0, 'seed': 7}, -7),
    'chirp_24k_up5': ({'kind': 'reference', 'sampleRate': 24000, 'length': 9600, 'seed': 8}, 5),
}
SHIFT_STRIDE = 32


def make_signal(spec):
    if spec['kind'] == 'reference':
        return fixtures.test_signal(spec['sampleRate'], spec['length'], spec['seed'])
    return sung(spec['sampleRate'], spec['length'], spec['f0'], spec['f1'], spec['seed'])


def main():
    out = {'pitch': {}, 'chroma': {}, 'shift': {}, 'shiftStride': SHIFT_STRIDE}
    for name, (sr, n, f0, f1, seed) in PITCH_CASES.items():
        spec = {'kind': 'sung', 'sampleRate': sr, 'length': n, 'f0': f0, 'f1': f1, 'seed': seed}
        values, t1 = praat_pitch(make_signal(spec), sr)
        out['pitch'][name] = {'signal': spec, 'startSeconds': t1, 'f0': [round(v, 4) for v in values]}
    for name, (spec, n_fft, hop, n_chroma, pad_mode) in CHROMA_CASES.items():
        chroma, tuning = chroma_stft(make_signal(spec), spec['sampleRate'], n_fft, hop, n_chroma, pad_mode)
        out['chroma'][name] = {'signal': spec, 'nFft': n_fft, 'hop': hop, 'nChroma': n_chroma, 'padMode': pad_mode, 'tuning': tuning, 'expected': fixtures.f32(chroma)}
    for name, (spec, steps) in SHIFT_CASES.items():
        y = pitch_shift(make_signal(spec), spec['sampleRate'], steps)
        out['shift'][name] = {'signal': spec, 'semitones': steps, 'expected': fixtures.f32(y[::SHIFT_STRIDE])}
    out['versions'] = {'praat': praat_version(), 'numpy': np.__version__, 'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'librosa semantics': '0.11.0'}
    with open(os.path.join(fixtures.OUT, 'pitch-chroma.json'), 'w') as f:
        json.dump(out, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
