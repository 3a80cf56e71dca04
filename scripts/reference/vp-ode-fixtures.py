#!/usr/bin/env python3
"""Reference numbers for the engine's VP probability-flow ODE sampler (core/generation/vp-ode.ts).

The sampler as score-based decoders with an x0-predicting network write it (restated, in
plain torch float32):

  B(t) = beta_min*t + 0.5*(beta_max - beta_min)*t**2;   beta(t) = beta_min + (beta_max - beta_min)*t
  for i in range(N): t = 1 - (i + 0.5)*h,  h = 1/N
      mean = x0_pred * exp(-0.5*B/sigma**2);  var = sigma**2 * (1 - exp(-B/sigma**2))
      logp = -(x - mean)/(var + 1e-8)
      x = x - (-0.5*h*beta*(logp + x/sigma**2))

The network's x0 predictions are given (random here), so the fixture checks the step
arithmetic alone; the TypeScript test feeds the same predictions.

    /usr/bin/python3 scripts/reference/vp-ode-fixtures.py

Writes test/generation/fixtures/vp-ode.json.
"""
import json
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'generation', 'fixtures', 'vp-ode.json')


def cum_beta(t, beta_min, beta_max):
    return beta_min * t + 0.5 * (beta_max - beta_min) * t ** 2


def run(beta_min, beta_max, sigma, steps, size, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(size, generator=g) / 1.2
    start = x.clone()
    h = 1.0 / max(steps, 1)
    predictions, states = [], []
    for i in range(steps):
        t = torch.tensor(1.0 - (i + 0.5) * h)
        x0 = torch.randn(size, generator=g)
        B = cum_beta(t, beta_min, beta_max)
        beta_t = beta_min + (beta_max - beta_min) * t
        mean = x0 * torch.exp(-0.5 * B / sigma ** 2)
        variance = sigma ** 2 * (1.0 - torch.exp(-B / sigma ** 2))
        logp = -(x - mean) / (variance + 1e-8)
        dxt = -0.5 * h * beta_t * (logp + x / sigma ** 2)
        x = x - dxt
        predictions.append(x0.tolist())
        states.append(x.tolist())
    return {'schedule': {'betaMin': beta_min, 'betaMax': beta_max, 'sigma': sigma}, 'steps': steps,
            'start': start.tolist(), 'predictions': predictions, 'states': states}


def main():
    cases = [run(0.05, 20.0, 1.0, 6, 10, 0), run(0.1, 10.0, 1.5, 3, 7, 1)]
    with open(OUT, 'w') as f:
        json.dump({'cases': cases}, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
