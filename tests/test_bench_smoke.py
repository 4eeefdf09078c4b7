"""`make bench` in miniature: the whole benchmark (bench/scripts/run.py) with the tiniest
sizes, so that the benchmark itself keeps working. The figures mean nothing at these sizes;
the full run is `make bench` (docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e


def test_the_benchmark_runs_end_to_end_with_tiny_sizes(model_path, tmp_path):
    subprocess.run(["bench/scripts/setup.sh"], cwd=PROJECT_DIR, check=True)
    out, doc, picture = tmp_path / "results", tmp_path / "benchmarks.md", tmp_path / "latency.png"
    command = [
        sys.executable, "bench/scripts/run.py", "--users", "1,2", "--duration", "3",
        "--memory-messages", "10", "--memory-users", "2", "--profile-seconds", "0",
        # the baseline of the applied tracker-store change, as `make bench` always measures it
        "--variant", "rasa-sql-store:BENCH_TRACKER_STORE=SQL", "--quiet-wait", "0",
        # A: the model the other tests use; B: Rasa's default recipe with 1 epoch, in tmp_path
        "--model-a", str(model_path), "--b-epochs", "1",
        "--out", str(out), "--doc", str(doc), "--plot", str(picture),
    ]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.terminate()  # run.py stops the servers it started on SIGTERM
        output, _ = process.communicate(timeout=60)
        pytest.fail(f"the benchmark took more than 10 minutes:\n{output[-3000:]}")
    assert process.returncode == 0, output[-5000:]

    results = json.loads((out / "results.json").read_text())
    for label in ("A", "B"):
        result = results["assistants"][label]
        assert 0 < result["cold_start_s"] < 300
        assert result["rss_after_messages"] > 50 * 2 ** 20
        assert result["rss_messages"] >= 10
        for kind in ("questions", "conversations"):
            for users in ("1", "2"):
                phase = result[kind][users]
                assert phase["messages"] > 0 and phase["failed"] == 0, (label, kind, users, phase)
                assert 0 < phase["p50_ms"] <= phase["p95_ms"] <= phase["p99_ms"]
        assert set(result["accuracy"]) >= {"ka", "ka-Latn", "en"}
    # our assistant finishes registrations: every finished conversation stored a row
    for users in ("1", "2"):
        phase = results["assistants"]["A"]["conversations"][users]
        assert phase["registrations_stored"] == phase["conversations_finished"] > 0
    assert results["assistants"]["B"]["model"]["training_seconds"] > 0

    text = doc.read_text()
    assert "| measure | A: ours | B: Rasa default | A/B |" in text
    assert "## Targets" in text and ("met" in text or "missed" in text)
    assert picture.stat().st_size > 10_000 and picture.read_bytes()[:4] == b"\x89PNG"
    # the applied change is shown against its baseline, served in the same run
    before = results["variants"]["rasa-sql-store"]
    assert before["env"] == {"BENCH_TRACKER_STORE": "SQL"}
    assert before["questions"]["2"]["messages"] > 0 and before["questions"]["2"]["failed"] == 0
    assert "## Changes applied, before and after (same run)" in text
