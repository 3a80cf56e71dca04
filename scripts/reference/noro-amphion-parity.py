#!/usr/bin/env python3
"""Checks plugins/noro/export/noro_modules.py against Amphion's own Noro_VCmodel: the same
random weights (Amphion's state dict, loaded into ours with strict=True) must give the same
speaker queries, condition and x0 prediction, and Amphion's inference() must equal the
sampler's step loop (the formula core/generation/vp-ode.ts implements). Nothing is written;
it prints the differences (last run: 3.6e-7, 0, 6.0e-7, 0 at Amphion d3de90f).

    git clone https://github.com/open-mmlab/Amphion /tmp/Amphion
    /usr/bin/python3 scripts/reference/noro-amphion-parity.py --amphion /tmp/Amphion

noro_model.py imports librosa, json5 and einops; the inference path uses none of them except
einops' Rearrange (a transpose here), so small stand-ins are installed for those imports.
"""
import argparse
import importlib.util
import os
import sys
import types

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument('--amphion', required=True, help='checkout of open-mmlab/Amphion')
args = parser.parse_args()


class Rearrange(nn.Module):
    """einops' layer for the two patterns noro_model.py uses, both a transpose of the last two axes."""

    def __init__(self, pattern):
        super().__init__()
        assert pattern in ('b t d -> b d t', 'b d t -> b t d'), pattern

    def forward(self, x):
        return x.transpose(1, 2)


def stand_in(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


stand_in('librosa', filters=stand_in('librosa.filters', mel=None))  # imported, unused at inference
stand_in('json5')  # save_config only
stand_in('einops', layers=stand_in('einops.layers', torch=stand_in('einops.layers.torch', Rearrange=Rearrange)))
spec = importlib.util.spec_from_file_location('amphion_noro_model', os.path.join(args.amphion, 'models', 'vc', 'Noro', 'noro_model.py'))
A = importlib.util.module_from_spec(spec)
spec.loader.exec_module(A)
sys.path.insert(0, os.path.join(ROOT, 'plugins', 'noro', 'export'))
from noro_modules import NoroModel, load_amphion_state  # noqa: E402
cfg = A.JsonHParams(**{
  "reference_encoder": {"encoder_layer": 2, "encoder_hidden": 512, "encoder_head": 8, "conv_filter_size": 256, "conv_kernel_size": 9, "encoder_dropout": 0.2,
                        "use_skip_connection": False, "use_new_ffn": True, "ref_in_dim": 80, "ref_out_dim": 512, "use_query_emb": True, "num_query_emb": 32},
  "diffusion": {"beta_min": 0.05, "beta_max": 20, "sigma": 1.0, "noise_factor": 1.0, "ode_solve_method": "euler", "diff_model_type": "WaveNet",
                "diff_wavenet": {"input_size": 80, "hidden_size": 512, "out_size": 80, "num_layers": 5, "cross_attn_per_layer": 3, "dilation_cycle": 2, "attn_head": 8, "drop_out": 0.2}},
  "vc_feature": {"content_feature_dim": 768, "hidden_dim": 512}})
torch.manual_seed(0)
amph = A.Noro_VCmodel(cfg).eval()
with torch.no_grad():
    for p in amph.parameters(): p.copy_(torch.randn_like(p) / (p[0].numel() ** 0.5 if p.dim() > 1 else 4))
ours = NoroModel(dict(layers=2, hidden=512, heads=8, filter=256, kernel=9, in_dim=80, queries=32),
                 dict(in_dim=80, hidden=512, out_dim=80, layers=5, cross_attn_every=3, dilation_cycle=2, heads=8)).eval()
load_amphion_state(ours, amph.state_dict())
print('state dict: loaded strictly,', len(amph.state_dict()), 'tensors')
mel = torch.randn(1, 37, 80) - 4
with torch.no_grad():
    a_spk, _ = amph.reference_encoder(x_ref=mel, key_padding_mask=torch.ones(1, 37).bool())
    o_spk = ours.reference_encoder(mel)
    print('speaker  max diff', (a_spk - o_spk).abs().max().item())
    content, pitch = torch.randn(1, 50, 768), torch.randn(1, 50)
    a_c = amph.content_f0_enc(torch.cat([content, pitch[:, :, None]], -1)); o_c = ours.content_f0_enc(content, pitch)
    print('condition max diff', (a_c - o_c).abs().max().item())
    x, t = torch.randn(1, 50, 80), torch.tensor([0.37])
    a_x0 = amph.diffusion.diff_estimator(x, a_c, None, a_spk, t); o_x0 = ours.diffusion.diff_estimator(x, o_c, o_spk, t)
    print('x0       max diff', (a_x0 - o_x0).abs().max().item(), 'scale', a_x0.abs().max().item())
    # the whole sampler: Amphion's inference() vs the engine's formula in torch, same z
    torch.manual_seed(3); z = torch.randn(1, 50, 80) / 1.2
    xt = z.clone(); h = 1 / 4
    for i in range(4):
        tt = torch.tensor([1 - (i + 0.5) * h]); xt = xt - amph.diffusion.cal_dxt(xt, a_c, None, a_spk, tt, h)
    torch.manual_seed(3)
    full = amph.inference(content_feature=content, pitch=pitch, x_ref=mel, x_ref_mask=torch.ones(1, 37).bool(), inference_steps=4, sigma=1.2)
    print('inference() vs step loop max diff', (full - xt).abs().max().item())
