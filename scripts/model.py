"""Names the model after what it is trained from, and trains only when that changed.

    python -m scripts.model name    # avatar-<hash>: hash of data, domain, config, components
    python -m scripts.model path    # models/avatar-<hash>.tar.gz (whether or not it exists)
    python -m scripts.model train   # trains unless models/avatar-<hash>.tar.gz exists
    python -m scripts.model list    # the trained models, newest first: date, size, which one
                                    # matches the current data, which one is accepted

Extra arguments after `train` go to `rasa train` (tests pass a smaller config this way).
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
INPUTS = ("config.yml", "domain", "data", "components")


def fingerprint(project: Path = PROJECT_DIR, config: str = "config.yml") -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = project / (config if name == "config.yml" else name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".md":  # caches and notes teach nothing
                continue
            digest.update(str(file.relative_to(project)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def trained_at(model: Path) -> datetime.datetime:
    """When the model was trained (its metadata), or the file's date if that is unreadable."""
    try:
        with tarfile.open(model, "r:gz") as archive:
            for member in archive:
                file = archive.extractfile(member) if member.name.lstrip("/") == "metadata.json" else None
                if file is not None:
                    stamp = json.load(file)["trained_at"]
                    return datetime.datetime.fromisoformat(stamp)
    except (OSError, tarfile.TarError, KeyError, ValueError):
        pass
    return datetime.datetime.fromtimestamp(model.stat().st_mtime)


def list_models(current: str) -> None:
    accepted_file = PROJECT_DIR / "tests" / "evaluation" / "accepted.json"
    accepted = json.loads(accepted_file.read_text(encoding="utf-8")).get("model") if accepted_file.exists() else None
    models = [(trained_at(p), p) for p in (PROJECT_DIR / "models").glob("*.tar.gz")
              if "-partial-" not in p.name]
    if not models:
        print("No trained models; `make train` trains one.")
        return
    print(f"{'model':42} {'trained':16} {'size':>7}  status")
    for date, path in sorted(models, reverse=True):
        name = path.name[: -len(".tar.gz")]
        status = ["matches the current data" if name == current else "older or other data"]
        if name == accepted:
            status.append("accepted (tests/evaluation/accepted.json)")
        print(f"{str(path.relative_to(PROJECT_DIR)):42} {date:%Y-%m-%d %H:%M} "
              f"{path.stat().st_size / 1e6:6.1f}M  {'; '.join(status)}")
    print("\nServe another one (roll back): RASA_MODEL=models/<name>.tar.gz make run")


def train(name: str, path: Path, config: str, extra: list[str]) -> int:
    """Trains into a temporary name and renames it, under a lock: a second `make train`
    (or test run) started meanwhile waits and then finds the model, and nobody ever
    loads a half-written archive."""
    path.parent.mkdir(exist_ok=True)
    with open(path.parent / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            print(f"Model {path.relative_to(PROJECT_DIR)} matches the current data; not retraining.")
            return 0
        partial = f"{name}-partial-{os.getpid()}"
        rasa = str(Path(sys.executable).with_name("rasa"))
        code = subprocess.call(
            [rasa, "train", "--config", config, "--domain", "domain", "--fixed-model-name", partial,
             "--out", str(path.parent), "--force", *extra],
            cwd=PROJECT_DIR,
            # training embeds thousands of texts: every core (serving uses one per process)
            env={**os.environ, "SENTENCE_VECTOR_THREADS": os.environ.get("SENTENCE_VECTOR_THREADS",
                                                                         str(os.cpu_count() or 1))},
        )
        trained = path.parent / f"{partial}.tar.gz"
        if code == 0 and trained.exists():
            os.replace(trained, path)
            print(f"Model {path.relative_to(PROJECT_DIR)} trained.")
        else:
            trained.unlink(missing_ok=True)
        return code


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "path"
    config = os.environ.get("RASA_CONFIG", "config.yml")
    name = f"avatar-{fingerprint(config=config)}"
    path = PROJECT_DIR / "models" / f"{name}.tar.gz"
    if command == "name":
        print(name)
    elif command == "path":
        print(path.relative_to(PROJECT_DIR))
    elif command == "list":
        list_models(name)
    elif command == "train":
        return train(name, path, config, argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
