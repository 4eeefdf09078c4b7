"""Audits every pinned dependency against a vulnerability database with pip-audit.

    audit/.venv/bin/python audit/audit.py            # what `make audit` (and `make test`) runs

For each lock file (the assistant's requirements.lock, the registration service's
backend/requirements.lock, the manifest checker's deploy/requirements.txt) pip-audit looks
every pinned version up (`--no-deps --disable-pip`: the lock files are complete, nothing is
installed). Fails (exit 1) on an
advisory that audit/advisories.yml does not accept with a reason.

When the vulnerability database cannot be reached (no network, or a package index that
only mirrors packages), pip-audit can look nothing up: that is reported loudly, with the
count, and fails only when AUDIT_REQUIRED=1 (set it where the database is reachable, so a
broken network cannot pass for a clean audit). Writes reports/audit.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCK_FILES = ["requirements.lock", "backend/requirements.lock", "deploy/requirements.txt"]
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
TIMEOUT_S = 300


def audit(lock: Path) -> dict:
    """pip-audit's JSON report for one lock file, or {"error": ...}."""
    command = [str(PIP_AUDIT), "--no-deps", "--disable-pip", "-r", str(lock), "--format", "json",
               "--progress-spinner", "off", "--timeout", "20"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=PROJECT_DIR)
    except subprocess.TimeoutExpired:
        return {"error": f"pip-audit took more than {TIMEOUT_S} s"}
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"error": (done.stderr or done.stdout).strip()[-2000:] or f"pip-audit exited {done.returncode}"}


def main() -> int:
    accepted = yaml.safe_load((PROJECT_DIR / "audit" / "advisories.yml").read_text())["accepted"] or []
    accepted_ids = {(item["package"].lower(), item["id"]) for item in accepted}
    required = os.environ.get("AUDIT_REQUIRED") == "1"
    summary: dict = {"lock_files": {}, "found": [], "accepted": [], "not_looked_up": 0, "looked_up": 0}
    used = set()
    for name in LOCK_FILES:
        report = audit(PROJECT_DIR / name)
        summary["lock_files"][name] = report
        if "error" in report:
            print(f"audit: {name}: {report['error']}")
            summary["not_looked_up"] += sum(1 for line in (PROJECT_DIR / name).read_text().splitlines()
                                            if "==" in line and not line.startswith("#"))
            continue
        for dependency in report.get("dependencies", []):
            if "skip_reason" in dependency:
                summary["not_looked_up"] += 1
                continue
            summary["looked_up"] += 1
            for vuln in dependency.get("vulns", []):
                ids = {vuln["id"], *vuln.get("aliases", [])}
                key = next(((dependency["name"].lower(), i) for i in ids
                            if (dependency["name"].lower(), i) in accepted_ids), None)
                entry = {"lock_file": name, "package": dependency["name"], "version": dependency["version"],
                         "id": vuln["id"], "aliases": vuln.get("aliases", []),
                         "fix_versions": vuln.get("fix_versions", [])}
                if key:
                    used.add(key)
                    summary["accepted"].append(entry)
                else:
                    summary["found"].append(entry)

    out = PROJECT_DIR / "reports" / "audit.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2))

    for entry in summary["found"]:
        fix = ", ".join(entry["fix_versions"]) or "none yet"
        print(f"audit: VULNERABLE {entry['package']} {entry['version']} ({entry['lock_file']}): "
              f"{entry['id']} {' '.join(entry['aliases'])}; fixed in: {fix}")
    for package, advisory in sorted(accepted_ids - used):
        if summary["looked_up"]:
            print(f"audit: stale entry in audit/advisories.yml: {package} {advisory} no longer applies")
    print(f"audit: {summary['looked_up']} pinned packages looked up, {len(summary['found'])} advisories found, "
          f"{len(summary['accepted'])} accepted (audit/advisories.yml); report: {out.relative_to(PROJECT_DIR)}")
    if summary["found"]:
        return 1
    if summary["not_looked_up"]:
        print(f"audit: WARNING: {summary['not_looked_up']} pinned packages could NOT be looked up: the "
              "vulnerability database is unreachable from this machine (pip-audit queries PyPI's JSON API). "
              "Nothing is known about them." + ("" if required else " Set AUDIT_REQUIRED=1 to fail on this."))
        return 2 if required else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
