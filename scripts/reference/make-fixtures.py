#!/usr/bin/env python3
"""Reference fixtures for the audio toolkit tests, computed by code nobody here wrote.

Spectra come from torch / torchaudio (Debian's python3-torch, python3-torchaudio) and the
coded files from Debian's ffmpeg (libmp3lame, libvorbis, libopus, flac). The TypeScript
tests compare the toolkit against these files; they never need torch or ffmpeg themselves.

    apt-get install -y python3-torch python3-torchaudio python3-numpy ffmpeg
    /usr/bin/python3 scripts/reference/make-fixtures.py

Writes test/audio/fixtures/spectra.json (float32 arrays as base64, little-endian) and
test/audio/fixtures/coded/*. Signals are deterministic (fixed seed), so re-running
gives the same files up to library versions, which spectra.json records.
"""
import base64
import json
import os
import subprocess
import sys

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'audio', 'fixtures')


def f32(array):
    data = np.ascontiguousarray(np.asarray(array, dtype='<f4'))
    return {'shape': list(data.shape), 'base64': base64.b64encode(data.tobytes()).decode('ascii')}


def lcg_noise(n, seed):
    """Uniform noise in [-1, 1) from a 32-bit LCG the tests reproduce exactly (test/audio/support)."""
    out = np.empty(n)
    state = seed
    for i in range(n):
        state = (1664525 * state + 1013904223) % 4294967296
        out[i] = state / 2147483648.0 - 1.0
    return out


def test_signal(sample_rate, n, seed):
    """A chirp, a tone burst and a little noise: energy across the band, not silence.
    Not stored: test/audio/support/signals.ts computes the same samples."""
    seconds = n / sample_rate
    t = np.arange(n) / sample_rate
    f0, f1 = 80.0, sample_rate * 0.4
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    burst = 0.3 * np.sin(2 * np.pi * 1000.0 * t) * (t > seconds / 3)
    return (0.5 * chirp + burst + 0.05 * lcg_noise(n, seed)).astype(np.float32)


DESCRIPTIONS = {}


def signal(sample_rate, n, seed):
    out = test_signal(sample_rate, n, seed)
    DESCRIPTIONS[id(out)] = {'sampleRate': sample_rate, 'length': n, 'seed': seed}
    return out


def describe(samples):
    return DESCRIPTIONS[id(samples)]


def slaney_mel_basis(sample_rate, n_fft, n_mels, fmin, fmax):
    # librosa.filters.mel defaults: Slaney scale, Slaney area norm. Shape [n_mels, bins].
    return torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, fmin, fmax, n_mels, sample_rate, norm='slaney', mel_scale='slaney').T


def vocoder_mel(x, sample_rate, n_fft, hop, n_mels, fmin, fmax):
    """The HiFi-GAN / BigVGAN / Amphion meldataset convention: reflect pad, center=False, ln clamp 1e-5."""
    wav = torch.from_numpy(x).double()[None]
    pad = (n_fft - hop) // 2
    wav = torch.nn.functional.pad(wav[None], (pad, pad), mode='reflect')[0]
    window = torch.hann_window(n_fft, dtype=torch.float64)
    spec = torch.stft(wav, n_fft, hop_length=hop, win_length=n_fft, window=window, center=False, return_complex=True)
    mag = torch.sqrt(spec.real ** 2 + spec.imag ** 2 + 1e-9)
    mel = slaney_mel_basis(sample_rate, n_fft, n_mels, fmin, fmax).double() @ mag[0]
    return torch.log(torch.clamp(mel, min=1e-5)).numpy()


def whisper_log_mel(x, n_mels):
    """openai/whisper audio.py log_mel_spectrogram, with the torch calls it makes."""
    wav = torch.from_numpy(x)
    window = torch.hann_window(400)
    stft = torch.stft(wav, 400, 160, window=window, return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    mel = slaney_mel_basis(16000, 400, n_mels, 0.0, 8000.0) @ magnitudes
    log_spec = torch.clamp(mel, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    return ((log_spec + 4.0) / 4.0).numpy()


def stacked_fbank(x):
    """transformers SeamlessM4TFeatureExtractor: Kaldi fbank of x*2^15, per-bin mean/var
    normalisation (ddof=1, +1e-7), zero-pad to an even frame count, stack frame pairs."""
    # float64 input: torchaudio computes in the input's dtype, and float32 rounding of energies
    # ~1e9 would dominate the comparison. (Its log floor becomes float64 epsilon; the test
    # signals' energies are far above either floor.)
    fb = kaldi.fbank(torch.from_numpy(x).double()[None] * 32768.0, num_mel_bins=80, sample_frequency=16000, dither=0.0,
                     window_type='povey', preemphasis_coefficient=0.97, remove_dc_offset=True, low_freq=20.0,
                     high_freq=0.0, use_energy=False, frame_length=25.0, frame_shift=10.0, snip_edges=True).numpy()
    mean = fb.mean(axis=0, keepdims=True)
    var = fb.var(axis=0, ddof=1, keepdims=True)
    normed = (fb - mean) / np.sqrt(var + 1e-7)
    if normed.shape[0] % 2:
        normed = np.concatenate([normed, np.zeros((1, normed.shape[1]), dtype=normed.dtype)])
    return fb, normed.reshape(normed.shape[0] // 2, 160)


def spectra():
    cases = {}
    s24 = signal(24000, 1200, 1)
    wav = torch.from_numpy(s24).double()
    spec = torch.stft(wav, 1920, 480, window=torch.hann_window(1920, dtype=torch.float64), center=True, pad_mode='reflect', return_complex=True)
    cases['stft_1920_center_reflect'] = {
        'params': {'nFft': 1920, 'hop': 480, 'center': True, 'padMode': 'reflect'},
        'signal': describe(s24), 're': f32(spec.real.numpy()), 'im': f32(spec.imag.numpy()),
    }
    s16 = signal(16000, 800, 2)
    spec = torch.stft(torch.from_numpy(s16).double(), 400, 160, window=torch.hann_window(400, dtype=torch.float64), center=True, pad_mode='constant', return_complex=True)
    cases['stft_400_center_constant'] = {
        'params': {'nFft': 400, 'hop': 160, 'center': True, 'padMode': 'constant'},
        'signal': describe(s16), 're': f32(spec.real.numpy()), 'im': f32(spec.imag.numpy()),
    }
    s22 = signal(22050, 5512, 3)
    cases['log_mel_22050_80_slaney'] = {
        'params': {'sampleRate': 22050, 'nFft': 1024, 'hop': 256, 'nMels': 80, 'fMin': 0, 'fMax': 8000},
        'signal': describe(s22), 'expected': f32(vocoder_mel(s22, 22050, 1024, 256, 80, 0.0, 8000.0)),
    }
    s24b = signal(24000, 6000, 4)
    cases['log_mel_24000_128_slaney_1920'] = {
        'params': {'sampleRate': 24000, 'nFft': 1920, 'hop': 480, 'nMels': 128, 'fMin': 0, 'fMax': 12000},
        'signal': describe(s24b), 'expected': f32(vocoder_mel(s24b, 24000, 1920, 480, 128, 0.0, 12000.0)),
    }
    s16b = signal(16000, 4000, 5)
    htk = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, hop_length=128, n_mels=64, f_min=0.0, f_max=8000.0, power=2.0)
    mel = htk(torch.from_numpy(s16b).double().float()).double()
    cases['power_mel_16000_64_htk'] = {
        'params': {'sampleRate': 16000, 'nFft': 512, 'hop': 128, 'nMels': 64, 'fMin': 0, 'fMax': 8000},
        'signal': describe(s16b), 'expected': f32(torch.log(torch.clamp(mel, min=1e-5)).numpy()),
    }
    s16c = signal(16000, 4800, 6)
    cases['whisper_log_mel_80'] = {'params': {'nMels': 80}, 'signal': describe(s16c), 'expected': f32(whisper_log_mel(s16c, 80))}
    cases['whisper_log_mel_128'] = {'params': {'nMels': 128}, 'signal': describe(s16c), 'expected': f32(whisper_log_mel(s16c, 128))}
    s16d = signal(16000, 4900, 7)  # 29 frames: exercises the odd-count padding
    fbank, stacked = stacked_fbank(s16d)
    cases['kaldi_fbank_80'] = {'signal': describe(s16d), 'expected': f32(fbank)}
    cases['stacked_fbank_160'] = {'signal': describe(s16d), 'expected': f32(stacked)}
    basis = {
        'slaney': slaney_mel_basis(8000, 64, 10, 100.0, 3500.0),
        'htk': torchaudio.functional.melscale_fbanks(33, 100.0, 3500.0, 10, 8000, norm=None, mel_scale='htk').T,
    }
    cases['mel_filterbanks_8000_64_10'] = {
        'params': {'sampleRate': 8000, 'nFft': 64, 'nMels': 10, 'fMin': 100, 'fMax': 3500},
        'slaney': f32(basis['slaney'].numpy()), 'htk': f32(basis['htk'].numpy()),
    }
    return {'generator': 'scripts/reference/make-fixtures.py', 'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'cases': cases}


def ffmpeg(args, out):
    subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', *args, out], check=True)


def coded_files():
    """Small files written by real encoders: a 440 Hz tone (left) and 660 Hz (right) for 0.5 s."""
    folder = os.path.join(OUT, 'coded')
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(folder, 'source.f32')
    rate = 24000
    t = np.arange(rate // 2) / rate
    stereo = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), 0.25 * np.sin(2 * np.pi * 660 * t)], axis=1).astype('<f4')
    stereo.tofile(source)
    raw = ['-f', 'f32le', '-ar', str(rate), '-ac', '2', '-i', source]
    ffmpeg(raw + ['-c:a', 'libmp3lame', '-b:a', '64k'], os.path.join(folder, 'tone-stereo-24k.mp3'))
    ffmpeg(raw + ['-c:a', 'libvorbis', '-q:a', '2'], os.path.join(folder, 'tone-stereo-24k.ogg'))
    ffmpeg(raw + ['-c:a', 'libopus', '-b:a', '32k'], os.path.join(folder, 'tone-stereo-24k.opus'))
    short = ['-t', '0.05']
    ffmpeg(raw + short + ['-c:a', 'flac'], os.path.join(folder, 'tone-stereo-24k.flac'))
    ffmpeg(raw + short + ['-c:a', 'pcm_s24le'], os.path.join(folder, 'tone-stereo-24k-s24.wav'))
    ffmpeg(raw + short + ['-c:a', 'pcm_f64le'], os.path.join(folder, 'tone-stereo-24k-f64.wav'))
    ffmpeg(raw + short + ['-c:a', 'pcm_u8'], os.path.join(folder, 'tone-stereo-24k-u8.wav'))
    # Four channels force WAVE_FORMAT_EXTENSIBLE in ffmpeg's muxer.
    ffmpeg(raw + short + ['-filter_complex', '[0:a]pan=4.0|FL=c0|FR=c1|FC=c0|BC=c1', '-c:a', 'pcm_s16le'], os.path.join(folder, 'tone-quad-24k-extensible.wav'))
    os.remove(source)
    version = subprocess.run(['ffmpeg', '-version'], capture_output=True, text=True).stdout.splitlines()[0]
    with open(os.path.join(folder, 'README.md'), 'w') as f:
        f.write('Written by scripts/reference/make-fixtures.py with ' + version + '.\n'
                'Lossy files: 0.5 s, lossless ones 0.05 s, at 24 kHz: 440 Hz at 0.5 (left/FL/FC) and 660 Hz at 0.25 (right/FR/BC).\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'spectra.json'), 'w') as f:
        json.dump(spectra(), f, separators=(',', ':'))
    coded_files()
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(OUT) for n in names)
    print(f'fixtures written to {OUT}: {total} bytes', file=sys.stderr)


if __name__ == '__main__':
    main()
