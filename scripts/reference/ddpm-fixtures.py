#!/usr/bin/env python3
"""Reference numbers for the engine's DDPM sampler (core/generation/ddpm.ts).

diffusers' DDPMScheduler (schedulers/scheduling_ddpm.py) written out in plain torch, since
diffusers is not installable here. The formulas, restated from that file:

  set_timesteps, "leading":  ratio = T // n;  timesteps = (arange(n) * ratio).round()[::-1] + steps_offset
      (diffusers 0.18.2, the version PicoAudio pins, has no steps_offset here: offset 0)
  set_timesteps, "trailing": timesteps = round(arange(T, 0, -T / n)) - 1
  step(model_output, t, sample):
    prev_t = t - T // n
    ᾱ_t = alphas_cumprod[t];  ᾱ_prev = alphas_cumprod[prev_t] if prev_t >= 0 else 1 ("self.one")
    β̄_t = 1 − ᾱ_t;  β̄_prev = 1 − ᾱ_prev;  α_t = ᾱ_t / ᾱ_prev;  β_t = 1 − α_t
    x̂₀ = (x − √β̄_t·ε) / √ᾱ_t  (epsilon)   |   √ᾱ_t·x − √β̄_t·v  (v_prediction)
    if clip_sample: x̂₀ = clamp(x̂₀, −clip_sample_range, clip_sample_range)
    μ = (√ᾱ_prev·β_t / β̄_t)·x̂₀ + (√α_t·β̄_prev / β̄_t)·x          (Ho et al. 2020, eq. 7)
    if t > 0: x_prev = μ + √max(β̄_prev / β̄_t · β_t, 1e-20) · z    (variance_type "fixed_small")
    else:     x_prev = μ

The model outputs and the noises z are given (random here), so the fixture checks the step
arithmetic alone; the TypeScript test feeds the same z through its noise source.

    /usr/bin/python3 scripts/reference/ddpm-fixtures.py

Writes test/generation/fixtures/ddpm.json.
"""
import json
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'generation', 'fixtures', 'ddpm.json')
T = 1000


def alphas_cumprod(start, end):
    betas = torch.linspace(start ** 0.5, end ** 0.5, T, dtype=torch.float32) ** 2  # scaled_linear
    return torch.cumprod(1.0 - betas, dim=0)


def timesteps_for(n, spacing, offset):
    if spacing == 'leading':
        ratio = T // n
        return [int(t) + offset for t in (torch.arange(0, n) * ratio).flip(0).tolist()]
    return [int(t) for t in (torch.arange(T, 0, -T / n, dtype=torch.float64).round() - 1).tolist()]


def step(ac, n, model_output, t, x, prediction, clip, z):
    prev_t = t - T // n
    one = torch.tensor(1.0)
    a = ac[t]
    a_prev = ac[prev_t] if prev_t >= 0 else one
    b = 1 - a
    b_prev = 1 - a_prev
    cur_a = a / a_prev
    cur_b = 1 - cur_a
    if prediction == 'epsilon':
        x0 = (x - b ** 0.5 * model_output) / a ** 0.5
    else:
        x0 = a ** 0.5 * x - b ** 0.5 * model_output
    if clip is not None:
        x0 = x0.clamp(-clip, clip)
    mean = (a_prev ** 0.5 * cur_b / b) * x0 + (cur_a ** 0.5 * b_prev / b) * x
    if t > 0:
        variance = torch.clamp(b_prev / b * cur_b, min=1e-20)
        mean = mean + variance ** 0.5 * z
    return mean


def main():
    g = torch.Generator().manual_seed(21)
    size = 24
    cases = []
    for name, steps, prediction, spacing, offset, clip in [
        ('PicoAudio: v-prediction, leading, diffusers 0.18.2 (no offset)', 10, 'v_prediction', 'leading', 0, None),
        ('epsilon, leading with steps_offset 1, clip_sample 1.0', 8, 'epsilon', 'leading', 1, 1.0),
        ('v-prediction, trailing', 7, 'v_prediction', 'trailing', 0, None),
    ]:
        ac = alphas_cumprod(0.00085, 0.012)
        timesteps = timesteps_for(steps, spacing, offset)
        x = torch.randn(size, generator=g)
        start = x.clone()
        outputs, noises, trace = [], [], []
        for t in timesteps:
            m = torch.randn(size, generator=g)
            z = torch.randn(size, generator=g)
            x = step(ac, steps, m, t, x, prediction, clip, z)
            outputs.append(m.tolist())
            noises.append(z.tolist())
            trace.append(x.double().tolist())
        cases.append({
            'name': name, 'steps': steps, 'predictionType': prediction, 'spacing': spacing, 'stepsOffset': offset,
            'clipSample': clip, 'timesteps': timesteps, 'xT': start.tolist(), 'modelOutputs': outputs,
            'noises': noises, 'trace': trace,
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'cases': cases}, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
