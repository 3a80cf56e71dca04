"""What the export recipes share: the factorised nearest-code lookup DualCodec and FACodec
quantise with, weight-norm removal, the ONNX export call, the check of an exported folder by
the hub's own contract code (check-export.ts) against PyTorch outputs, and the command line
of the Amphion recipes (MaskGCT, Vevo, VevoSing).

Needs only Debian's python3-torch (torch 1.13, TorchScript exporter) and node.
"""
import argparse
import json
import os
import subprocess
import sys

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPSET = 17


def count_parameters(module):
    return sum(p.numel() for p in module.parameters())


def remove_weight_norms(module):
    """Folds every weight-norm reparametrisation into a plain weight (a training device)."""
    for m in module.modules():
        try:
            torch.nn.utils.remove_weight_norm(m)
        except ValueError:
            pass


def nearest_codes(latents, codebook):
    """Factorised VQ lookup (DAC / Amphion FVQ `decode_latents`): latents [B, d, T] and the
    codebook [N, d] are L2-normalised, the id is the nearest row. ||e||² = 1 for every
    normalised row, so the nearest row is the one with the largest dot product."""
    encodings = F.normalize(latents.transpose(1, 2), dim=-1)  # [B, T, d]
    scores = encodings @ F.normalize(codebook, dim=-1).t()  # [B, T, N]
    return scores.argmax(-1)  # [B, T]


def export(module, example, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, example, path, input_names=input_names, output_names=output_names,
                          opset_version=OPSET, dynamic_axes=dynamic_axes, do_constant_folding=True)
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)")


def tensor_json(tensor):
    """A tensor as the checker reads it: element type, dims, flat values."""
    kinds = {torch.float32: "float32", torch.int64: "int64", torch.bool: "bool"}
    data = tensor.detach().contiguous().view(-1)
    values = data.to(torch.int64).tolist() if tensor.dtype == torch.bool else data.tolist()
    return {"type": kinds[tensor.dtype], "dims": list(tensor.shape), "data": values}


def write_cases(path, cases):
    """cases: {graph: (feeds {name: tensor}, expected {name: tensor})} at lengths the export was not traced at."""
    payload = {graph: {"feeds": {k: tensor_json(v) for k, v in feeds.items()},
                       "expected": {k: tensor_json(v) for k, v in expected.items()}}
               for graph, (feeds, expected) in cases.items()}
    with open(path, "w") as f:
        json.dump(payload, f)


def check_with_hub(plugin_dir, onnx_dir, cases_path):
    """Runs plugins/codec-tokens/check-export.ts: contracts of the plugin in `plugin_dir`
    (relative to plugins/) against every graph file in `onnx_dir`, then the cases."""
    command = ["node", "--import", "tsx", os.path.join(ROOT, "plugins", "codec-tokens", "check-export.ts"),
               os.path.join(ROOT, "plugins", plugin_dir), onnx_dir, cases_path]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def torch_cases(builders, specs, names):
    """The expected outputs for the contract check: for each graph in `names`, the module
    `builders[name]()` in eval mode under no_grad on `specs[name]` = (args, input names,
    output names, ...). Returns {graph: (feeds, expected)} as write_cases takes it."""
    cases = {}
    for name in names:
        args, inputs, outputs = specs[name][:3]
        with torch.no_grad():
            result = builders[name]().eval()(*args)
        result = result if isinstance(result, tuple) else (result,)
        cases[name] = (dict(zip(inputs, args)), dict(zip(outputs, result)))
    return cases


def check_cases(plugin_dir, onnx_dir, cases):
    """Writes `cases` to <onnx_dir>/check-cases.json and runs the hub's check on them."""
    path = os.path.join(onnx_dir, "check-cases.json")
    write_cases(path, cases)
    check_with_hub(plugin_dir, onnx_dir, path)


def check_graphs(plugin_dir, onnx_dir, builders, specs, names):
    """torch_cases, then check_cases: every graph in `names` against torch through the contracts."""
    check_cases(plugin_dir, onnx_dir, torch_cases(builders, specs, names))


def amphion_args(description, checkpoints_help, small_help="with --random: shrunk depths and inner widths", more=()):
    """The command line of the Amphion recipes: --amphion DIR --checkpoints DIR (the real model)
    or --random [--small] [--check], with --only and --out. `more`: extra options as
    ((flags...), {add_argument keywords}), placed after --checkpoints. Parses sys.argv."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--amphion", help="checkout of open-mmlab/Amphion")
    source.add_argument("--random", action="store_true", help="random-init modules (no Amphion, no transformers)")
    parser.add_argument("--small", action="store_true", help=small_help)
    parser.add_argument("--check", action="store_true", help="with --random: compare every graph with torch through the contracts (needs node)")
    parser.add_argument("--checkpoints", help=checkpoints_help)
    for flags, options in more:
        parser.add_argument(*flags, **options)
    parser.add_argument("--only", nargs="*", help="export only these graphs")
    parser.add_argument("--out", required=True, help="output folder (the plugin's weight folder)")
    args = parser.parse_args()
    if args.amphion and not args.checkpoints:
        parser.error("--amphion needs --checkpoints")
    return args
