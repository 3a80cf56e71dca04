#!/usr/bin/env python3
"""Reference numbers for core/generation, computed in torch the way the libraries do it.

No transformers or diffusers here: their formulas are written out below in plain torch,
line for line after
  transformers generation/logits_process.py (RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper, MinPLogitsWarper),
  diffusers schedulers/scheduling_ddim.py (eta=0) and scheduling_pndm.py (skip_prk_steps),
  VoxCPM unified_cfm.py solve_euler (sway sampling, CFG-Zero*) and Amphion's midpoint Euler
  with rescaled CFG (Vevo flow matching).

    /usr/bin/python3 scripts/reference/generation-fixtures.py

Writes test/generation/fixtures/reference.json. Inputs are deterministic (fixed seed).
"""
import json
import math
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'generation', 'fixtures', 'reference.json')
NEG = float('-inf')


def floats(t):
    return [None if math.isinf(v) else v for v in t.double().flatten().tolist()]


# ---- samplers (transformers semantics) ----
def repetition_penalty(scores, input_ids, penalty):
    score = torch.gather(scores, 1, input_ids)
    score = torch.where(score < 0, score * penalty, score / penalty)
    return scores.scatter(1, input_ids, score)


def temperature(scores, t):
    return scores / t


def top_k(scores, k, min_keep=1):
    k = min(max(k, min_keep), scores.size(-1))
    remove = scores < torch.topk(scores, k)[0][..., -1, None]
    return scores.masked_fill(remove, NEG)


def top_p(scores, p, min_keep=1):
    sorted_logits, sorted_indices = torch.sort(scores, descending=False)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    sorted_remove = cumulative <= (1 - p)
    sorted_remove[..., -min_keep:] = 0
    remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
    return scores.masked_fill(remove, NEG)


def min_p(scores, mp, min_keep=1):
    probs = torch.softmax(scores, dim=-1)
    top = probs.amax(dim=-1, keepdim=True)
    remove = probs < mp * top
    sorted_indices = torch.argsort(scores, descending=True, dim=-1)
    sorted_remove = torch.gather(remove, dim=-1, index=sorted_indices)
    sorted_remove[..., :min_keep] = False
    remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
    return scores.masked_fill(remove, NEG)


def process(scores, history, s):
    scores = scores.clone()
    if s.get('repetitionPenalty', 1) != 1:
        scores = repetition_penalty(scores, torch.tensor([history]), s['repetitionPenalty'])
    if not s.get('temperature'):
        return scores
    scores = temperature(scores, s['temperature'])
    if s.get('topK'):
        scores = top_k(scores, s['topK'])
    if s.get('topP') is not None:
        scores = top_p(scores, s['topP'])
    if s.get('minP'):
        scores = min_p(scores, s['minP'])
    return scores


def inverse_cdf(probs, u):
    target = u
    last = -1
    for i, q in enumerate(probs.tolist()):
        if q <= 0:
            continue
        last = i
        target -= q
        if target < 0:
            return i
    return last


def sampler_cases():
    g = torch.Generator().manual_seed(7)
    cases = []
    settings = [
        {'repetitionPenalty': 1.3},
        {'temperature': 0.7},
        {'temperature': 1.0, 'topK': 5},
        {'temperature': 1.0, 'topP': 0.8},
        {'temperature': 1.0, 'minP': 0.1},
        {'temperature': 0.8, 'topK': 10, 'topP': 0.9, 'minP': 0.05, 'repetitionPenalty': 1.2},
    ]
    for s in settings:
        logits = (torch.randn(1, 40, generator=g) * 1.2).float()
        history = torch.randint(0, 40, (6,), generator=g).tolist()
        out = process(logits, history, s)
        probs = torch.softmax(out.double(), dim=-1)[0]
        uniforms = torch.rand(5, generator=g, dtype=torch.float64).tolist()
        cases.append({
            'settings': s,
            'logits': floats(logits),
            'history': history,
            'processed': floats(out),
            'uniforms': uniforms,
            'draws': [inverse_cdf(probs, u) for u in uniforms] if s.get('temperature') else [int(out.argmax())] * len(uniforms),
        })
    return cases


# ---- diffusers noise schedule, DDIM, PNDM ----
def alphas_cumprod(n=1000, start=0.00085, end=0.012):
    betas = torch.linspace(start ** 0.5, end ** 0.5, n, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


AC = alphas_cumprod()
FINAL = AC[0]  # set_alpha_to_one=False
N_TRAIN = 1000


def model(x, t):
    """A stand-in denoiser: smooth, depends on sample and timestep."""
    return 0.3 * torch.sin(3.0 * x + t / 150.0) + 0.1 * x


def ddim(steps, x, prediction='epsilon'):
    ratio = N_TRAIN // steps
    timesteps = (torch.arange(0, steps) * ratio).round().flip(0) + 1
    trace = []
    for t in timesteps.tolist():
        out = model(x, t)
        prev = t - ratio
        a = AC[t]
        a_prev = AC[prev] if prev >= 0 else FINAL
        b = 1 - a
        if prediction == 'epsilon':
            x0 = (x - b ** 0.5 * out) / a ** 0.5
            eps = out
        else:
            x0 = a ** 0.5 * x - b ** 0.5 * out
            eps = a ** 0.5 * out + b ** 0.5 * x
        direction = (1 - a_prev) ** 0.5 * eps
        x = a_prev ** 0.5 * x0 + direction
        trace.append(floats(x))
    return timesteps.tolist(), trace


def pndm(steps, x):
    ratio = N_TRAIN // steps
    _t = (torch.arange(0, steps) * ratio).round() + 1
    timesteps = torch.cat([_t[:-1], _t[-2:-1], _t[-1:]]).flip(0).long().tolist()
    ets, counter, cur_sample = [], 0, None
    trace = []
    for t in timesteps:
        out = model(x, t)
        sample = x
        prev = t - ratio
        if counter != 1:
            ets = ets[-3:]
            ets.append(out)
        else:
            prev = t
            t = t + ratio
        if len(ets) == 1 and counter == 0:
            cur_sample = sample
        elif len(ets) == 1 and counter == 1:
            out = (out + ets[-1]) / 2
            sample = cur_sample
            cur_sample = None
        elif len(ets) == 2:
            out = (3 * ets[-1] - ets[-2]) / 2
        elif len(ets) == 3:
            out = (23 * ets[-1] - 16 * ets[-2] + 5 * ets[-3]) / 12
        else:
            out = (1 / 24) * (55 * ets[-1] - 59 * ets[-2] + 37 * ets[-3] - 9 * ets[-4])
        a = AC[t]
        a_prev = AC[prev] if prev >= 0 else FINAL
        b, b_prev = 1 - a, 1 - a_prev
        coeff = (a_prev / a) ** 0.5
        denom = a * b_prev ** 0.5 + (a * b * a_prev) ** 0.5
        x = coeff * sample - (a_prev - a) * out / denom
        counter += 1
        trace.append(floats(x))
    return timesteps, trace


# ---- flow matching ----
def velocity(x, t, cond):
    return torch.cos(2.0 * x + 3.0 * t) * (1.0 if cond else 0.4) - 0.5 * x + (0.2 if cond else -0.1)


def std(v):
    return v.std()


def vevo_midpoint(n, x, cfg, rescale):
    h = 1.0 / n
    for i in range(n):
        t = (i + 0.5) / n
        c, u = velocity(x, t, True), velocity(x, t, False)
        g = c + cfg * (c - u)
        g = rescale * (g * std(c) / std(g)) + (1 - rescale) * g
        x = x + h * g
    return floats(x)


def voxcpm_sway(n, x, cfg, sway=1.0):
    t_span = torch.linspace(1, 0, n + 1, dtype=torch.float64)
    t_span = t_span + sway * (torch.cos(torch.pi / 2 * t_span) - 1 + t_span)
    t, dt = t_span[0], t_span[0] - t_span[1]
    zero_init = max(1, int(len(t_span) * 0.04))
    for step in range(1, len(t_span)):
        if step <= zero_init:
            v = torch.zeros_like(x)
        else:
            c, u = velocity(x, float(t), True), velocity(x, float(t), False)
            st = (c * u).sum() / ((u * u).sum() + 1e-8)
            v = u * st + cfg * (c - u * st)
        x = x - dt * v
        t = t - dt
        if step < len(t_span) - 1:
            dt = t - t_span[step + 1]
    return floats(x), [float(v) for v in t_span]


def main():
    g = torch.Generator().manual_seed(11)
    x_t = torch.randn(12, generator=g, dtype=torch.float64)
    ddim_t, ddim_trace = ddim(10, x_t.clone())
    ddim_vt, ddim_vtrace = ddim(8, x_t.clone(), 'v_prediction')
    pndm_t, pndm_trace = pndm(10, x_t.clone())
    x0 = torch.randn(16, generator=g, dtype=torch.float64)
    vox, vox_times = voxcpm_sway(10, x0.clone(), 2.0)
    out = {
        'about': 'scripts/reference/generation-fixtures.py, torch ' + torch.__version__,
        'samplers': sampler_cases(),
        'noise': {'alphasCumprod': {str(i): float(AC[i]) for i in (0, 1, 500, 998, 999)}},
        'ddim': {'xT': floats(x_t), 'steps': 10, 'timesteps': ddim_t, 'trace': ddim_trace},
        'ddimV': {'xT': floats(x_t), 'steps': 8, 'timesteps': ddim_vt, 'trace': ddim_vtrace},
        'pndm': {'xT': floats(x_t), 'steps': 10, 'timesteps': pndm_t, 'trace': pndm_trace},
        'flow': {
            'x0': floats(x0),
            'midpoint': {'steps': 16, 'cfg': 1.0, 'rescale': 0.75, 'x1': vevo_midpoint(16, x0.clone(), 1.0, 0.75)},
            'sway': {'steps': 10, 'cfg': 2.0, 'times': vox_times, 'x1': vox},
        },
    }
    with open(OUT, 'w') as f:
        json.dump(out, f)
        f.write('\n')
    print('wrote', os.path.relpath(OUT, ROOT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
