"""`hub models export nsf_hifigan --checkpoint <folder>`: the folder holds the one generator
checkpoint (*.pt, *.pth, *.bin, *.ckpt); add `nsf_source` as an empty file beside it for a
checkpoint trained with the NSF source branch in use. Runs export_nsf_hifigan.py on it."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    args = sys.argv[1:]
    folder = args[args.index("--checkpoint") + 1]
    out = args[args.index("--out") + 1]
    found = sorted(f for f in os.listdir(folder) if f.endswith((".pt", ".pth", ".bin", ".ckpt")))
    if len(found) != 1:
        sys.exit(f"{folder} must hold exactly one generator checkpoint (*.pt/.pth/.bin/.ckpt); found {found or 'none'}")
    extra = ["--nsf-source"] if os.path.exists(os.path.join(folder, "nsf_source")) else []
    command = [sys.executable, os.path.join(HERE, "export_nsf_hifigan.py"), "--checkpoint", os.path.join(folder, found[0]), "--out", out, *extra]
    sys.exit(subprocess.run(command).returncode)


if __name__ == "__main__":
    main()
