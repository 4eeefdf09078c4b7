"""Checks every pinned dependency's licence against the project's (EUPL-1.2, see LICENSE).

    audit/licences.py                       # what `make audit` (and `make test`) runs

The project ships three sets of dependencies: the assistant's (requirements.lock, in
.venv), the registration service's (backend/requirements.lock, in backend/.venv) and the
chat widget's npm packages (web/package-lock.json); a fourth, the tool that checks the
Kubernetes manifests (deploy/requirements.txt, in deploy/.venv), is checked too. Each Python environment reports the
licences its installed packages declare (``--collect``, run by that environment's own
interpreter: the metadata lives there); the npm lock file carries its own.

Every licence falls into a family:

- permissive (MIT, BSD, Apache-2.0, ISC, PSF, Unlicense ...): compatible;
- weak copyleft (LGPL, MPL-2.0): compatible as they are used here, as unmodified
  libraries (both are also on the EUPL's list of compatible licences);
- strong copyleft (GPL, AGPL) and anything unrecognised: fails, unless
  audit/licences.yml records a reviewed decision with its reason.

Writes reports/licences.md and exits 1 on a dependency without a compatible licence or a
decision, or when an environment is missing (run `make install`).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENTS = [  # (name, interpreter, lock file)
    ("assistant", ".venv/bin/python", "requirements.lock"),
    ("registration service", "backend/.venv/bin/python", "backend/requirements.lock"),
    # kubernetes-validate, for the tests of deploy/k8s (not shipped, but run by make test)
    ("deploy tools", "deploy/.venv/bin/python", "deploy/requirements.txt"),
]
NPM_LOCK = "web/package-lock.json"
DECISIONS = PROJECT_DIR / "audit" / "licences.yml"
REPORT = PROJECT_DIR / "reports" / "licences.md"

PERMISSIVE, WEAK, STRONG, UNKNOWN = "permissive", "weak copyleft", "strong copyleft", "unknown"
# the most permissive family of an "A OR B" licence applies; of "A AND B", the strictest
FAMILIES = [
    (WEAK, re.compile(r"LGPL|Lesser General|Library General|Library or Lesser|MPL|Mozilla Public", re.I)),
    (STRONG, re.compile(r"\bA?GPL|General Public License|Affero", re.I)),
    (PERMISSIVE, re.compile(r"\bMIT\b|\bBSD|Apache|\bISC\b|PSF|Python Software Foundation|Unlicense|"
                            r"\bHPND\b|Zlib|\bTCL\b|0BSD|CC0|Public Domain", re.I)),
]
STRICTNESS = [PERMISSIVE, WEAK, STRONG, UNKNOWN]


def declared_licence(name: str) -> str:
    """What an installed package declares: its SPDX expression, else its licence
    classifiers, else the first line of its License field."""
    from importlib import metadata

    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return ""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    classifiers = [c for c in classifiers if c != "OSI Approved"]
    if classifiers:
        return " OR ".join(classifiers)
    field = (meta.get("License") or "").strip().splitlines()
    return field[0][:80] if field and field[0].upper() != "UNKNOWN" else ""


def pinned(lock: Path) -> List[Tuple[str, str]]:
    """(name, version) of every `name==version` line."""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins.append((name.split("[")[0].strip(), version.split(";")[0].strip()))
    return pins


def collect(lock: Path) -> Dict[str, Dict[str, str]]:
    """Run by an environment's interpreter: {name: {version, licence}} for the lock file."""
    return {name: {"version": version, "licence": declared_licence(name)} for name, version in pinned(lock)}


def family(licence: str) -> str:
    if not licence:
        return UNKNOWN
    alternatives = re.split(r"\s+OR\s+|\s*/\s*|\s+or\s+", licence)
    families = []
    for alternative in alternatives:
        parts = [p for p in re.split(r"\s+AND\s+|;", alternative) if p.strip()]
        found = [next((f for f, pattern in FAMILIES if pattern.search(p)), UNKNOWN) for p in parts]
        families.append(max(found, key=STRICTNESS.index))
    return min(families, key=STRICTNESS.index)


def npm_packages(lock: Path) -> Dict[str, Dict[str, str]]:
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return {path.split("node_modules/")[-1]: {"version": entry.get("version", ""), "licence": entry.get("license") or ""}
            for path, entry in packages.items() if path}


def load_decisions() -> Dict[Tuple[str, str], Dict[str, str]]:
    import yaml

    decisions = yaml.safe_load(DECISIONS.read_text(encoding="utf-8")) or {}
    return {(d["set"], d["package"].lower()): d for d in decisions.get("decisions") or []}


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collect", type=Path, help="(internal) print this lock file's licences as JSON")
    args = parser.parse_args(argv)
    if args.collect:
        print(json.dumps(collect(args.collect)))
        return 0

    sets: Dict[str, Dict[str, Dict[str, str]]] = {}
    problems: List[str] = []
    for name, interpreter, lock in ENVIRONMENTS:
        python = PROJECT_DIR / interpreter
        if not python.exists():
            problems.append(f"{name}: {interpreter} is missing; run `make install`")
            continue
        done = subprocess.run([str(python), str(Path(__file__).resolve()), "--collect", str(PROJECT_DIR / lock)],
                              capture_output=True, text=True, timeout=120, cwd=PROJECT_DIR)
        if done.returncode != 0:
            problems.append(f"{name}: could not read the installed licences: {done.stderr.strip()[-500:]}")
            continue
        sets[name] = json.loads(done.stdout)
    sets["chat widget (npm)"] = npm_packages(PROJECT_DIR / NPM_LOCK)

    decisions = load_decisions()
    used = set()
    rows = []
    counts: Dict[str, int] = {}
    for set_name, packages in sets.items():
        for package, info in sorted(packages.items(), key=lambda item: item[0].lower()):
            licence, kind = info["licence"], family(info["licence"])
            decision = decisions.get((set_name, package.lower()))
            note = ""
            if decision:
                used.add((set_name, package.lower()))
                licence, kind = decision["licence"], family(decision["licence"])
                note = decision["reason"]
                if kind in (STRONG, UNKNOWN) and not decision.get("accepted"):
                    problems.append(f"{set_name}: {package} ({licence}) is not compatible: {note}")
            elif kind in (STRONG, UNKNOWN):
                problems.append(f"{set_name}: {package} {info['version']}: licence "
                                f"'{info['licence'] or 'not declared'}' ({kind}); review it and record a "
                                f"decision in audit/licences.yml")
            counts[kind] = counts.get(kind, 0) + 1
            rows.append(f"| {set_name} | {package} | {info['version']} | {licence or '–'} | {kind} | {note} |")
    for set_name, package in set(decisions) - used:
        problems.append(f"audit/licences.yml: {package} ({set_name}) is no longer a dependency; remove its decision")

    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join([
        "# Dependency licences",
        "",
        "Written by `audit/licences.py` (`make audit`). The project is licensed under EUPL-1.2 (LICENSE);",
        "permissive and weak-copyleft licences (used as unmodified libraries) are compatible with it.",
        "",
        "| family | packages |", "|---|---|",
        *[f"| {kind} | {counts.get(kind, 0)} |" for kind in STRICTNESS],
        "",
        "| dependencies of | package | version | licence | family | decision |", "|---|---|---|---|---|---|",
        *rows, "",
    ]), encoding="utf-8")
    total = sum(counts.values())
    print(f"licences: {total} dependencies: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in STRICTNESS)
          + f"; {REPORT.relative_to(PROJECT_DIR)}")
    for problem in problems:
        print(f"licences: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
