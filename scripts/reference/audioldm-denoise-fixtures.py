#!/usr/bin/env python3
"""Reference numbers for AudioLDM's denoising loop (plugins/audioldm/denoise-loop.ts).

diffusers' AudioLDMPipeline.__call__ written out in plain torch (no diffusers): the latent
is duplicated for [uncond; cond], the UNet predicts ε for both, guidance
ε = ε_u + 2.5·(ε_c − ε_u), then DDIMScheduler.step (eta 0, no clipping, epsilon
prediction, "leading" timesteps with steps_offset 1, set_alpha_to_one False).

The UNet is a stand-in the test also builds as an ONNX graph (denoise-loop.test.ts):
  ε[b] = 0.3·sin(3·x[b] + t/150) + 0.1·x[b] + 0.5·⟨class_labels[b], w⟩,  w_i = (i − 255.5)/512
so the loop's plumbing (cond/uncond order, timestep, guidance, schedule) decides the result.

    /usr/bin/python3 scripts/reference/audioldm-denoise-fixtures.py

Writes plugins/audioldm/fixtures/denoise-reference.json.
"""
import json
import os

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'plugins', 'audioldm', 'fixtures', 'denoise-reference.json')
EMBED = 512
W = (torch.arange(EMBED, dtype=torch.float32) - 255.5) / 512


def unet(sample, t, class_labels):
    proj = (class_labels @ W).view(-1, 1, 1, 1)
    return 0.3 * torch.sin(3.0 * sample + t / 150.0) + 0.1 * sample + 0.5 * proj


def alphas_cumprod(start, end, n=1000):
    betas = torch.linspace(start ** 0.5, end ** 0.5, n, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


def run(steps, guidance, noise, cond, uncond, start, end):
    ac = alphas_cumprod(start, end)
    final = ac[0]  # set_alpha_to_one=False
    ratio = 1000 // steps
    timesteps = (torch.arange(0, steps) * ratio).round().flip(0).long() + 1  # steps_offset=1
    prompt_embeds = torch.cat([uncond, cond])
    latents = noise * 1.0  # init_noise_sigma
    for t in timesteps.tolist():
        latent_model_input = torch.cat([latents] * 2)
        noise_pred = unet(latent_model_input, float(t), prompt_embeds)
        noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
        noise_pred = noise_pred_uncond + guidance * (noise_pred_text - noise_pred_uncond)
        prev = t - ratio
        a = ac[t]
        a_prev = ac[prev] if prev >= 0 else final
        x0 = (latents - (1 - a) ** 0.5 * noise_pred) / a ** 0.5
        latents = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * noise_pred
    return timesteps.tolist(), latents


def main():
    g = torch.Generator().manual_seed(21)
    dims = [1, 8, 3, 16]
    cases = []
    for name, steps, (start, end) in [('engine schedule (0.00085–0.012)', 10, (0.00085, 0.012)),
                                      ('conversion-script schedule (0.0015–0.0195)', 12, (0.0015, 0.0195))]:
        noise = torch.randn(dims, generator=g)
        cond = F.normalize(torch.randn(1, EMBED, generator=g), dim=-1)
        uncond = F.normalize(torch.randn(1, EMBED, generator=g), dim=-1)
        timesteps, latents = run(steps, 2.5, noise, cond, uncond, start, end)
        cases.append({
            'name': name, 'steps': steps, 'guidance': 2.5, 'betaStart': start, 'betaEnd': end, 'dims': dims,
            'noise': noise.flatten().tolist(), 'cond': cond.flatten().tolist(), 'uncond': uncond.flatten().tolist(),
            'timesteps': timesteps, 'latent': latents.double().flatten().tolist(),
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'cases': cases}, f)
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
