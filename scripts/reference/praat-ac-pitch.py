#!/usr/bin/env python3
"""Praat's "To Pitch (ac)" (Boersma 1993; fon/Sound_to_Pitch.cpp, method AC_HANNING) in
vectorised numpy: the timing baseline for the hub's F0 extractor (bench/pitch-chroma.ts)
and a second, independent reading of the algorithm core/audio/dsp/f0.ts ports.

    /usr/bin/python3 scripts/reference/praat-ac-pitch.py     # checks itself against Praat

Same settings as the hub's defaults (16 kHz, hop 256, floor 50 Hz, ceiling 1100 Hz, 15
candidates, silence 0.03, voicing 0.6, octave 0.01, octave-jump 0.35, voiced/unvoiced
0.14). Every step that is independent across frames or candidates runs on whole arrays:
framing by fancy indexing, one batched rfft/irfft for all autocorrelations, peak picking by
masks, sinc interpolation as a (candidates × taps) product and Brent's maximisation run in
lockstep over all candidates; only the Viterbi recursion, sequential by nature, loops over
frames (on candidate-by-candidate matrices).
"""
import numpy as np

PERIODS_PER_WINDOW = 3
MAX_CANDIDATES = 15
SILENCE, VOICING, OCTAVE_COST, OCTAVE_JUMP, VOICED_UNVOICED = 0.03, 0.6, 0.01, 0.35, 0.14
GOLDEN = (3 - np.sqrt(5)) / 2
SQRT_EPS = np.sqrt(np.finfo(float).eps)


def interpolate_sinc(y, row, x, depth):
    """Praat's NUM_interpolate_sinc of rows y[row] at fractional 0-based x (arrays), up to
    `depth` samples each side, its taper reaching the last sample used."""
    n = y.shape[1]
    out = np.empty(len(x))
    lo, hi = x <= 0, x >= n - 1
    out[lo], out[hi] = y[row[lo], 0], y[row[hi], n - 1]
    rest = ~(lo | hi)
    r, xr = row[rest], x[rest]
    midleft = np.floor(xr).astype(np.int64)
    midright = midleft + 1
    d = np.minimum(np.minimum(depth, midright), n - midleft - 1)
    value = np.empty(len(xr))
    exact = xr == midleft
    linear = ~exact & (d < 3)
    value[exact] = y[r[exact], midleft[exact]]
    value[linear] = y[r[linear], midleft[linear]] + (xr[linear] - midleft[linear]) * (y[r[linear], midright[linear]] - y[r[linear], midleft[linear]])
    s = ~exact & ~linear
    r, xs, ml, mr, d = r[s], xr[s], midleft[s], midright[s], d[s]
    j = np.arange(depth)
    alternating = np.where(j % 2 == 0, 1.0, -1.0) / np.pi
    full = bool(np.all(d == depth))
    # Rows of `depth` consecutive samples, gathered without a per-tap index array.
    windows = np.lib.stride_tricks.sliding_window_view(y, depth, axis=1)
    total = np.zeros(len(xs))
    for side, offset, span in (('left', xs - ml, xs - (mr - d) + 1), ('right', mr - xs, (ml + d) - xs + 1)):
        # Taps at distance offset + j from x (j = 0, 1, …), leftwards from midleft or
        # rightwards from midright; the Hann-like taper spans `span`.
        dist = offset[:, None] + j
        taps = np.cos(dist * (np.pi / span)[:, None])
        taps += 1
        taps *= alternating
        taps /= dist
        if full:
            values = windows[r, ml - depth + 1][:, ::-1] if side == 'left' else windows[r, mr]
        else:
            idx = np.clip(ml[:, None] - j if side == 'left' else mr[:, None] + j, 0, n - 1)
            values = np.where(j < d[:, None], y[r[:, None], idx], 0.0)
        total += 0.5 * np.sin(np.pi * offset) * np.einsum('ij,ij->i', values, taps)
    value[s] = total
    out[rest] = value
    return out


def refine_maximum(y, row, peak, depth):
    """Brent's maximisation of the interpolated rows on [peak − 1, peak + 1] to 1e-10 (as
    Praat's NUMimproveMaximum), every candidate stepping in lockstep until its own stop."""
    f = lambda rows, x: -interpolate_sinc(y, rows, x, depth)
    a, b = peak - 1.0, peak + 1.0
    v = a + GOLDEN * (b - a)
    fv = f(row, v)
    x, w, fx, fw = v.copy(), v.copy(), fv.copy(), fv.copy()
    active = np.ones(len(peak), dtype=bool)
    tol = 1e-10
    for _ in range(60):
        middle = (a + b) / 2
        tol_act = SQRT_EPS * np.abs(x) + tol / 3
        active &= ~(np.abs(x - middle) + (b - a) / 2 <= 2 * tol_act)
        if not active.any():
            break
        i = np.nonzero(active)[0]
        xa, wa, va, fxa, fwa, fva, aa, ba, ta, ma = x[i], w[i], v[i], fx[i], fw[i], fv[i], a[i], b[i], tol_act[i], middle[i]
        step = GOLDEN * np.where(xa < ma, ba - xa, aa - xa)
        # Parabola through x, w, v: its vertex, where it falls well inside [a, b] and shrinks the step.
        t = (xa - wa) * (fxa - fva)
        q = (xa - va) * (fxa - fwa)
        p = (xa - va) * q - (xa - wa) * t
        q = 2 * (q - t)
        p = np.where(q > 0, -p, p)
        q = np.abs(q)
        with np.errstate(divide='ignore', invalid='ignore'):
            parabolic = (np.abs(xa - wa) >= ta) & (np.abs(p) < np.abs(step * q)) & (p > q * (aa - xa + 2 * ta)) & (p < q * (ba - xa - 2 * ta))
            step = np.where(parabolic, p / q, step)
        step = np.where(np.abs(step) < ta, np.where(step > 0, ta, -ta), step)
        u = xa + step
        fu = f(row[i], u)
        better = fu <= fxa
        # Better: the bracket shrinks to the side of x away from u; u becomes x.
        a[i] = np.where(better, np.where(u < xa, aa, xa), np.where(u < xa, u, aa))
        b[i] = np.where(better, np.where(u < xa, xa, ba), np.where(u < xa, ba, u))
        second = ~better & ((fu <= fwa) | (wa == xa))
        third = ~better & ~second & ((fu <= fva) | (va == xa) | (va == wa))
        v[i] = np.where(better, wa, np.where(second, wa, np.where(third, u, va)))
        fv[i] = np.where(better, fwa, np.where(second, fwa, np.where(third, fu, fva)))
        w[i] = np.where(better, xa, np.where(second, u, wa))
        fw[i] = np.where(better, fxa, np.where(second, fu, fwa))
        x[i] = np.where(better, u, xa)
        fx[i] = np.where(better, fu, fxa)
    return x, -fx


def to_pitch_ac(signal, sample_rate, hop=256, fmin=50.0, fmax=1100.0):
    """(f0 per frame, 0 where unvoiced; time of the first frame in seconds)."""
    x = np.asarray(signal, dtype=np.float64)
    n = len(x)
    dx, dt = 1 / sample_rate, hop / sample_rate
    ceiling = min(fmax, 0.5 * sample_rate)
    window_seconds = PERIODS_PER_WINDOW / fmin
    frames = max(0, int(np.floor((n * dx - window_seconds) / dt)) + 1)
    start_seconds = 0.5 * n * dx - 0.5 * frames * dt + 0.5 * dt
    global_peak = np.max(np.abs(x - np.sum(x) / n)) if n else 0.0
    if frames == 0 or global_peak == 0:
        return np.zeros(frames), start_seconds

    period = int(np.floor(1 / dx / fmin))
    half_period = period // 2 + 1
    half_window = int(np.floor(window_seconds / dx)) // 2 - 1
    window_length = 2 * half_window
    maximum_lag = min(window_length // PERIODS_PER_WINDOW + 2, window_length)
    max_lag = window_length // 2
    fft_size = 1
    while fft_size < window_length + max_lag:
        fft_size *= 2
    if fft_size // 4 * 3 >= window_length + max_lag:
        fft_size = fft_size // 4 * 3  # any size ≥ window + max lag gives the same lags; 3·2^k is cheaper
    max_candidates = max(MAX_CANDIDATES, int(np.floor(ceiling / fmin)))
    sr = 1 / dx

    window = 0.5 - 0.5 * np.cos((np.arange(window_length) + 1) * 2 * np.pi / (window_length + 1))
    window_r = np.fft.irfft(np.abs(np.fft.rfft(window, fft_size)) ** 2, fft_size)[:window_length]
    window_r /= window_r[0]

    t = start_seconds + np.arange(frames) * dt
    left = np.floor(t / dx - 0.5).astype(np.int64)
    right = left + 1
    # Local means over [right − period, left + period] from a running sum.
    csum = np.concatenate(([0.0], np.cumsum(x)))
    local_mean = (csum[left + period + 1] - csum[right - period]) / (2 * period)
    first = right - half_window
    segments = x[first[:, None] + np.arange(window_length)[None, :]]
    segments -= local_mean[:, None]
    segments *= window
    local_peak = np.max(np.abs(segments[:, max(0, half_window - half_period):min(window_length, half_window + half_period)]), axis=1)
    intensity = np.minimum(1, local_peak / global_peak)
    sounding = local_peak > 0

    spectra = np.fft.rfft(segments, fft_size, axis=1)
    ac = np.fft.irfft(spectra.real ** 2 + spectra.imag ** 2, fft_size, axis=1)[:, :max_lag + 1]
    with np.errstate(divide='ignore', invalid='ignore'):
        half = ac[:, 1:] / (ac[:, :1] * window_r[1:max_lag + 1])
    # Lags −maxLag..maxLag, so interpolation near lag 0 sees the curve's symmetry.
    r = np.concatenate((half[:, ::-1], np.ones((frames, 1)), half), axis=1)

    # First pass: local maxima above half the voicing threshold, located by a parabola.
    top = min(maximum_lag, max_lag)
    lag = r[:, max_lag + 1:max_lag + top + 1]  # lags 1..top
    mid = lag[:, 1:-1]  # lags 2..top−1
    peaks = (mid > 0.5 * VOICING) & (mid > lag[:, :-2]) & (mid >= lag[:, 2:]) & sounding[:, None]
    frame_of, column = np.nonzero(peaks)
    i = column + 2
    prev, here, nxt = lag[frame_of, column], lag[frame_of, column + 1], lag[frame_of, column + 2]
    frequency = sr / (i + 0.5 * (nxt - prev) / (2 * here - prev - nxt))
    strength = interpolate_sinc(r, frame_of, sr / frequency + max_lag, 30)
    strength = np.where(strength > 1, 1 / strength, strength)
    frequency, strength, peak, frame_of = prune(frame_of, frequency, strength, i, frames, max_candidates, fmin)

    # Second pass: each candidate at the maximum of the sinc-interpolated correlation.
    best_x, best_value = np.empty(len(peak)), np.empty(len(peak))
    for deep in (False, True):
        chosen = (frequency > 0.3 * sr) == deep
        best_x[chosen], best_value[chosen] = refine_maximum(r, frame_of[chosen], (peak[chosen] + max_lag).astype(np.float64), 700 if deep else 70)
    frequency = sr / (best_x - max_lag)
    strength = np.where(best_value > 1, 1 / best_value, best_value)
    return best_path(frame_of, frequency, strength, intensity, frames, ceiling, dt), start_seconds


def prune(frame_of, frequency, strength, lag, frames, max_candidates, fmin):
    """At most max_candidates − 1 voiced candidates per frame: past that Praat replaces the
    weakest (strength less the octave cost) when the newcomer scores higher, in lag order.
    Frames that need it are rare, so they are handled one by one."""
    counts = np.bincount(frame_of, minlength=frames)
    if counts.max(initial=0) < max_candidates:
        return frequency, strength, lag, frame_of
    keep = np.ones(len(frame_of), dtype=bool)
    order = np.arange(len(frame_of))
    starts = np.concatenate(([0], np.cumsum(counts)))
    for f in np.nonzero(counts >= max_candidates)[0]:
        members = list(order[starts[f]:starts[f + 1]])
        slots = members[:max_candidates - 1]
        score = lambda c: strength[c] - OCTAVE_COST * np.log2(fmin / frequency[c])
        for c in members[max_candidates - 1:]:
            weakest = min(range(len(slots)), key=lambda k: (score(slots[k]), k))
            if score(c) > score(slots[weakest]):
                keep[slots[weakest]] = False
                slots[weakest] = c
            else:
                keep[c] = False
        # Slot order decides ties in the path search, so keep it (not lag order).
        order[starts[f]:starts[f] + len(slots)] = slots
    sel = np.concatenate([order[starts[f]:starts[f] + min(counts[f], max_candidates - 1)] for f in range(frames)]).astype(np.int64)
    return frequency[sel], strength[sel], lag[sel], frame_of[sel]


def best_path(frame_of, frequency, strength, intensity, frames, ceiling, dt):
    """Viterbi over [unvoiced, voiced candidates…] per frame (Praat's Pitch_pathFinder)."""
    counts = np.bincount(frame_of, minlength=frames)
    width = 1 + counts.max(initial=0)
    slot = np.arange(len(frame_of)) - np.concatenate(([0], np.cumsum(counts)))[frame_of] + 1
    freq = np.zeros((frames, width))
    freq[frame_of, slot] = frequency
    present = np.zeros((frames, width), dtype=bool)
    present[:, 0] = True
    present[frame_of, slot] = True
    voiced = present & (freq > 0) & (freq < ceiling)
    correction = 0.01 / dt
    jump, switch = OCTAVE_JUMP * correction, VOICED_UNVOICED * correction
    unvoiced_strength = VOICING + np.maximum(0, 2 - intensity / (SILENCE / (1 + VOICING)))
    local = np.full((frames, width), -np.inf)
    local[present] = np.broadcast_to(unvoiced_strength[:, None], (frames, width))[present]
    with np.errstate(divide='ignore', invalid='ignore'):
        voiced_strength = np.zeros((frames, width))
        voiced_strength[frame_of, slot] = strength
        local = np.where(voiced, voiced_strength - OCTAVE_COST * np.log2(ceiling / freq), local)
        logs = np.where(voiced, np.log2(freq), 0.0)
    back = np.zeros((frames, width), dtype=np.int64)
    delta = local[0].copy()
    for t in range(1, frames):
        v1, v2 = voiced[t - 1], voiced[t]
        cost = np.where(v1[:, None] & v2[None, :], jump * np.abs(logs[t - 1][:, None] - logs[t][None, :]), np.where(v1[:, None] != v2[None, :], switch, 0.0))
        value = delta[:, None] - cost + local[t][None, :]
        back[t] = np.argmax(value, axis=0)  # the first of equal maxima, as Praat
        delta = value[back[t], np.arange(width)]
    place = int(np.argmax(delta))
    f0 = np.zeros(frames)
    for t in range(frames - 1, -1, -1):
        f0[t] = freq[t, place] if voiced[t, place] else 0.0
        place = back[t, place]
    return f0


def main():
    """Agreement with Praat itself on the F0 fixtures' signals."""
    import importlib
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    fixtures = importlib.import_module('pitch-chroma-fixtures')
    for name, (sr, n, f0, f1, seed) in fixtures.PITCH_CASES.items():
        x = fixtures.sung(sr, n, f0, f1, seed)
        ours, t1 = to_pitch_ac(x, sr)
        praat, praat_t1 = fixtures.praat_pitch(x, sr)
        both = (ours > 0) & (praat > 0)
        mismatched = int(np.sum((ours > 0) != (praat > 0)))
        worst = float(np.max(np.abs(ours[both] / praat[both] - 1))) if both.any() else 0.0
        print(f'{name}: {len(ours)} frames (Praat {len(praat)}), start {t1:.9f} (Praat {praat_t1:.9f}), voicing mismatches {mismatched}, voiced F0 max relative difference {worst:.2e}')


if __name__ == '__main__':
    main()
