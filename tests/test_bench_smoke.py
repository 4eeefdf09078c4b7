"""`make bench` in miniature: the whole benchmark (bench/scripts/run.py) with the tiniest
sizes, so that the benchmark itself keeps working. The figures mean nothing at these sizes;
the full run is `make bench` (docs/benchmarks.md).

B is what `make bench` compares with by default: the previous design, the project at
run.py's DEFAULT_BASELINE_REF extracted with `git archive` and served from its own folder.
Its model is cached in bench/models/ by commit (the same one `make bench` uses), so only the
first run trains it (about 2 minutes: the old design trains a logistic regression).

The one-instance-against-two section (`make run-scaled` with 1, then 2 Rasa instances behind
HAProxy, Redis and PostgreSQL) is part of `make bench`'s default run, so it runs here too, with
the same tiny sizes: about 100 s more on 2 cores, most of it the topology's two start-ups."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e


def test_the_benchmark_runs_end_to_end_with_tiny_sizes(model_path, tmp_path):
    ref = re.search(r'^DEFAULT_BASELINE_REF = "([^"]+)"', (PROJECT_DIR / "bench" / "scripts" / "run.py").read_text(),
                    re.M).group(1)
    subprocess.run(["scripts/tool-venv.sh", "bench"], cwd=PROJECT_DIR, check=True)
    out, doc, picture = tmp_path / "results", tmp_path / "benchmarks.md", tmp_path / "latency.png"
    command = [
        sys.executable, "-m", "bench.scripts.run", "--users", "1,2", "--duration", "3",
        "--memory-messages", "10", "--memory-users", "2", "--profile-seconds", "0",
        # the baseline of the applied tracker-store change, as `make bench` always measures it
        "--variant", "rasa-sql-store:BENCH_TRACKER_STORE=SQL", "--quiet-wait", "0",
        # A: the model the other tests use; B: the previous design (the default baseline)
        "--model-a", str(model_path),
        "--out", str(out), "--doc", str(doc), "--plot", str(picture),
    ]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=1200)
    except subprocess.TimeoutExpired:
        process.terminate()  # run.py stops the servers it started on SIGTERM
        output, _ = process.communicate(timeout=60)
        pytest.fail(f"the benchmark took more than 20 minutes:\n{output[-3000:]}")
    assert process.returncode == 0, output[-5000:]

    results = json.loads((out / "results.json").read_text())
    baseline = results["baseline"]
    commit = subprocess.run(["git", "rev-parse", ref], cwd=PROJECT_DIR, check=True,
                            capture_output=True, text=True).stdout.strip()
    subject = subprocess.run(["git", "log", "-1", "--format=%s", commit], cwd=PROJECT_DIR, check=True,
                             capture_output=True, text=True).stdout.strip()
    assert baseline["kind"] == "previous" and baseline["commit"] == commit and baseline["subject"] == subject
    # the previous design's folder is gone, and nothing of it was left in the repository
    assert not Path(baseline["folder"]).exists()
    assert results["assistants"]["B"]["model"]["name"] == f"previous-{commit[:12]}"
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
    # B was served from its own folder: the previous design lacks the knowledge base's intent
    assert results["assistants"]["B"]["intents_missing"].get("ask_knowledge", 0) > 0
    assert set(results["assistants"]["B"]["accuracy_shared_intents"]) >= {"ka", "ka-Latn", "en"}

    text = doc.read_text()
    short = baseline["short"]
    assert f"| measure | A: new design | B: previous design ({short}) | A/B |" in text
    assert subject in text and f"`--baseline-ref {ref}`" in text
    assert "| resident memory growth, A − B" in text
    targets = text[text.index("## Targets against the previous design"):text.index("## A's own targets")]
    for target in ("p95 at 1 user ≤ 150 ms", "no more than 20% below B's", "at most 250 MiB above B's",
                   "training time of both reported"):
        row = next(line for line in targets.splitlines() if target in line)
        assert "| met |" in row or "| **missed** |" in row, row
    assert picture.stat().st_size > 10_000 and picture.read_bytes()[:4] == b"\x89PNG"
    # the applied change is shown against its baseline, served in the same run
    before = results["variants"]["rasa-sql-store"]
    assert before["env"] == {"BENCH_TRACKER_STORE": "SQL"}
    assert before["questions"]["2"]["messages"] > 0 and before["questions"]["2"]["failed"] == 0
    assert "## Changes applied, before and after (same run)" in text

    # one Rasa instance against two, behind the same HAProxy, Redis lock store and PostgreSQL
    assert results["sizes"]["instances_compare"] == [1, 2]
    for count in (1, 2):
        side = results["instances"][str(count)]
        assert side["instances"] == count and 0 < side["start_s"] < 300
        assert sorted(side["rss_after_messages"]) == [f"rasa{i + 1}" for i in range(count)]
        assert all(value > 50 * 2 ** 20 for value in side["rss_after_messages"].values())
        for users in ("1", "2"):
            phase = side["questions"][users]
            assert phase["messages"] > 0 and phase["failed"] == 0, (count, users, phase)
            assert 0 < phase["p50_ms"] <= phase["p95_ms"] <= phase["p99_ms"]
            assert phase["busy_cores"] > 0 and phase["cpu_postgres"] > 0 and phase["cpu_haproxy"] > 0
        # HAProxy gave each instance its share of the memory run's messages
        assert all(side["memory_run"][f"cpu_rasa{i + 1}"] > 0 for i in range(count)), side["memory_run"]
    section = text[text.index("## One instance against two (make run-scaled)"):text.index("## Each level in detail")]
    assert "| measure | plain `make run` (A above) | run-scaled, 1 instance | run-scaled, 2 instances | 2 / 1 |" in section
    assert "| throughput at saturation (questions, best level) |" in section
    assert "resident memory per Rasa instance" in section and "What limits the ratio:" in section
