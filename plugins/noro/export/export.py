"""Exports Noro's five graphs (plugins/noro/graphs.ts) and checks them through the contracts.

  # the real model (not run here: needs the checkpoints, fairseq, safetensors, joblib):
  python3 plugins/noro/export/export.py --noro model.safetensors \\
      --hubert mhubert_base_vp_en_es_fr_it3.pt --kmeans kmeans.pkl \\
      --vocoder bigvgan_generator.pt --vocoder-config config.json --out data/models/noro
  # the same from one folder (what `hub models export noro --checkpoint <folder>` passes):
  #   <folder>/model.safetensors, <folder>/<one>.pt (mHuBERT), <folder>/kmeans.{pkl,bin,joblib},
  #   <folder>/vocoder/config.json + the one generator checkpoint beside it
  python3 plugins/noro/export/export.py --checkpoint <folder> --out data/models/noro
  # no checkpoints: random-init modules of the same architecture, checked against torch:
  python3 plugins/noro/export/export.py --random --small --check --out /tmp/noro

Graphs: content (mHuBERT layer 9 → nearest k-means centre), reference_encoder,
condition (content_f0_enc), estimator (DiffWaveNet x̂₀), vocoder (BigVGAN, 200 samples per
frame). EXPORT.md gives the facts each wrapper relies on.
"""
import argparse
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "maskgct", "export"))  # export_graph
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))  # check_cases
sys.path.insert(0, os.path.join(HERE, "..", "..", "bigvgan", "export"))  # the BigVGAN generator
from bigvgan_generator import COMMON, BigVGAN  # noqa: E402
from export_common import check_cases  # noqa: E402
from export_maskgct import export_graph  # noqa: E402
from noro_modules import CONTENT_DIM, NoroModel, load_amphion_state, randomise, small_config  # noqa: E402

HUBERT_LAYER = 9  # HubertExtractor: output_layer=9
# A 16 kHz, 80-bin, hop-200 BigVGAN for the random proof (Noro's README: "BigVGAN architecture";
# Amphion publishes no vocoder config for this mel, so a real export reads the checkpoint's).
# Every stage needs kernel − rate even for exactly rate·T samples out (padding (k − r)/2).
VOCODER_200X = dict(num_mels=80, upsample_rates=[5, 5, 2, 2, 2], upsample_kernel_sizes=[11, 11, 4, 4, 4],
                    upsample_initial_channel=512, **COMMON)


# ---------------------------------------------------------------- wrappers, one per graph

class Content(nn.Module):
    """HubertExtractor.extract_content_features without its pad and upsampling (TypeScript does
    both): HuBERT up to layer 9, then each frame → its nearest k-means centre. Nearest by
    ‖e‖² − 2e·c + ‖c‖² (cdist does not export); `amphion_content` checks it against cdist."""

    def __init__(self, hubert, layers, centres):
        super().__init__()
        self.hubert, self.layers = hubert, layers
        self.register_buffer("centres", centres)

    def forward(self, waveform):
        embed = self.hubert.extract_features(waveform, num_layers=self.layers)[0][-1]  # [1, T, 768]
        distances = (self.centres ** 2).sum(-1) - 2 * embed @ self.centres.t()  # ‖e‖² is the same for every centre
        return self.centres[distances.argmin(-1)]


def amphion_content(wrapper, waveform):
    """The same step as Amphion writes it: -cdist → argmax → F.embedding."""
    embed = wrapper.hubert.extract_features(waveform, num_layers=wrapper.layers)[0][-1]
    clusters = (-torch.cdist(embed, wrapper.centres[None], p=2)).argmax(dim=-1)
    return nn.functional.embedding(clusters, wrapper.centres)


class ReferenceGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.encoder = model.reference_encoder

    def forward(self, mel):
        return self.encoder(mel)


class ConditionGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.encoder = model.content_f0_enc

    def forward(self, content, pitch):
        return self.encoder(content, pitch)


class EstimatorGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.estimator = model.diffusion.diff_estimator

    def forward(self, x, condition, speaker, t):
        return self.estimator(x, condition, speaker, t)


# ---------------------------------------------------------------- sources of modules

def mhubert(small):
    """fairseq HuBERT-Base as torchaudio declares it (hubert_base(): group-norm extractor, post-LN
    layers, 768 wide, 12 heads, FFN 3072, positional conv k128 g16); mHuBERT has the same
    shape. --small: narrow conv extractor, one layer, FFN 256."""
    from torchaudio.models import wav2vec2_model
    width = 32 if small else 512
    conv = [(width, 10, 5)] + [(width, 3, 2)] * 4 + [(width, 2, 2)] * 2
    model = wav2vec2_model(extractor_mode="group_norm", extractor_conv_layer_config=conv, extractor_conv_bias=False,
                           encoder_embed_dim=CONTENT_DIM, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=128, encoder_pos_conv_groups=16,
                           encoder_num_layers=1 if small else 12, encoder_num_heads=12, encoder_attention_dropout=0.0,
                           encoder_ff_interm_features=256 if small else 3072, encoder_ff_interm_dropout=0.0, encoder_dropout=0.0,
                           encoder_layer_norm_first=False, encoder_layer_drop=0.0, aux_num_out=None)
    return model, 1 if small else HUBERT_LAYER


def load_random(small):
    torch.manual_seed(0)
    hubert, layers = mhubert(small)
    centres = torch.randn(100, CONTENT_DIM)
    reference, wavenet = small_config() if small else (None, None)
    noro = randomise(NoroModel(reference, wavenet) if small else NoroModel())
    vocoder_config = {**VOCODER_200X, **({"upsample_initial_channel": 64, "resblock_kernel_sizes": [3], "resblock_dilation_sizes": [[1, 3, 5]]} if small else {})}
    vocoder = BigVGAN(**vocoder_config)
    with torch.no_grad():
        for name, p in vocoder.named_parameters():
            if name.endswith(".alpha") or name.endswith(".beta"):
                p.uniform_(-0.5, 0.5)
    vocoder.remove_weight_norm()
    return hubert.eval(), layers, centres, noro.eval(), vocoder.eval()


def load_checkpoints(args):
    """The released pieces. Not run here (no checkpoints, fairseq, safetensors or joblib)."""
    import joblib
    from fairseq import checkpoint_utils
    from safetensors.torch import load_file
    from torchaudio.models.wav2vec2.utils import import_fairseq_model
    import importlib.util
    import json

    # mel-vocoder's loader of {'generator': state} checkpoints (weight norm on); a module of the same name as codec-tokens'
    spec = importlib.util.spec_from_file_location("mel_vocoder_export", os.path.join(HERE, "..", "..", "mel-vocoder", "export_common.py"))
    mel_vocoder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mel_vocoder)

    models, _, _ = checkpoint_utils.load_model_ensemble_and_task([args.hubert])
    hubert = import_fairseq_model(models[0])
    centres = torch.from_numpy(joblib.load(args.kmeans).cluster_centers_).float()
    noro = NoroModel()
    load_amphion_state(noro, load_file(args.noro))
    with open(args.vocoder_config) as f:
        vocoder_config = json.load(f)
    vocoder = BigVGAN(**vocoder_config)
    mel_vocoder.load_generator_state(vocoder, args.vocoder)
    vocoder.remove_weight_norm()
    return hubert.eval(), HUBERT_LAYER, centres, noro.eval(), vocoder.eval()


# ---------------------------------------------------------------- export and check

def specs(frames=13, ref_frames=11):
    return {
        "content": ((torch.randn(1, 320 * frames + 80) * 0.1,), ["waveform"], ["features"], {"waveform": {1: "samples"}, "features": {1: "frames"}}),
        "reference_encoder": ((torch.randn(1, ref_frames, 80) - 5,), ["mel"], ["speaker"], {"mel": {1: "ref_frames"}}),
        "condition": ((torch.randn(1, frames, CONTENT_DIM), torch.randn(1, frames)), ["content", "pitch"], ["condition"],
                      {"content": {1: "frames"}, "pitch": {1: "frames"}, "condition": {1: "frames"}}),
        "estimator": ((torch.randn(1, frames, 80), torch.randn(1, frames, 512), torch.randn(1, 32, 512), torch.tensor([0.7])),
                      ["x", "condition", "speaker", "t"], ["x0"], {"x": {1: "frames"}, "condition": {1: "frames"}, "x0": {1: "frames"}}),
        "vocoder": ((torch.randn(1, 80, frames) - 5,), ["mel"], ["audio"], {"mel": {0: "batch", 2: "frames"}, "audio": {0: "batch", 2: "samples"}}),
    }


def builders(hubert, layers, centres, noro, vocoder):
    return {"content": Content(hubert, layers, centres), "reference_encoder": ReferenceGraph(noro), "condition": ConditionGraph(noro),
            "estimator": EstimatorGraph(noro), "vocoder": vocoder}


def check_against_torch(graphs, out_dir):
    """Lengths unlike the export's (17 frames, a 23-frame reference); the content graph's
    expected output is Amphion's cdist formulation, not the wrapper's."""
    torch.manual_seed(1)
    cases = {}
    for name, (args, inputs, outputs, _) in specs(frames=17, ref_frames=23).items():
        with torch.no_grad():
            result = amphion_content(graphs[name], *args) if name == "content" else graphs[name](*args)
        cases[name] = (dict(zip(inputs, args)), dict(zip(outputs, (result,))))
    check_cases("noro", out_dir, cases)


def fill_from_folder(args, parser):
    """The folder layout `--checkpoint` reads; an explicit option wins over the folder."""
    folder = args.checkpoint

    def one(directory, endings, what):
        found = sorted(f for f in os.listdir(directory) if f.endswith(endings) and os.path.isfile(os.path.join(directory, f)))
        if len(found) != 1:
            parser.error(f"{directory} must hold exactly one {what} ({'/'.join(endings)}); found {found or 'none'}")
        return os.path.join(directory, found[0])

    args.noro = args.noro or one(folder, (".safetensors",), "Noro model")
    args.hubert = args.hubert or one(folder, (".pt",), "mHuBERT checkpoint")
    args.kmeans = args.kmeans or one(folder, (".pkl", ".bin", ".joblib"), "k-means model")
    vocoder = os.path.join(folder, "vocoder")
    if not os.path.isdir(vocoder):
        parser.error(f"{folder} has no vocoder/ folder (config.json and the generator checkpoint)")
    args.vocoder_config = args.vocoder_config or os.path.join(vocoder, "config.json")
    args.vocoder = args.vocoder or one(vocoder, (".pt", ".pth", ".ckpt", ".bin"), "vocoder generator checkpoint")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--random", action="store_true", help="random-init modules instead of checkpoints")
    parser.add_argument("--small", action="store_true", help="with --random: fewer layers, narrower inner widths (the contract's dims kept)")
    parser.add_argument("--check", action="store_true", help="with --random: run every graph through the contracts in onnxruntime-node against torch")
    parser.add_argument("--checkpoint", help="a folder laid out as above (fills the four options below)")
    parser.add_argument("--noro", help="Noro model.safetensors (Amphion's Google Drive release)")
    parser.add_argument("--hubert", help="fairseq mHuBERT-Base checkpoint (mhubert_base_vp_en_es_fr_it3.pt)")
    parser.add_argument("--kmeans", help="the k-means model Noro was trained with (joblib)")
    parser.add_argument("--vocoder", help="16 kHz / 80-bin / hop-200 BigVGAN generator checkpoint")
    parser.add_argument("--vocoder-config", help="that generator's config.json")
    parser.add_argument("--out", required=True, help="output folder (the plugin's weight folder)")
    args = parser.parse_args()
    if args.checkpoint:
        fill_from_folder(args, parser)
    if not args.random and not all((args.noro, args.hubert, args.kmeans, args.vocoder, args.vocoder_config)):
        parser.error("give --random, or all of --noro --hubert --kmeans --vocoder --vocoder-config")

    parts = load_random(args.small) if args.random else load_checkpoints(args)
    graphs = builders(*parts)
    os.makedirs(args.out, exist_ok=True)
    for name, spec in specs().items():
        export_graph(name, graphs[name], spec, args.out)
    if args.check and args.random:
        check_against_torch(graphs, args.out)


if __name__ == "__main__":
    main()
