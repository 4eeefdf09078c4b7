"""Names the model after what it is trained from, and trains only when that changed.

    python scripts/model.py name    # avatar-<hash>: hash of data, domain, config, components
    python scripts/model.py path    # models/avatar-<hash>.tar.gz (whether or not it exists)
    python scripts/model.py train   # trains unless models/avatar-<hash>.tar.gz exists

Extra arguments after `train` go to `rasa train` (tests pass a smaller config this way).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
INPUTS = ("config.yml", "domain.yml", "data", "components")


def fingerprint(project: Path = PROJECT_DIR, config: str = "config.yml") -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = project / (config if name == "config.yml" else name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(project)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "path"
    config = os.environ.get("RASA_CONFIG", "config.yml")
    name = f"avatar-{fingerprint(config=config)}"
    path = PROJECT_DIR / "models" / f"{name}.tar.gz"
    if command == "name":
        print(name)
    elif command == "path":
        print(path.relative_to(PROJECT_DIR))
    elif command == "train":
        if path.exists():
            print(f"Model {path.relative_to(PROJECT_DIR)} matches the current data; not retraining.")
            return 0
        rasa = str(Path(sys.executable).with_name("rasa"))
        return subprocess.call(
            [rasa, "train", "--config", config, "--fixed-model-name", name,
             "--out", "models", "--force", *argv[1:]],
            cwd=PROJECT_DIR,
        )
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
