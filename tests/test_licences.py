"""audit/licences.py: how a declared licence is judged against EUPL-1.2."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("licences", Path(__file__).resolve().parent.parent / "audit" / "licences.py")
licences = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(licences)


@pytest.mark.parametrize("declared, family", [
    ("MIT", "permissive"),
    ("Apache Software License OR MIT License", "permissive"),
    ("BSD-3-Clause AND TCL", "permissive"),
    ("GNU Library or Lesser General Public License (LGPL)", "weak copyleft"),
    ("LGPL-3.0-only", "weak copyleft"),
    ("MPL-2.0 AND MIT", "weak copyleft"),
    ("GPL-3.0-or-later", "strong copyleft"),
    ("GNU General Public License v3 (GPLv3)", "strong copyleft"),
    ("AGPL-3.0-only", "strong copyleft"),
    ("MIT OR GPL-2.0-only", "permissive"),  # the licensee picks MIT
    ("GPL-2.0-only AND MIT", "strong copyleft"),
    ("Proprietary", "unknown"),
    ("", "unknown"),
])
def test_a_licence_falls_into_its_family(declared, family):
    assert licences.family(declared) == family


def test_the_report_lists_every_set_of_dependencies():
    assert licences.main([]) == 0, "make audit: a dependency's licence needs a decision"
    report = licences.REPORT.read_text(encoding="utf-8")
    for name in ("assistant", "registration service", "deploy tools", "chat widget (npm)"):
        assert f"| {name} | " in report
    assert "| strong copyleft | 0 |" in report
