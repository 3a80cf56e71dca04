#!/usr/bin/env python3
"""Reference numbers for Noro's TypeScript front end (plugins/noro/pipeline/*.ts), computed
the way Amphion's code computes them (restated here in plain torch/numpy):

  noro_inference.py:  wav = np.pad(wav, (0, 1600 - len(wav) % 1600));  ref: the same with 200
  HubertExtractor:    F.pad(wav, (40, 40), "reflect");  F.interpolate(embed, scale_factor=1.6, mode="nearest")
  utils/mel.py mel_spectrogram_torch (n_fft 1024, hop 200, win 800, 80 mels, fmin 0, fmax 8000, 16 kHz):
      reflect pad (n_fft - hop)/2 each side, stft(center=False, hann(800) periodic),
      sqrt(re² + im² + 1e-6), librosa Slaney mel (torchaudio melscale_fbanks slaney/slaney), log(clamp(x, 1e-5))
  utils/f0.py interpolate:  f0[uv] = np.interp(where(uv), where(~uv), f0[~uv])
  noro_inference.py:  (pitch - pitch.mean()) / (pitch.std() + 1e-6)   (torch.std: unbiased)

    /usr/bin/python3 scripts/reference/noro-fixtures.py

Writes plugins/noro/test/fixtures/front-end.json.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'plugins', 'noro', 'test', 'fixtures', 'front-end.json')


def signal(n, seed):
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(n) / 16000
    return (0.4 * torch.sin(2 * np.pi * (120 + 300 * t) * t) + 0.05 * torch.randn(n, generator=g)).float()


def mel_spectrogram_torch(y):
    n_fft, hop, win = 1024, 200, 800
    basis = torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, 0.0, 8000.0, 80, 16000, norm='slaney', mel_scale='slaney').T
    y = F.pad(y[None, None], ((n_fft - hop) // 2, (n_fft - hop) // 2), mode='reflect')[0]
    spec = torch.stft(y, n_fft, hop_length=hop, win_length=win, window=torch.hann_window(win), center=False,
                      normalized=False, onesided=True, return_complex=True)
    spec = torch.view_as_real(spec)
    spec = torch.sqrt(spec.pow(2).sum(-1) + 1e-6)
    return torch.log(torch.clamp(basis @ spec, min=1e-5))[0]  # [80, frames]


def main():
    source = signal(3680, 0)
    padded = np.pad(source.numpy(), (0, 1600 - len(source) % 1600))
    reflected = F.pad(torch.from_numpy(padded)[None, None], (40, 40), mode='reflect')[0, 0]

    reference = signal(5230, 1)
    ref_padded = np.pad(reference.numpy(), (0, 200 - len(reference) % 200))
    mel = mel_spectrogram_torch(torch.from_numpy(ref_padded))

    features = torch.randn(15, 4, generator=torch.Generator().manual_seed(2))
    upsampled = F.interpolate(features.T[None], scale_factor=1.6, mode='nearest')[0].T

    f0 = np.array([0, 0, 110.0, 0, 0, 130.0, 140.0, 0, 0, 0, 200.0, 0], dtype=np.float64)
    uv = f0 == 0
    interpolated = f0.copy()
    interpolated[uv] = np.interp(np.where(uv)[0], np.where(~uv)[0], f0[~uv])
    pitch = torch.from_numpy(interpolated).float()[None]
    standardised = (pitch - pitch.mean(dim=1, keepdim=True)) / (pitch.std(dim=1, keepdim=True) + 1e-6)

    payload = {
        'source': source.tolist(), 'paddedLength': len(padded),
        'reflectedHead': reflected[:60].tolist(), 'reflectedTail': reflected[-60:].tolist(), 'reflectedLength': len(reflected),
        'reference': reference.tolist(), 'refPaddedLength': len(ref_padded), 'mel': mel.flatten().tolist(), 'melFrames': mel.shape[1],
        'features': features.flatten().tolist(), 'upsampled': upsampled.flatten().tolist(), 'upsampledFrames': upsampled.shape[0],
        'f0': f0.tolist(), 'interpolated': interpolated.tolist(), 'standardised': standardised[0].tolist(),
    }
    with open(OUT, 'w') as f:
        json.dump(payload, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
