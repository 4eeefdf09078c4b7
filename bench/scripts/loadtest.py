"""The load test: many citizens at once, for a bounded time, then the checks that nothing
went wrong (issue "It keeps working when things go wrong").

    .venv/bin/python -m bench.scripts.loadtest                         # 50 users, 180 s
    .venv/bin/python -m bench.scripts.loadtest --users 10 --duration 20

Runs with the assistant's venv (.venv); the load comes from Locust in bench/.venv
(bench/scripts/setup.sh), against 127.0.0.1 only. It starts the registration service, the
action server and Rasa as `make run` does (tests/conftest.py's Servers, free ports, databases
in a fresh temporary folder), then:

1. warm-up: --warmup s of the same load (first-use allocations are not a leak);
2. load: --users simulated citizens (bench/locustfile.py, no think time) for --duration s,
   half asking questions from tests/evaluation (three ways of writing), half registering
   (the whole form, each with a unique e-mail); RSS of the three servers sampled every
   second from before the warm-up to --settle s after the load;
3. checks: no failed or empty answer, no error in the servers' logs, every server still
   up; every confirmation code a conversation received is in exactly one row, with that
   conversation's e-mail, every row is one a conversation got the code of, no e-mail twice;
   memory flat (see memory_verdict).

Writes reports/loadtest/loadtest.json and loadtest.md (--out), with the raw samples and
the servers' logs in raw/. Exit status 0 when every check passed. tests/test_load.py runs
run_load() in small against the tests' servers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.scripts import run as bench  # the benchmark's /proc readings, question set and settings
from bench.scripts.run import ADMIN, LOCUST, QUIET_ENV

PROJECT_DIR = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT_DIR / "bench"
MIB = 2 ** 20

# Memory is flat when, per server, RSS after the load is at most RSS mid-run plus this margin
# (the larger of the two): see memory_verdict.
MEMORY_MARGIN_FRACTION = 0.03
MEMORY_MARGIN_BYTES = 8 * MIB

# What counts as a server error in a log. Rasa and the action server log "ERROR" (level name)
# and tracebacks; uvicorn's access log has the status of every answer.
LOG_PROBLEMS = {
    "rasa": re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|Exception in "),
    "actions": re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|Exception in "),
    "backend": re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|HTTP/\d(?:\.\d)?\" 5\d\d"),
}


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes and their memory ---------------------------------------------------------------

class MemorySampler(threading.Thread):
    """Every `interval` s: wall time and the RSS (VmRSS summed over the process tree) and CPU
    seconds of each named server, tagged with the current phase."""

    def __init__(self, pids: Dict[str, int], interval: float = 1.0):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.phase = "start"
        self.samples: List[Dict[str, Any]] = []
        self._halt = threading.Event()

    def sample(self) -> Dict[str, Any]:
        children = bench.process_children()
        row: Dict[str, Any] = {"t": time.time(), "phase": self.phase}
        for name, pid in self.pids.items():
            row[name] = bench.rss_bytes(pid, children)
            row[f"{name}_cpu"] = round(bench.cpu_seconds(pid, children), 2)
        return row

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append(self.sample())
            self._halt.wait(self.interval)

    def stop(self) -> List[Dict[str, Any]]:
        self._halt.set()
        self.join(timeout=10)
        return self.samples


def _median(values: List[float]) -> Optional[float]:
    return statistics.median(values) if values else None


def memory_verdict(samples: List[Dict[str, Any]], name: str, load_start: float, load_end: float,
                   settle_end: float) -> Dict[str, Any]:
    """Whether `name`'s memory came back to flat after the load.

    CPython and glibc rarely give freed memory back to the system, so RSS is not expected to
    fall back to its idle value once a load is over: it stays at the working set the load
    needed. A leak is memory that keeps growing with the messages served. So the figure
    judged is the growth from mid-run (median of the samples between 40% and 60% of the load
    window, when the warm-up and the first half of the load have already made every first-use
    allocation) to after the load (median of the samples in the last half of the settle
    period): between the two the server answered the whole second half of the messages. It is
    flat when that growth is at most MEMORY_MARGIN_FRACTION of the mid-run RSS or
    MEMORY_MARGIN_BYTES, whichever is larger (allocator noise: a new arena, a pool
    connection). The slope over the second half is reported beside it (MiB per minute)."""
    window = load_end - load_start

    def values(lo: float, hi: float) -> List[int]:
        return [s[name] for s in samples if lo <= s["t"] <= hi and s.get(name)]

    before = values(load_start - 3.5, load_start)  # the end of the settle after the warm-up
    mid = values(load_start + 0.4 * window, load_start + 0.6 * window)
    late = values(load_start + 0.8 * window, load_end)
    after = values(load_end + (settle_end - load_end) / 2, settle_end)
    during = values(load_start, load_end)
    first = [s[name] for s in samples if s.get(name)][:1]
    second_half = [(s["t"], s[name]) for s in samples
                   if load_start + window / 2 <= s["t"] <= load_end and s.get(name)]
    slope = None
    if len(second_half) >= 3:
        ts, rs = zip(*second_half, strict=True)
        t_mean, r_mean = statistics.fmean(ts), statistics.fmean(rs)
        var = sum((t - t_mean) ** 2 for t in ts)
        if var:
            slope = sum((t - t_mean) * (r - r_mean) for t, r in zip(ts, rs, strict=True)) / var * 60 / MIB
    m_mid, m_after = _median(mid), _median(after)
    result: Dict[str, Any] = {
        "rss_start_mib": round(first[0] / MIB, 1) if first else None,
        "rss_before_mib": round(_median(before) / MIB, 1) if before else None,
        "rss_mid_mib": round(m_mid / MIB, 1) if mid else None,
        "rss_late_mib": round(_median(late) / MIB, 1) if late else None,
        "rss_peak_mib": round(max(during) / MIB, 1) if during else None,
        "rss_after_mib": round(m_after / MIB, 1) if after else None,
        "slope_second_half_mib_per_min": round(slope, 2) if slope is not None else None,
    }
    if m_mid is None or m_after is None:
        result.update(flat=False, why="too few samples")
        return result
    margin = max(MEMORY_MARGIN_FRACTION * m_mid, MEMORY_MARGIN_BYTES)
    growth = m_after - m_mid
    result.update(growth_mid_to_after_mib=round(growth / MIB, 1), margin_mib=round(margin / MIB, 1),
                  flat=growth <= margin)
    return result


# --- load --------------------------------------------------------------------------------------

def questions_file(out: Path) -> Path:
    """bench/scripts/run.py's question set: tests/evaluation's messages in their three ways of
    writing, less those that start or answer a form."""
    return bench.questions_file(out)


def locust(url: str, users: int, seconds: float, out: Path, questions: Path, email_prefix: str,
           stop_timeout: float) -> Dict[str, Any]:
    """One headless Locust run with both kinds of user (bench/scripts/run.py's runner); returns
    its samples and conversations. At --run-time each user finishes what it is doing (a whole
    registration, at most `stop_timeout` s), so that no conversation is cut off between its
    request and its code."""
    conversations = out.with_suffix(".conversations.json")
    data = bench.locust(url, "QuestionUser ConversationUser", users, seconds, out, questions,
                        stop_timeout=stop_timeout,
                        extra_args=["--conversations-out", str(conversations), "--email-prefix", email_prefix,
                                    "--fail-empty"])
    data["conversations"] = json.loads(conversations.read_text()) if conversations.exists() else []
    return data


def percentile(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


def summarise(samples: List[Dict[str, Any]]) -> Dict[str, Any]:
    ok = [s for s in samples if s["ok"]]
    latencies = [s["ms"] for s in ok]
    window = 0.0
    if samples:
        window = max(s["start"] + s["ms"] / 1000 for s in samples) - min(s["start"] for s in samples)
    by_kind: Dict[str, List[float]] = {}
    for s in ok:
        by_kind.setdefault("registration" if s.get("step") else "question", []).append(s["ms"])
    errors = Counter(s.get("error", "?") for s in samples if not s["ok"])
    return {
        "messages": len(samples), "failed": len(samples) - len(ok), "errors": dict(errors.most_common(10)),
        "window_s": round(window, 1), "messages_per_s": round(len(ok) / window, 2) if window else 0.0,
        "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99), "max_ms": round(max(latencies), 1) if latencies else None,
        "by_kind": {kind: {"messages": len(v), "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)}
                    for kind, v in sorted(by_kind.items())},
        "questions_by_writing": dict(Counter(s["writing"] for s in samples if not s.get("step"))),
    }


# --- what the servers stored and logged -----------------------------------------------------

def all_registrations(backend_url: str) -> List[Dict[str, Any]]:
    import requests

    rows: List[Dict[str, Any]] = []
    while True:
        response = requests.get(f"{backend_url}/api/v1/registrations", headers=ADMIN, timeout=30,
                                params={"limit": 1000, "offset": len(rows)})
        response.raise_for_status()
        page = response.json()["items"]
        rows.extend(page)
        if len(page) < 1000:
            return rows


def check_registrations(conversations: List[Dict[str, Any]], rows: List[Dict[str, Any]],
                        email_prefix: str, foreign_rows_allowed: bool) -> Dict[str, Any]:
    """Lost and double registrations: the conversations that received a code against the
    service's rows."""
    ours = [r for r in rows if r["email"].startswith(f"{email_prefix}.")]
    foreign = len(rows) - len(ours)
    by_email = {c["email"]: c for c in conversations}
    codes = Counter(r["confirmation_code"] for r in ours)
    emails = Counter(r["email"] for r in ours)
    row_by_code = {r["confirmation_code"]: r for r in ours}
    received = [c for c in conversations if c.get("code")]
    lost = [c for c in received if c["code"] not in row_by_code or row_by_code[c["code"]]["email"] != c["email"]]
    unconfirmed_rows = [r for r in ours if by_email.get(r["email"], {}).get("code") != r["confirmation_code"]]
    no_code = [c for c in conversations if not c.get("code") and not c.get("failed_step")]
    result = {
        "conversations": len(conversations),
        "conversations_with_code": len(received),
        "conversations_failed_midway": sum(1 for c in conversations if c.get("failed_step")),
        "conversations_completed_without_code": len(no_code),
        "rows": len(ours),
        "rows_foreign": foreign,
        "rows_by_status": dict(Counter(r["status"] for r in ours)),
        "codes_received_without_row": len(lost),
        "codes_in_several_rows": sum(1 for n in codes.values() if n > 1),
        "emails_in_several_rows": sum(1 for n in emails.values() if n > 1),
        "rows_whose_code_was_not_received": len(unconfirmed_rows),
        "examples": {"lost": lost[:5], "rows_without_code": unconfirmed_rows[:5], "no_code": no_code[:5]},
    }
    result["ok"] = (len(received) > 0 and not lost and not unconfirmed_rows and not no_code
                    and result["codes_in_several_rows"] == 0 and result["emails_in_several_rows"] == 0
                    and (foreign_rows_allowed or foreign == 0))
    return result


def log_problems(path: Path, offset: int, pattern: re.Pattern) -> List[str]:
    """Lines of `path` written after `offset` that match `pattern`."""
    if not path.exists():
        return [f"{path.name} is missing"]
    with path.open("rb") as file:
        file.seek(offset)
        text = file.read().decode("utf-8", "replace")
    return [line.strip()[:300] for line in text.splitlines() if pattern.search(line)]


# --- the run -----------------------------------------------------------------------------------

def run_load(servers, *, users: int, duration: float, warmup: float, settle: float, out: Path,
             foreign_rows_allowed: bool = False, stop_timeout: float = 60) -> Dict[str, Any]:
    """Loads running servers (tests/conftest.py's Servers: backend, actions, rasa started),
    then checks them. Returns the results, with "checks" (name -> passed) and "ok"."""
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "raw"
    raw.mkdir(exist_ok=True)
    questions = questions_file(raw)
    email_prefix = f"load-{uuid.uuid4().hex[:8]}"
    logs = {name: servers.workdir / f"{name}.log" for name in ("rasa", "actions", "backend")}
    offsets = {name: path.stat().st_size if path.exists() else 0 for name, path in logs.items()}
    pids = {name: servers.processes[name].pid for name in ("rasa", "actions", "backend")}

    sampler = MemorySampler(pids)
    sampler.start()
    load_average = {"before": [round(x, 2) for x in os.getloadavg()]}
    time.sleep(2)
    sampler.phase = "warmup"
    log(f"warm-up: {users} users, {warmup:.0f} s ...")
    warm = locust(servers.rasa_url, users, warmup, raw / "warmup", questions, email_prefix, stop_timeout)
    sampler.phase = "settle-before"
    time.sleep(settle)

    sampler.phase = "load"
    log(f"load: {users} users, {duration:.0f} s ...")
    cpu_before = {name: sampler.sample()[f"{name}_cpu"] for name in pids}
    busy_before, wall_before = bench.busy_cpu_seconds(), time.monotonic()
    loaded = locust(servers.rasa_url, users, duration, raw / "load", questions, email_prefix, stop_timeout)
    wall = time.monotonic() - wall_before
    busy = bench.busy_cpu_seconds() - busy_before
    last = sampler.sample()
    cpu = {name: round(last[f"{name}_cpu"] - cpu_before[name], 1) for name in pids}
    load_average["during_end"] = [round(x, 2) for x in os.getloadavg()]
    sampler.phase = "settle-after"
    log(f"load over; {settle:.0f} s idle for the memory figure after it ...")
    time.sleep(settle)
    samples = sampler.stop()
    settle_end = time.time()
    load_average["after"] = [round(x, 2) for x in os.getloadavg()]

    starts = [s["start"] for s in loaded["samples"]]
    load_start = min(starts) if starts else settle_end
    load_end = max((s["start"] + s["ms"] / 1000 for s in loaded["samples"]), default=settle_end)
    summary = summarise(loaded["samples"])
    warm_summary = summarise(warm["samples"])
    conversations = warm["conversations"] + loaded["conversations"]
    registrations = check_registrations(conversations, all_registrations(servers.backend_url),
                                        email_prefix, foreign_rows_allowed)
    problems = {name: log_problems(path, offsets[name], LOG_PROBLEMS[name]) for name, path in logs.items()}
    alive = {name: servers.processes[name].poll() is None for name in pids}
    memory = {name: memory_verdict(samples, name, load_start, load_end, settle_end) for name in pids}
    locust_cpu = max(busy - sum(cpu.values()), 0.0)  # Locust's and everyone else's
    unanswered = warm.get("unanswered", 0) + loaded.get("unanswered", 0)
    checks = {
        "every message answered (no HTTP error, timeout or empty answer)":
            summary["failed"] == 0 and warm_summary["failed"] == 0 and unanswered == 0 and summary["messages"] > 0,
        "no error in the servers' logs": not any(problems.values()),
        "every server still up": all(alive.values()),
        "no lost and no double registration": registrations["ok"],
        **{f"memory flat: {name}": memory[name]["flat"] for name in pids},
    }
    result = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                                     capture_output=True, text=True).stdout.strip(),
        "machine": {"nproc": os.cpu_count(), "load_average_1_5_15": load_average,
                    # CPU used during the load by everything but our three servers (Locust and
                    # other people's work), in cores
                    "other_cpu_cores_during_load": round(locust_cpu / wall, 2) if wall else None},
        "sizes": {"users": users, "duration_s": duration, "warmup_s": warmup, "settle_s": settle,
                  "stop_timeout_s": stop_timeout, "questions": len(json.loads(questions.read_text())),
                  "mix": "half QuestionUser, half ConversationUser (bench/locustfile.py)",
                  "email_prefix": email_prefix},
        "load": summary, "warmup": warm_summary, "unanswered": unanswered,
        "server_cpu_s_during_load": cpu,
        "registrations": registrations,
        "log_problems": {name: lines[:20] for name, lines in problems.items()},
        "log_problem_counts": {name: len(lines) for name, lines in problems.items()},
        "alive": alive,
        "memory": memory,
        "memory_criterion": {"margin_fraction": MEMORY_MARGIN_FRACTION, "margin_mib": MEMORY_MARGIN_BYTES / MIB,
                             "rule": "RSS after the load (median, last half of the settle) <= RSS mid-run "
                                     "(median, 40-60% of the load window) + max(fraction x mid-run, margin)"},
        "checks": checks,
        "ok": all(checks.values()),
    }
    (raw / "memory.json").write_text(json.dumps(samples))
    (out / "loadtest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (out / "loadtest.md").write_text(render(result), encoding="utf-8")
    return result


def render(result: Dict[str, Any]) -> str:
    load, regs, sizes = result["load"], result["registrations"], result["sizes"]
    la = result["machine"]["load_average_1_5_15"]
    lines = [
        "# Load test",
        "",
        f"{result['date']}, commit {result['git_commit']}, {result['machine']['nproc']} cores; load average "
        f"(1/5/15 min) {la['before']} before, {la['during_end']} at the end of the load, {la['after']} after; "
        f"other CPU during the load (Locust and everyone else's work): {result['machine']['other_cpu_cores_during_load']} cores.",
        "",
        f"{sizes['users']} simulated citizens for {sizes['duration_s']:.0f} s (after a {sizes['warmup_s']:.0f} s warm-up) on "
        f"127.0.0.1, no think time: {sizes['mix']}; questions from tests/evaluation ({sizes['questions']}, "
        f"three ways of writing), registrations with unique e-mails.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| messages answered / failed | {load['messages'] - load['failed']} / {load['failed']} |",
        f"| throughput | {load['messages_per_s']} msg/s over {load['window_s']} s |",
        f"| latency p50 / p95 / p99 / max | {load['p50_ms']} / {load['p95_ms']} / {load['p99_ms']} / {load['max_ms']} ms |",
        *[f"| {kind}s: messages, p50 / p95 | {v['messages']}, {v['p50_ms']} / {v['p95_ms']} ms |"
          for kind, v in load["by_kind"].items()],
        f"| empty answers | {result['unanswered']} |",
        f"| errors in the logs (rasa / actions / backend) | "
        f"{' / '.join(str(result['log_problem_counts'][n]) for n in ('rasa', 'actions', 'backend'))} |",
        f"| registration conversations (warm-up + load) / with a code | {regs['conversations']} / {regs['conversations_with_code']} |",
        f"| rows stored / statuses | {regs['rows']} / {regs['rows_by_status']} |",
        f"| codes without their row / codes in several rows / e-mails in several rows | "
        f"{regs['codes_received_without_row']} / {regs['codes_in_several_rows']} / {regs['emails_in_several_rows']} |",
        f"| rows whose code no conversation received | {regs['rows_whose_code_was_not_received']} |",
        "",
        "Resident memory (MiB, process tree): start; before the load (after the warm-up); mid-run (40-60 %); "
        "peak; after (idle, after the load); growth mid-run to after, against the margin; slope over the second half.",
        "",
        "| server | start | before | mid-run | peak | after | growth / margin | slope MiB/min | flat |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in result["memory"].items():
        lines.append(f"| {name} | {m['rss_start_mib']} | {m['rss_before_mib']} | {m['rss_mid_mib']} | {m['rss_peak_mib']} | "
                     f"{m['rss_after_mib']} | {m.get('growth_mid_to_after_mib')} / {m.get('margin_mib')} | "
                     f"{m['slope_second_half_mib_per_min']} | {'yes' if m['flat'] else '**no**'} |")
    lines += ["", f"Memory criterion: {result['memory_criterion']['rule']} (fraction "
              f"{result['memory_criterion']['margin_fraction']}, margin {result['memory_criterion']['margin_mib']:.0f} MiB).",
              "", "| check | |", "|---|---|"]
    lines += [f"| {name} | {'passed' if passed else '**FAILED**'} |" for name, passed in result["checks"].items()]
    return "\n".join(lines) + "\n"


# --- the script -------------------------------------------------------------------------------

def _stop_on_term(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt(f"signal {signum}")


def model_path() -> Path:
    if os.environ.get("RASA_MODEL"):
        return Path(os.environ["RASA_MODEL"]).resolve()
    path = subprocess.run([str(PROJECT_DIR / ".venv" / "bin" / "python"), "-m", "scripts.model", "path"],
                          cwd=PROJECT_DIR, check=True, capture_output=True, text=True).stdout.strip()
    model = PROJECT_DIR / path
    if not model.exists():
        raise SystemExit(f"no model at {model}: run `make train` first")
    return model


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)  # so that every server started is stopped
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="simulated citizens at once")
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=30, help="seconds of the same load before it")
    parser.add_argument("--settle", type=float, default=10, help="idle seconds after the warm-up and after the load")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "reports" / "loadtest")
    parser.add_argument("--keep", action="store_true", help="keep the servers' folder (databases)")
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit("bench/.venv is missing: run bench/scripts/setup.sh")
    from tests.conftest import Servers

    model = model_path()
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    servers = Servers(model, workdir, extra_env={**QUIET_ENV, "RASA_MODEL": str(model)})
    log(f"servers in {workdir}, model {model.name}, results in {args.out}")
    try:
        for name in ("backend", "actions", "rasa"):
            servers.start(name)
        result = run_load(servers, users=args.users, duration=args.duration, warmup=args.warmup,
                          settle=args.settle, out=args.out)
    finally:
        servers.stop_all()
        if (args.out / "raw").is_dir():
            for name in ("rasa", "actions", "backend"):
                if (workdir / f"{name}.log").exists():
                    shutil.copy(workdir / f"{name}.log", args.out / "raw" / f"{name}.log")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    load = result["load"]
    log(f"{load['messages']} messages, {load['messages_per_s']} msg/s, p50 {load['p50_ms']} p95 {load['p95_ms']} ms, "
        f"{load['failed']} failed; {result['registrations']['rows']} rows for "
        f"{result['registrations']['conversations_with_code']} codes")
    for name, passed in result["checks"].items():
        log(f"{'passed' if passed else 'FAILED'}: {name}")
    log(f"wrote {args.out / 'loadtest.md'}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
