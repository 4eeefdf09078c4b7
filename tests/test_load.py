"""The load test in small (bench/scripts/loadtest.py's run_load: 10 simulated citizens for
20 s, half asking questions, half registering) against the tests' servers, with the same
checks as the full run (`bench/scripts/loadtest.py`: 50 users for 3 minutes): every message
answered, no error in the servers' logs, every server up, no lost and no double
registration, memory flat. Its registrations have e-mails of their own, so rows of other
tests in the same service are told apart."""

from __future__ import annotations

import json
import subprocess

import pytest

from bench.scripts import loadtest
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e


def test_ten_citizens_for_twenty_seconds_leave_nothing_broken(servers, tmp_path):
    subprocess.run(["scripts/tool-venv.sh", "bench"], cwd=PROJECT_DIR, check=True)
    result = loadtest.run_load(servers, users=10, duration=20, warmup=5, settle=6, out=tmp_path,
                               foreign_rows_allowed=True, stop_timeout=30)
    failed = [name for name, passed in result["checks"].items() if not passed]
    details = {key: result[key] for key in ("load", "registrations", "log_problems", "alive", "memory")}
    assert not failed, f"{failed}:\n{json.dumps(details, indent=1, ensure_ascii=False)[:6000]}"
    assert result["load"]["messages"] >= 50
    assert result["registrations"]["conversations_with_code"] >= 3
    assert set(result["load"]["questions_by_writing"]) == {"ka", "ka-Latn", "en"}
