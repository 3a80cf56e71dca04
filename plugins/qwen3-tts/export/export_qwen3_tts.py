"""Exports the Qwen3-TTS talker side to the ONNX graphs the `qwen3-tts` plugins declare
(graphs.ts: text_embed, codec_embed, code_predictor_embed, talker, code_predictor), from the
plain-torch re-declaration in qwen3_tts_modules.py: no transformers, no qwen_tts package.
Needs Debian's python3-torch (1.13) and, for --check, node.

  # a released checkpoint folder (config.json + model.safetensors; needs the safetensors package):
  python3 plugins/qwen3-tts/export/export_qwen3_tts.py --checkpoint Qwen3-TTS-12Hz-0.6B-CustomVoice --out data/models/qwen3-tts
  # no checkpoint: random-init modules, shrunk, checked against torch through the hub's contract code:
  python3 plugins/qwen3-tts/export/export_qwen3_tts.py --random --small --check --out /tmp/qwen3

--small shrinks every width (talker 64, code predictor 32 so small_to_mtp_projection exists,
text embedding 16, one layer each) but keeps the vocabularies the contract fixes (3072 talker
codes, 2048 per group, the 151936 Qwen2 ids), and checks against the contracts of
plugins/qwen3-tts/export/shrunk (the plugin's own qwen3Graphs of those widths). The speaker
encoder and the 12 Hz tokenizer are not exported here: EXPORT.md says where they come from.
"""
import argparse
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "codec-tokens"))
from export_common import check_with_hub, export, write_cases  # noqa: E402
from qwen3_tts_modules import SpeakerEncoder, Talker  # noqa: E402

# talker_config of the 12 Hz checkpoints (0.6B; the 1.7B has hidden 2048, intermediate 6144).
TALKER_06B = {"hidden_size": 1024, "intermediate_size": 3072, "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8,
              "head_dim": 128, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "vocab_size": 3072, "text_vocab_size": 151936, "text_hidden_size": 2048,
              "code_predictor_config": {"hidden_size": 1024, "intermediate_size": 3072, "num_hidden_layers": 5, "num_attention_heads": 16,
                                        "num_key_value_heads": 8, "head_dim": 128, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
                                        "vocab_size": 2048, "num_code_groups": 16}}
SMALL = {**TALKER_06B, "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
         "head_dim": 16, "text_hidden_size": 16,
         "code_predictor_config": {**TALKER_06B["code_predictor_config"], "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 1,
                                   "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8}}
# speaker_encoder_config of the Base checkpoints (enc_dim = the talker's width); --small keeps the
# kernel sizes, dilations, Res2Net scale and the 128 mel bins, and narrows the channels.
SPEAKER = {"mel_dim": 128, "enc_dim": 1024, "enc_channels": [512, 512, 512, 512, 1536], "enc_kernel_sizes": [5, 3, 3, 3, 1],
           "enc_dilations": [1, 2, 3, 4, 1], "enc_attention_channels": 128, "enc_res2net_scale": 8, "enc_se_channels": 128}
SPEAKER_SMALL = {**SPEAKER, "enc_dim": 64, "enc_channels": [32, 32, 32, 32, 96], "enc_attention_channels": 16, "enc_se_channels": 16}


class TextEmbed(nn.Module):
    def __init__(self, t):
        super().__init__()
        self.embedding, self.projection = t.model.text_embedding, t.text_projection

    def forward(self, text_ids):
        return self.projection(self.embedding(text_ids))


class CodecEmbed(nn.Module):
    def __init__(self, t):
        super().__init__()
        self.embedding = t.model.codec_embedding

    def forward(self, codec_ids):
        return self.embedding(codec_ids)


class CodePredictorEmbed(nn.Module):
    """code_predictor.model.codec_embedding[group − 1](codes): the 15 tables stacked, one chosen by `group`."""

    def __init__(self, t):
        super().__init__()
        self.tables = nn.Parameter(torch.stack([e.weight for e in t.code_predictor.model.codec_embedding]))

    def forward(self, codes, group):
        table = torch.index_select(self.tables, 0, group - 1).squeeze(0)
        return torch.nn.functional.embedding(codes, table)


class TalkerStep(nn.Module):
    def __init__(self, t):
        super().__init__()
        self.model, self.head = t.model, t.codec_head

    def forward(self, embeds, past_k, past_v):
        h, k, v = self.model(embeds, past_k, past_v)
        last = h[:, -1]
        return self.head(last), last, k, v


class CodePredictorStep(nn.Module):
    """small_to_mtp_projection → layers → norm → lm_head[step] on the last position."""

    def __init__(self, t):
        super().__init__()
        cp = t.code_predictor
        self.model, self.projection = cp.model, cp.small_to_mtp_projection
        self.heads = nn.Parameter(torch.stack([h.weight for h in cp.lm_head]))  # [15, vocab, hidden]

    def forward(self, embeds, step, past_k, past_v):
        h, k, v = self.model(self.projection(embeds), past_k, past_v)
        head = torch.index_select(self.heads, 0, step).squeeze(0)
        return h[:, -1] @ head.t(), k, v


def cache(c, length):
    return torch.zeros(c["num_hidden_layers"], 1, c["num_key_value_heads"], length, c["head_dim"])


def graphs(t, c):
    """name → (module, example feeds, input names, output names, dynamic axes)."""
    cp = c["code_predictor_config"]
    H = c["hidden_size"]
    kv = lambda names, past: {n: {3: past} for n in names}
    return {
        "text_embed": (TextEmbed(t), {"text_ids": torch.tensor([[151644, 77091, 198, 9707]])}, ["embeds"], {"text_ids": {1: "tokens"}, "embeds": {1: "tokens"}}),
        "codec_embed": (CodecEmbed(t), {"codec_ids": torch.tensor([[2155, 2156, 2157]])}, ["embeds"], {"codec_ids": {1: "tokens"}, "embeds": {1: "tokens"}}),
        "code_predictor_embed": (CodePredictorEmbed(t), {"codes": torch.tensor([[5, 7]]), "group": torch.tensor([3])}, ["embeds"], {"codes": {1: "tokens"}, "embeds": {1: "tokens"}}),
        "talker": (TalkerStep(t), {"embeds": torch.randn(1, 3, H), "past_k": torch.randn(*cache(c, 4).shape), "past_v": torch.randn(*cache(c, 4).shape)},
                   ["logits", "hidden", "present_k", "present_v"],
                   {"embeds": {1: "tokens"}, **kv(["past_k", "past_v"], "past"), **kv(["present_k", "present_v"], "total")}),
        "code_predictor": (CodePredictorStep(t), {"embeds": torch.randn(1, 2, H), "step": torch.tensor([0]), "past_k": torch.randn(*cache(cp, 3).shape), "past_v": torch.randn(*cache(cp, 3).shape)},
                           ["logits", "present_k", "present_v"],
                           {"embeds": {1: "tokens"}, **kv(["past_k", "past_v"], "past"), **kv(["present_k", "present_v"], "total")}),
    }


def check_cache(name, module, c, H, extra):
    """An explicit cache must reproduce one causal pass: prefill 5 + step 1 vs one pass of 6."""
    x = torch.randn(1, 6, H)
    one = module(x, *extra, cache(c, 0), cache(c, 0))
    first = module(x[:, :5], *extra, cache(c, 0), cache(c, 0))
    second = module(x[:, 5:], *extra, first[-2], first[-1])
    diff = max((one[0] - second[0]).abs().max().item(), (one[-2] - second[-2]).abs().max().item())
    print(f"{name} cache: prefill 5 + step 1 vs one pass of 6: max diff {diff:.1e}")
    assert diff < 1e-4


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint")
    parser.add_argument("--random", action="store_true")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    if args.checkpoint:
        with open(os.path.join(args.checkpoint, "config.json")) as f:
            c = {**TALKER_06B, **json.load(f)["talker_config"]}
        talker = Talker(c)
        from safetensors.torch import load_file  # the release's format
        state = {k[len("talker."):]: v.float() for k, v in load_file(os.path.join(args.checkpoint, "model.safetensors")).items() if k.startswith("talker.")}
        talker.load_state_dict(state, strict=True)
    else:
        c = SMALL if args.small else TALKER_06B
        talker = Talker(c)
        with torch.no_grad():
            for p in talker.parameters():
                p.normal_(0, 0.2)
    speaker = SpeakerEncoder(SPEAKER_SMALL if args.small else SPEAKER if not args.checkpoint else {**SPEAKER, "enc_dim": c["hidden_size"]})
    if args.checkpoint:
        speaker.load_state_dict({k[len("speaker_encoder."):]: v.float() for k, v in load_file(os.path.join(args.checkpoint, "model.safetensors")).items() if k.startswith("speaker_encoder.")}, strict=True)
    else:
        with torch.no_grad():
            for p in speaker.parameters():
                p.normal_(0, 0.2)
    talker.eval()
    speaker.eval()
    os.makedirs(args.out, exist_ok=True)
    cases = {}
    with torch.no_grad():
        specs = graphs(talker, c)
        check_cache("talker", specs["talker"][0], c, c["hidden_size"], [])
        check_cache("code_predictor", specs["code_predictor"][0], c["code_predictor_config"], c["hidden_size"], [torch.tensor([4])])
        specs["speaker_encoder"] = (speaker, {"mel": torch.randn(1, 50, 128)}, ["embedding"], {"mel": {1: "frames"}})
        for name, (module, feeds, outputs, axes) in specs.items():
            export(module, tuple(feeds.values()), os.path.join(args.out, f"{name}.onnx"), list(feeds), outputs, axes)
        # cases at lengths the export was not traced at
        cp = c["code_predictor_config"]
        H = c["hidden_size"]
        new = {
            "text_embed": {"text_ids": torch.tensor([[151671, 151672, 151673, 0, 100, 151935, 7]])},
            "codec_embed": {"codec_ids": torch.tensor([[2050, 3065, 0, 2047, 2150]])},
            "code_predictor_embed": {"codes": torch.tensor([[0, 2047, 9, 1000, 3]]), "group": torch.tensor([15])},
            "talker": {"embeds": torch.randn(1, 1, H), "past_k": torch.randn(*cache(c, 9).shape), "past_v": torch.randn(*cache(c, 9).shape)},
            "speaker_encoder": {"mel": torch.randn(1, 83, 128)},
            "code_predictor": {"embeds": torch.randn(1, 1, H), "step": torch.tensor([14]), "past_k": torch.randn(*cache(cp, 7).shape), "past_v": torch.randn(*cache(cp, 7).shape)},
        }
        for name, feeds in new.items():
            module, _, outputs, _ = specs[name]
            result = module(*feeds.values())
            result = result if isinstance(result, tuple) else (result,)
            cases[name] = (feeds, dict(zip(outputs, result)))
    cases_path = os.path.join(args.out, "cases.json")
    write_cases(cases_path, cases)
    if args.check:
        check_with_hub("qwen3-tts/export/shrunk" if args.small else "qwen3-tts", args.out, cases_path)


if __name__ == "__main__":
    main()
