"""The benchmark: our assistant (A, config.yml) against a baseline (B), side by side, in one
run on this machine. By default B is the previous design: the project as it was at a named git
commit (--baseline-ref, 2bc6aa1: before the sentence-vector featurizer, the knowledge base and
the question router), trained with that commit's own config.yml, domain and data and served with
its own actions and components. --baseline rasa-default makes B the same data and domain as A
trained with Rasa's default recipe (bench/config_rasa_default.yml) instead.

    .venv/bin/python -m bench.scripts.run                    # what `make bench` runs
    .venv/bin/python -m bench.scripts.run --users 1,2 --duration 3 --memory-messages 20 \
        --model-a "$(.venv/bin/python -m scripts.model path)" \
        --doc /tmp/b.md --plot /tmp/b.png                    # the smoke test's sizes
    .venv/bin/python -m bench.scripts.run --baseline rasa-default --b-epochs 1 ...   # the old B

Runs with the assistant's venv (.venv); the load comes from Locust in bench/.venv
(bench/scripts/setup.sh), always against 127.0.0.1, every run bounded in messages and time.
The previous design is extracted with `git archive REF | tar -x` into a temporary folder (no
worktree, nothing in the repository changes) that shares the project's .venv, backend/.venv
and .env by symlinks, and is removed at the end; its trained model is kept in bench/models/
as previous-<commit>.tar.gz and reused by later runs.
For A and B in turn it measures training time and model size, starts the registration
service, the action server and Rasa as `make run` does (tests/conftest.py's Servers, on free
ports, databases in the run's folder; for the previous design, its own scripts in its own
folder), then cold start, resident memory after --memory-messages answers, latency and
throughput at each --users level for questions and for whole registration conversations, and
intent accuracy and macro-F1 per way of writing on this project's tests/evaluation
(bench/scripts/accuracy.py, with each design's own scripts/evaluate.py and components). Then
(--instances-compare, default 1,2) A's model behind `make run-scaled`'s HAProxy, Redis lock
store and PostgreSQL with one Rasa instance, then two: questions at each --users level, memory
per instance and the CPU of every part of the topology. Writes
bench/results/<time>/results.json, the Markdown report (--doc) and the latency picture (--plot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

PROJECT_DIR = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT_DIR / "bench"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore", category=DeprecationWarning)

import requests  # noqa: E402

from tests.conftest import ScaledServers, Servers  # noqa: E402  (the tests' harness: as `make run`, `make run-scaled`)

VENV_BIN = PROJECT_DIR / ".venv" / "bin"
LOCUST = BENCH_DIR / ".venv" / "bin" / "locust"
PY_SPY = BENCH_DIR / ".venv" / "bin" / "py-spy"
CONFIG_A = PROJECT_DIR / "config.yml"
CONFIG_B = BENCH_DIR / "config_rasa_default.yml"
ADMIN = {"Authorization": "Bearer dev-admin-token-change-me"}
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}

# Cheap changes in how Rasa is started, tried when A misses a speed target: less logging, and
# two Sanic workers (Rasa allows several only with a Redis lock store; see Assistant.rasa_command).
# The third is not a start-up setting but a deployment one (endpoints.yml), measured because the
# profile puts the SQL tracker store first.
# "repeat" serves A again exactly as before: the run-to-run spread the others are judged against.
DEFAULT_VARIANTS = ["repeat:", "log-warning:LOG_LEVEL=WARNING", "2-workers:SANIC_WORKERS=2,BENCH_LOCK_STORE=redis",
                    "redis-tracker:BENCH_TRACKER_STORE=redis"]
# Always measured: A served as it was before a change that is applied (the named baseline of
# that change, side by side in the same run). Rasa's own SQL tracker store instead of ours.
BEFORE_VARIANTS = ["rasa-sql-store:BENCH_TRACKER_STORE=SQL"]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the machine and what else runs on it -------------------------------------------------

def machine() -> Dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    import rasa
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "memory_bytes": int(memory.group(1)) * 1024 if memory else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                                     capture_output=True, text=True).stdout.strip(),
    }


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def busy_cpu_seconds() -> float:
    """CPU seconds all processes on the machine have used since boot (busy, not idle)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / _ticks()


def process_children() -> Dict[int, List[int]]:
    """Every live process's children, by parent pid (one pass over /proc)."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree(pid: int, children: Optional[Dict[int, List[int]]] = None) -> List[int]:
    """pid and all its descendants (``children``: a process_children() already read, so that
    several trees sampled together cost one pass over /proc)."""
    children = process_children() if children is None else children
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int, children: Optional[Dict[int, List[int]]] = None) -> float:
    """User + system CPU seconds of a process tree (live processes only)."""
    total = 0.0
    for member in tree(pid, children):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _ticks()
        except (OSError, IndexError, ValueError):
            pass
    return total


def rss_bytes(pid: int, children: Optional[Dict[int, List[int]]] = None) -> int:
    """Resident memory of a process tree (VmRSS, summed)."""
    total = 0
    for member in tree(pid, children):
        try:
            match = re.search(r"^VmRSS:\s*(\d+) kB", Path(f"/proc/{member}/status").read_text(), re.M)
        except OSError:
            continue
        if match:
            total += int(match.group(1)) * 1024
    return total


QUIET = {"max_wait": 0.0, "threshold": 0.5, "waited": 0.0, "max_total": 300.0}


def wait_quiet() -> float:
    """Waits (up to --quiet-wait s) until the machine is nearly idle: less than
    --quiet-threshold cores busy over 2 s. Our servers are idle between phases, so what is
    busy then is other work. Returns the seconds waited."""
    started = time.monotonic()
    budget = min(QUIET["max_wait"], QUIET["max_total"] - QUIET["waited"])
    while time.monotonic() - started < budget:
        before = busy_cpu_seconds()
        time.sleep(2)
        if (busy_cpu_seconds() - before) / 2 < QUIET["threshold"]:
            break
    waited = time.monotonic() - started
    QUIET["waited"] += waited
    return waited


class CpuWatch:
    """CPU used during a phase: by our processes (named pids) and by everything else."""

    def __init__(self, pids: Dict[str, int]):
        self.pids = pids
        self.start_wall = time.monotonic()
        self.start_total = busy_cpu_seconds()
        self.start = {name: cpu_seconds(pid) for name, pid in pids.items()}

    def stop(self, extra_ours: float = 0.0) -> Dict[str, float]:
        wall = time.monotonic() - self.start_wall
        ours = {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}
        total = busy_cpu_seconds() - self.start_total
        foreign = max(total - sum(ours.values()) - extra_ours, 0.0)
        return {"wall": round(wall, 2), **{f"cpu_{k}": round(v, 2) for k, v in ours.items()},
                # cores' worth of CPU that processes outside the benchmark used meanwhile
                "other_load_cores": round(foreign / wall, 2) if wall > 0 else 0.0,
                # cores' worth of CPU the whole machine used meanwhile (ours, Locust's, others')
                "busy_cores": round(total / wall, 2) if wall > 0 else 0.0}


# --- models ---------------------------------------------------------------------------------

def derive_config(source: Path, epochs: int, out: Path) -> Path:
    """A copy of `source` with every `epochs:` set to `epochs` (the smoke test's tiny B)."""
    text = re.sub(r"(\bepochs:\s*)\d+", lambda m: f"{m.group(1)}{epochs}", source.read_text())
    out.write_text(f"# {source.name} with epochs: {epochs} (bench smoke run)\n{text}")
    return out


def inputs_hash(config: Path, with_components: bool) -> str:
    """scripts/model.py's fingerprint (data, domain, config, components); for B, whose
    pipeline uses none of components/, the same without them."""
    import hashlib

    from scripts.model import fingerprint

    if with_components:
        return fingerprint(config=os.path.relpath(config, PROJECT_DIR))
    digest = hashlib.sha256()
    files = [config, *sorted(p for folder in ("domain", "data") for p in (PROJECT_DIR / folder).rglob("*")
                             if p.is_file())]
    for file in files:
        digest.update(os.path.relpath(file, PROJECT_DIR).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def train(label: str, config: Path, models_dir: Path, logs: Path, retrain: bool,
          with_components: bool = True, project_dir: Path = PROJECT_DIR, name: Optional[str] = None,
          extra_info: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Trains with a fresh, empty Rasa cache (so it is a full training) unless a model for
    the current data, domain, config (and components, for A) exists with its timing.
    ``project_dir``: the project whose data, domain and components are trained (the previous
    design's folder); ``name``: the model's name there (then models of other names are kept)."""
    keep_others = name is not None
    name = name or f"{label}-{inputs_hash(config, with_components)}"
    path, info_path = models_dir / f"{name}.tar.gz", models_dir / f"{name}.json"
    if path.exists() and info_path.exists() and not retrain:
        info = json.loads(info_path.read_text())
        log(f"{label}: reusing {path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path} "
            f"(trained {info['trained_at']} in {info['training_seconds']:.0f} s)")
        return {**info, "path": str(path), "reused": True}
    models_dir.mkdir(parents=True, exist_ok=True)
    log(f"{label}: training {name} with {config.name} (full training, empty cache) ...")
    cache = Path(tempfile.mkdtemp(prefix="bench-rasa-cache-"))
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(cache)}
    wait_quiet()
    total_before, started = busy_cpu_seconds(), time.monotonic()
    own = 0.0
    with (logs / f"train-{label}.log").open("w") as out:
        process = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "train", "--config", str(config), "--domain", domain_of(project_dir),
             "--data", "data", "--fixed-model-name", name, "--out", str(models_dir), "--force"],
            cwd=project_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while process.poll() is None:
                own = max(own, cpu_seconds(process.pid))
                time.sleep(0.5)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=60)
    seconds = time.monotonic() - started
    other = max(busy_cpu_seconds() - total_before - own, 0.0) / seconds
    shutil.rmtree(cache, ignore_errors=True)
    if process.returncode != 0 or not path.exists():
        raise SystemExit(f"training {label} failed ({process.returncode}); see {logs / f'train-{label}.log'}")
    info = {"name": name, "config": os.path.relpath(config, project_dir), "training_seconds": round(seconds, 1),
            "training_cpu_s": round(own, 1),
            "trained_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            # cores' worth of CPU used by processes outside this training meanwhile
            "other_load_cores": round(other, 2), **(extra_info or {})}
    info_path.write_text(json.dumps(info, indent=2))
    for old in [] if keep_others else models_dir.glob(f"{label}-*"):  # older data: only the newest is kept
        if not old.name.startswith(name):
            old.unlink()
    log(f"{label}: trained in {seconds:.0f} s")
    return {**info, "path": str(path), "reused": False}


# --- the previous design (B by default) --------------------------------------------------------

DEFAULT_BASELINE_REF = "2bc6aa1"
# shared with the previous design's folder by symlinks: the environments (the old code runs in
# the same ones; backend/scripts/serve.sh needs backend/.venv) and the local settings
SHARED_WITH_PREVIOUS = (".venv", "backend/.venv", ".env")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_DIR, check=True, capture_output=True,
                          text=True).stdout.strip()


def resolve_ref(ref: str) -> Dict[str, str]:
    """The commit REF names, its subject line (`git log -1 --format=%s`) and date."""
    try:
        commit = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"--baseline-ref {ref}: not a commit of this repository") from None
    return {"ref": ref, "commit": commit, "short": git("rev-parse", "--short", commit),
            "subject": git("log", "-1", "--format=%s", commit), "date": git("log", "-1", "--format=%cI", commit)}


def extract(commit: str) -> Path:
    """The project at `commit` in a new temporary folder, with `git archive | tar -x` (no
    worktree: nothing in the repository changes), sharing SHARED_WITH_PREVIOUS by symlinks.
    The caller removes the folder."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-previous-{commit[:7]}-"))
    archive = subprocess.Popen(["git", "archive", "--format=tar", commit], cwd=PROJECT_DIR,
                               stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait() or untar.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit(f"could not extract {commit} with git archive")
    for name in SHARED_WITH_PREVIOUS:
        source, link = PROJECT_DIR / name, folder / name
        if source.exists() and not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(source.resolve(), target_is_directory=source.is_dir())
    return folder


# --- load -----------------------------------------------------------------------------------

# Messages that start or answer the registration forms: the conversations measure those.
FORM_INTENTS = {"register", "check_registration", "cancel_registration", "inform"}


def questions_file(out: Path) -> Path:
    """The evaluation set's messages (tests/evaluation), with their way of writing, less
    those that start or answer a form (a question after them would be taken as a form answer)."""
    from scripts.evaluate import load_examples

    examples = [e for e in load_examples(PROJECT_DIR / "tests" / "evaluation") if e["intent"] not in FORM_INTENTS]
    path = out / "questions.json"
    path.write_text(json.dumps([{"text": e["text"], "writing": e["writing"]} for e in examples],
                               ensure_ascii=False))
    return path


def percentile(values: List[float], q: float) -> Optional[float]:
    import numpy as np
    return round(float(np.percentile(values, q)), 1) if values else None


def summarise(samples: List[Dict[str, Any]]) -> Dict[str, Any]:
    ok = [s for s in samples if s["ok"]]
    latencies = [s["ms"] for s in ok]
    if ok:
        first = min(s["start"] for s in ok)
        last = max(s["start"] + s["ms"] / 1000 for s in ok)
        window = max(last - first, 1e-9)
    else:
        window = 0.0
    return {
        "messages": len(samples), "failed": len(samples) - len(ok),
        "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99), "mean_ms": round(sum(latencies) / len(latencies), 1) if ok else None,
        "max_ms": round(max(latencies), 1) if ok else None,
        "window_s": round(window, 2),
        "messages_per_s": round(len(ok) / window, 2) if window else 0.0,
    }


def locust(url: str, user_class: str, users: int, seconds: float, out: Path, questions: Path,
           max_messages: int = 0, stop_timeout: float = 30, extra_args: Sequence[str] = ()) -> Dict[str, Any]:
    """One headless Locust run; returns its samples and the CPU Locust itself used.
    ``user_class``: one of bench/locustfile.py's classes, or several separated by spaces. At
    --run-time each user may finish what it is doing for up to ``stop_timeout`` s.
    ``extra_args``: more of the locustfile's options (the load test's)."""
    samples_path = out.with_suffix(".json")
    command = [str(LOCUST), "-f", str(BENCH_DIR / "locustfile.py"), "--headless", "--only-summary",
               "-H", url, "-u", str(users), "-r", str(users), "--run-time", f"{int(seconds)}s",
               "--stop-timeout", str(int(stop_timeout)), "--loglevel", "WARNING",
               "--questions-file", str(questions), "--samples-out", str(samples_path),
               "--max-messages", str(max_messages), *extra_args, *user_class.split()]
    with out.with_suffix(".log").open("w") as log_file:
        process = subprocess.Popen(command, cwd=BENCH_DIR, stdout=log_file, stderr=subprocess.STDOUT)
        cpu, deadline = 0.0, time.monotonic() + seconds + stop_timeout + 60
        try:
            while process.poll() is None and time.monotonic() < deadline:
                cpu = max(cpu, cpu_seconds(process.pid))
                time.sleep(0.5)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=60)
    if not samples_path.exists():
        raise RuntimeError(f"Locust wrote no samples; see {out.with_suffix('.log')}")
    data = json.loads(samples_path.read_text())
    data["locust_cpu_s"] = round(cpu, 2)
    data["returncode"] = process.returncode
    return data


class Assistant:
    """One assistant's servers (registration service, action server, Rasa) for the bench."""

    def __init__(self, label: str, model: Path, workdir: Path, env: Dict[str, str],
                 project_dir: Path = PROJECT_DIR):
        self.label = label
        # project_dir: whose scripts, actions and components serve (the previous design's folder for B)
        self.servers = Servers(model, workdir, extra_env={**QUIET_ENV, "RASA_MODEL": str(model), **env},
                               project_dir=project_dir)
        self.workdir = workdir

    @property
    def url(self) -> str:
        return self.servers.rasa_url

    def pids(self) -> Dict[str, int]:
        return {name: process.pid for name, process in self.servers.processes.items()}

    def rasa_command(self) -> List[str]:
        """scripts/start-rasa.sh; for a variant with a Redis lock store (which several Sanic
        workers need) or a Redis tracker store, the same command line with a copy of
        endpoints.yml that has them."""
        env = self.servers.env
        lock, tracker = env.get("BENCH_LOCK_STORE"), env.get("BENCH_TRACKER_STORE")
        if not lock and not tracker:
            return ["scripts/with-env.sh", "scripts/start-rasa.sh"]
        import yaml

        endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text())
        redis = {"type": "redis", "url": "127.0.0.1", "port": int(env.get("BENCH_REDIS_PORT", 0))}
        if lock == "redis":
            endpoints["lock_store"] = dict(redis)
        if tracker == "redis":
            endpoints["tracker_store"] = {**redis, "db": 1}
        elif tracker:  # another type with the same url, e.g. Rasa's own "SQL"
            endpoints["tracker_store"]["type"] = tracker
        path = self.workdir / "endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
        return ["scripts/with-env.sh", str(VENV_BIN / "rasa"), "run", "--model", env["RASA_MODEL"],
                "--port", str(self.servers.rasa_port), "--interface", "127.0.0.1", "--credentials",
                "credentials.yml", "--endpoints", str(path), "--cors", "*"]

    def start(self) -> float:
        """Starts the service and the action server, then Rasa; returns the seconds from
        starting Rasa's process to its first answer over REST."""
        self.servers.start("backend")
        self.servers.start("actions")
        if "redis" in (self.servers.env.get("BENCH_LOCK_STORE"), self.servers.env.get("BENCH_TRACKER_STORE")):
            self.start_redis()
        log_path = self.workdir / "rasa.log"
        started = time.monotonic()
        process = subprocess.Popen(
            self.rasa_command(), cwd=self.servers.project_dir, env=self.servers.env,
            stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        self.servers.processes["rasa"] = process
        deadline = started + 300
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"Rasa exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                response = requests.post(f"{self.url}/webhooks/rest/webhook", timeout=60,
                                         json={"sender": f"cold-{uuid.uuid4().hex}", "message": "გამარჯობა"})
                if response.status_code == 200 and response.json():
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"Rasa gave no answer in 300 s:\n{log_path.read_text()[-3000:]}")

    def start_redis(self) -> None:
        """A throwaway Redis on a free port of 127.0.0.1, no persistence (Debian's
        redis-server, installed here when missing)."""
        from tests.conftest import free_port

        server = shutil.which("redis-server")
        if not server:
            log("installing Debian's redis-server ...")
            if subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], stdout=subprocess.DEVNULL).returncode:
                subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
                subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True,
                               stdout=subprocess.DEVNULL)
            server = shutil.which("redis-server") or "/usr/bin/redis-server"
        port = free_port()
        self.servers.processes["redis"] = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=(self.workdir / "redis.log").open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        self.servers.env["BENCH_REDIS_PORT"] = str(port)
        time.sleep(1)

    def rasa_pid(self) -> int:
        return self.servers.processes["rasa"].pid

    def registrations(self) -> int:
        response = requests.get(f"{self.servers.backend_url}/api/v1/registrations", params={"limit": 1},
                                headers=ADMIN, timeout=10)
        response.raise_for_status()
        return int(response.json()["total"])

    def stop(self) -> None:
        self.servers.stop_all()


def load_phase(assistant: Assistant | ScaledAssistant, user_class: str, users: int, seconds: float, out: Path,
               questions: Path, max_messages: int = 0) -> Dict[str, Any]:
    waited = wait_quiet()
    parts = assistant.pids()
    watch = CpuWatch(parts)
    # a topology's processes outside the named parts (honcho, the demo page's server)
    whole = assistant.whole_pid() if isinstance(assistant, ScaledAssistant) else None
    whole_before = cpu_seconds(whole) if whole else 0.0
    data = locust(assistant.url, user_class, users, seconds, out, questions, max_messages)
    rest = 0.0
    if whole:
        rest = max(cpu_seconds(whole) - whole_before - sum(cpu_seconds(pid) - watch.start[name]
                                                           for name, pid in parts.items()), 0.0)
    cpu = watch.stop(extra_ours=data["locust_cpu_s"] + rest)
    summary = summarise(data["samples"])
    ok = summary["messages"] - summary["failed"]
    summary.update(cpu)
    if whole:
        summary["cpu_rest_of_topology"] = round(rest, 2)
    summary["cpu_locust"] = data["locust_cpu_s"]
    summary["waited_for_quiet_s"] = round(waited, 1)
    # every Rasa process: "rasa", or the instances "rasa1", "rasa2", ... of a topology
    rasa_cpu = sum(v for k, v in cpu.items() if re.fullmatch(r"cpu_rasa\d*", k))
    summary["rasa_cpu_ms_per_message"] = round(1000 * rasa_cpu / ok, 1) if ok else None
    if user_class == "ConversationUser":
        summary["conversations_finished"] = data.get("finished", 0)
    if user_class == "QuestionUser":
        by_writing: Dict[str, List[float]] = {}
        for sample in data["samples"]:
            if sample["ok"]:
                by_writing.setdefault(sample["writing"] or "untagged", []).append(sample["ms"])
        summary["p95_by_writing"] = {w: percentile(v, 95) for w, v in sorted(by_writing.items())}
    return summary


def profile(assistant: Assistant, users: int, seconds: float, out: Path, questions: Path) -> Dict[str, Any]:
    """py-spy samples the Rasa process while `users` users ask questions; returns the
    functions that take the most time (own time, and time including what they call)."""
    raw = out.with_suffix(".txt")
    spy = subprocess.Popen(
        [str(PY_SPY), "record", "--pid", str(assistant.rasa_pid()), "--duration", str(int(seconds)),
         "--rate", "100", "--format", "raw", "--output", str(raw), "--nonblocking", "--subprocesses"],
        stdout=out.with_suffix(".log").open("w"), stderr=subprocess.STDOUT)
    time.sleep(1)
    locust(assistant.url, "QuestionUser", users, seconds, out.with_name(out.name + "-load"), questions)
    try:
        spy.wait(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        spy.kill()
    if not raw.exists():
        return {"error": f"py-spy wrote nothing; see {out.with_suffix('.log')}"}
    return top_functions(raw)


# Where a sample of Rasa's stack belongs: the deepest of these frames on it (leaf first).
PROFILE_GROUPS = [
    ("tracker store: saving the conversation (SQL)", "save (rasa/core/tracker_store.py"),
    ("tracker store: loading the conversation (SQL)", "retrieve (rasa/core/tracker_store.py"),
    ("tracker store: loading the conversation (SQL)", "create_tracker (rasa/core/tracker_store.py"),
    ("checking the action server's answer (jsonschema)", "_validate_action_result (rasa/core/actions/action.py"),
    ("calling the action server (HTTP)", "request (rasa/utils/endpoints.py"),
    ("responses (NLG)", "generate (components/nlg.py"),
    ("NLU pipeline (parse_message)", "parse_message (rasa/core/processor.py"),
    ("policies: predicting the next action", "_predict_next_with_tracker (rasa/core/processor.py"),
    ("rest of handling a message (events, slots, session)", "handle_message (rasa/core/processor.py"),
]


def top_functions(raw: Path, count: int = 12) -> Dict[str, Any]:
    """From py-spy's collapsed stacks: the share of samples in each part of handling a
    message (PROFILE_GROUPS), and the functions most often running themselves."""
    own: Dict[str, int] = {}
    groups: Dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        n = int(number)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";") if not f.startswith("process ")]
        if frames:
            own[frames[-1]] = own.get(frames[-1], 0) + n
        group = "HTTP server, event loop and the rest"
        for frame in reversed(frames):
            match = next((name for name, anchor in PROFILE_GROUPS if frame.startswith(anchor)), None)
            if match:
                group = match
                break
        groups[group] = groups.get(group, 0) + n

    def share(table: Dict[str, int], limit: int) -> List[List[Any]]:
        return [[name, round(100 * n / total, 1)] for name, n in sorted(table.items(), key=lambda kv: -kv[1])[:limit]]

    return {"samples": total, "groups": share(groups, len(groups)), "own": share(own, count), "raw": str(raw)}


def profile_pass(label: str, model: Path, args: argparse.Namespace, out: Path,
                 questions: Path, project_dir: Path = PROJECT_DIR) -> Dict[str, Any]:
    """Serves the model again (apart from the measured runs, which py-spy would slow), warms
    it up with 50 questions, then profiles it under load."""
    workdir = out / f"serve-{label}-profile"
    workdir.mkdir(parents=True, exist_ok=True)
    assistant = Assistant(label, model, workdir, {}, project_dir)
    try:
        assistant.start()
        locust(assistant.url, "QuestionUser", args.profile_users, 60, out / f"{label}-profile-warmup",
               questions, max_messages=50)
        return profile(assistant, args.profile_users, args.profile_seconds, out / f"{label}-profile", questions)
    finally:
        assistant.stop()


def accuracy(models: Dict[str, Path], projects: Dict[str, Path], out: Path,
             shared_with: Optional[Path] = None) -> Dict[str, Any]:
    """bench/scripts/accuracy.py in a process of its own per model, with the scripts/evaluate.py
    and components of the model's own project, on this project's tests/evaluation.
    ``shared_with``: a domain.yml; each label's figures get "_shared", the same on only the
    messages whose intent that domain has."""
    figures = {}
    for label, path in models.items():
        with (out / f"evaluation-{label}.log").open("w") as errors:
            run = subprocess.run([str(VENV_BIN / "python"), str(BENCH_DIR / "scripts" / "accuracy.py"),
                                  "--project", str(projects[label]),
                                  "--examples", str(PROJECT_DIR / "tests" / "evaluation"),
                                  *(["--shared-with", str(shared_with)] if shared_with else []), str(path)],
                                 cwd=projects[label], env={**os.environ, **QUIET_ENV}, check=True,
                                 stdout=subprocess.PIPE, stderr=errors, text=True)
        (out / f"evaluation-{label}.json").write_text(run.stdout)
        figures[label] = json.loads(run.stdout.strip().splitlines()[-1])[str(path)]
    return figures


def domain_of(project_dir: Path) -> str:
    """Where a project keeps its domain: domain/ (one file per topic), or domain.yml in
    commits before the split (the previous design's)."""
    return "domain" if (project_dir / "domain").is_dir() else "domain.yml"


def unknown_intents(domain: Path) -> Dict[str, int]:
    """Messages of tests/evaluation whose intent the domain lacks, by intent (the previous
    design cannot get them right: e.g. ask_knowledge, added with the knowledge base)."""
    from bench.scripts.accuracy import domain_intents
    from scripts.evaluate import load_examples

    known = domain_intents(domain)
    counts: Dict[str, int] = {}
    for example in load_examples(PROJECT_DIR / "tests" / "evaluation"):
        if example["intent"] not in known:
            counts[example["intent"]] = counts.get(example["intent"], 0) + 1
    return dict(sorted(counts.items()))


def measure(label: str, model: Path, args: argparse.Namespace, out: Path, questions: Path,
            env: Optional[Dict[str, str]] = None, only_questions: bool = False,
            project_dir: Path = PROJECT_DIR) -> Dict[str, Any]:
    workdir = out / f"serve-{label}"
    workdir.mkdir(parents=True, exist_ok=True)
    assistant = Assistant(label, model, workdir, env or {}, project_dir)
    result: Dict[str, Any] = {"env": env or {}}
    try:
        log(f"{label}: starting the registration service, the action server and Rasa ...")
        wait_quiet()
        result["cold_start_s"] = round(assistant.start(), 2)
        result["rss_after_start"] = rss_bytes(assistant.rasa_pid())
        log(f"{label}: first answer {result['cold_start_s']} s after starting Rasa; "
            f"sending {args.memory_messages} messages for the memory figure ...")
        result["memory_run"] = load_phase(assistant, "QuestionUser", args.memory_users, args.memory_timeout,
                                          out / f"{label}-memory", questions, args.memory_messages)
        result["rss_after_messages"] = rss_bytes(assistant.rasa_pid())
        result["rss_messages"] = result["memory_run"]["messages"]
        log(f"{label}: RSS {result['rss_after_messages'] / 2**20:.0f} MiB after {result['rss_messages']} messages")
        kinds = [("questions", "QuestionUser")] + ([] if only_questions else [("conversations", "ConversationUser")])
        for kind, user_class in kinds:
            result[kind] = {}
            before = assistant.registrations() if kind == "conversations" else 0
            for users in args.users:
                log(f"{label}: {kind}, {users} users, {args.duration:.0f} s ...")
                phase = load_phase(assistant, user_class, users, args.duration,
                                   out / f"{label}-{kind}-{users}", questions)
                if kind == "conversations":
                    now = assistant.registrations()
                    phase["registrations_stored"], before = now - before, now
                result[kind][str(users)] = phase
                log(f"{label}: {kind} x{users}: p50 {phase['p50_ms']} p95 {phase['p95_ms']} p99 {phase['p99_ms']} ms, "
                    f"{phase['messages_per_s']} msg/s, {phase['failed']} failed, other load {phase['other_load_cores']}")
        result["rss_at_end"] = rss_bytes(assistant.rasa_pid())
    finally:
        assistant.stop()
    return result


# --- one Rasa instance against two (make run-scaled) ----------------------------------------

# Action servers and registration workers of the topology, the same whatever the number of Rasa
# instances (make run-scaled's defaults), so that the Rasa instances are the only difference.
SCALED_ACTION_INSTANCES = 2


class ScaledAssistant:
    """`make run-scaled` with ``instances`` Rasa instances (tests/conftest.py's ScaledServers:
    HAProxy, the Redis lock store, PostgreSQL, SCALED_ACTION_INSTANCES action servers), its
    PostgreSQL cluster and Redis data in a temporary folder (removed by stop()), its log in
    the results folder."""

    def __init__(self, instances: int, model: Path, out: Path):
        # not under the results folder: the `postgres` user must reach it when run as root
        self.folder = Path(tempfile.mkdtemp(prefix=f"bench-scaled-{instances}-"))
        self.folder.chmod(0o755)
        self.servers = ScaledServers(model, self.folder, rasa_instances=instances,
                                     action_instances=SCALED_ACTION_INSTANCES,
                                     postgres_password="bench-scaled-password",
                                     log=out / f"scaled-{instances}.log", extra_env=QUIET_ENV)

    @property
    def url(self) -> str:
        return self.servers.url  # HAProxy

    def pids(self) -> Dict[str, int]:
        """The topology's parts by their Procfile name, each its keep-running.sh loop (whose
        process tree holds the server and what it forks: PostgreSQL's backends)."""
        names = [*self.servers.instances, *(f"actions{i + 1}" for i in range(SCALED_ACTION_INSTANCES)),
                 "backend", "postgres", "redis", "haproxy"]
        return {name: self.servers.pid(f"{name}.keeper") for name in names}

    def whole_pid(self) -> int:
        assert self.servers.process is not None
        return self.servers.process.pid

    def rss(self) -> Dict[str, int]:
        """Resident memory of each Rasa instance."""
        return {name: rss_bytes(self.servers.pid(name)) for name in self.servers.instances}

    def stop(self) -> None:
        try:
            self.servers.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def measure_scaled(instances: int, model: Path, args: argparse.Namespace, out: Path,
                   questions: Path) -> Dict[str, Any]:
    """A's model served by `make run-scaled` with `instances` Rasa instances: start-up, resident
    memory of each instance after --memory-messages answers (spread over the instances by
    HAProxy), then questions at each --users level, all through HAProxy."""
    label = f"scaled-{instances}"
    topology = ScaledAssistant(instances, model, out)
    result: Dict[str, Any] = {"instances": instances, "action_instances": SCALED_ACTION_INSTANCES}
    try:
        log(f"{label}: starting make run-scaled's topology with {instances} Rasa instance(s) ...")
        wait_quiet()
        result["start_s"] = round(topology.servers.start(), 2)
        result["rss_after_start"] = topology.rss()
        log(f"{label}: every instance answers through HAProxy {result['start_s']} s after the start; "
            f"sending {args.memory_messages} messages for the memory figure ...")
        result["memory_run"] = load_phase(topology, "QuestionUser", args.memory_users, args.memory_timeout,
                                          out / f"{label}-memory", questions, args.memory_messages)
        result["rss_after_messages"] = topology.rss()
        result["rss_messages"] = result["memory_run"]["messages"]
        log(f"{label}: RSS per instance " + ", ".join(f"{name} {value / 2**20:.0f} MiB" for name, value
                                                      in result["rss_after_messages"].items())
            + f" after {result['rss_messages']} messages")
        result["questions"] = {}
        for users in args.users:
            log(f"{label}: questions, {users} users, {args.duration:.0f} s ...")
            phase = load_phase(topology, "QuestionUser", users, args.duration, out / f"{label}-questions-{users}",
                               questions)
            result["questions"][str(users)] = phase
            log(f"{label}: questions x{users}: p50 {phase['p50_ms']} p95 {phase['p95_ms']} p99 {phase['p99_ms']} ms, "
                f"{phase['messages_per_s']} msg/s, {phase['failed']} failed, machine busy {phase['busy_cores']} "
                f"cores, other load {phase['other_load_cores']}")
        result["rss_at_end"] = topology.rss()
    finally:
        topology.stop()
    return result


# --- report ---------------------------------------------------------------------------------

def _stop_on_term(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)  # so that every server started is stopped
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", choices=["previous", "rasa-default"], default="previous",
                        help="B: 'previous', the project at --baseline-ref (default), or 'rasa-default', "
                             "this project's data and domain with bench/config_rasa_default.yml")
    parser.add_argument("--baseline-ref", default=DEFAULT_BASELINE_REF,
                        help=f"the commit whose design is B (default {DEFAULT_BASELINE_REF}: before the "
                             "sentence-vector featurizer, the knowledge base and the question router)")
    parser.add_argument("--users", default="1,8,32", help="concurrency levels (comma-separated)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load per level")
    parser.add_argument("--memory-messages", type=int, default=1000, help="answers before reading RSS")
    parser.add_argument("--memory-users", type=int, default=8)
    parser.add_argument("--memory-timeout", type=float, default=600, help="bound on the memory run (s)")
    parser.add_argument("--profile", default="", help="labels to profile with py-spy, e.g. A or A,B "
                        "(default: A when one of its speed or memory targets is missed)")
    parser.add_argument("--profile-seconds", type=float, default=30)
    parser.add_argument("--profile-users", type=int, default=8)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:VAR=VALUE[,VAR=VALUE]",
                        help="also serve A with these environment variables (e.g. "
                             "'log-warning:LOG_LEVEL=WARNING'): questions only, reported before/after. "
                             "Default: BEFORE_VARIANTS, and DEFAULT_VARIANTS when A misses a speed target; 'none': no variants")
    parser.add_argument("--instances-compare", default="1,2", metavar="N,M",
                        help="also serve A's model with `make run-scaled` (HAProxy, Redis lock store, "
                             "PostgreSQL) with N, then M Rasa instances, questions only (default 1,2; "
                             "'none': skip)")
    parser.add_argument("--b-epochs", type=int, default=0,
                        help="--baseline rasa-default only: train B with this many epochs (smoke runs)")
    parser.add_argument("--model-a", type=Path, help="serve this model as A instead of training one "
                        "(A's training time is then not measured)")
    parser.add_argument("--retrain", action="store_true", help="train A and B even when models exist")
    parser.add_argument("--models", type=Path, default=BENCH_DIR / "models")
    parser.add_argument("--out", type=Path, help="results folder (default bench/results/<time>)")
    parser.add_argument("--doc", type=Path, default=PROJECT_DIR / "docs" / "benchmarks.md")
    parser.add_argument("--plot", type=Path, default=PROJECT_DIR / "docs" / "benchmarks-latency.png")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--quiet-wait", type=float, default=30,
                        help="before each measurement, wait up to this many seconds for other work on the "
                             "machine to calm down (0: don't wait)")
    parser.add_argument("--quiet-wait-total", type=float, default=240, help="at most this much waiting in all")
    parser.add_argument("--quiet-threshold", type=float, default=0.5, help="cores busy that count as quiet")
    args = parser.parse_args()
    args.users = [int(u) for u in args.users.split(",")]
    args.profile = [p for p in args.profile.split(",") if p]
    args.instances_compare = ([] if args.instances_compare == "none" else
                              [int(n) for n in args.instances_compare.split(",") if n])
    if args.b_epochs and args.baseline != "rasa-default":
        parser.error("--b-epochs is for --baseline rasa-default (the previous design trains as it did)")
    QUIET.update(max_wait=args.quiet_wait, threshold=args.quiet_threshold, max_total=args.quiet_wait_total)
    out = args.out or BENCH_DIR / "results" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    if not LOCUST.exists():
        raise SystemExit("bench/.venv is missing: run bench/scripts/setup.sh (make bench does)")
    previous_dir: Optional[Path] = None
    try:
        if args.baseline == "previous":
            baseline = {"kind": "previous", **resolve_ref(args.baseline_ref)}
            log(f"B: the previous design, commit {baseline['short']} ({baseline['subject']})")
            previous_dir = extract(baseline["commit"])
            baseline["folder"] = str(previous_dir)
        else:
            baseline = {"kind": "rasa-default", "config": os.path.relpath(CONFIG_B, PROJECT_DIR)}
        return bench(args, out, baseline, previous_dir)
    finally:
        if previous_dir:
            shutil.rmtree(previous_dir, ignore_errors=True)


def bench(args: argparse.Namespace, out: Path, baseline: Dict[str, Any], previous_dir: Optional[Path]) -> int:
    import shlex

    command = " ".join(shlex.quote(part) for part in [".venv/bin/python", "-m", "bench.scripts.run", *sys.argv[1:]])
    results: Dict[str, Any] = {"machine": machine(), "command": command, "baseline": baseline, "sizes": {
        "users": args.users, "duration_s": args.duration, "memory_messages": args.memory_messages,
        "memory_users": args.memory_users, "session_length": 5,
        "b_epochs": (args.b_epochs or 100) if baseline["kind"] == "rasa-default" else None,
        "instances_compare": args.instances_compare,
        "profile_seconds": args.profile_seconds, "profile_users": args.profile_users}, "assistants": {}}
    started = time.monotonic()
    log(f"results in {out}")

    projects = {"A": PROJECT_DIR, "B": previous_dir or PROJECT_DIR}
    models = {}
    if args.model_a:
        models["A"] = {"path": str(args.model_a.resolve()), "training_seconds": None, "reused": True,
                       "config": "config.yml", "name": args.model_a.name}
    else:
        models["A"] = train("ours", CONFIG_A, args.models, out, args.retrain)
    if previous_dir:
        config_b = previous_dir / "config.yml"
        # keyed by the commit: its data, domain, config and components never change
        models["B"] = train("previous", config_b, args.models, out, args.retrain, project_dir=previous_dir,
                            name=f"previous-{baseline['commit'][:12]}",
                            extra_info={"commit": baseline["commit"], "subject": baseline["subject"]})
    else:
        config_b = CONFIG_B if not args.b_epochs else derive_config(CONFIG_B, args.b_epochs, out / "config_b.yml")
        models_b = args.models if not args.b_epochs else out / "models"
        models["B"] = train("rasa-default", config_b, models_b, out, args.retrain, with_components=False)
    from bench.scripts.report import recipe
    for label, config in (("A", CONFIG_A), ("B", config_b)):
        models[label]["size_bytes"] = Path(models[label]["path"]).stat().st_size
        models[label]["recipe"] = recipe(config)

    questions = questions_file(out)
    results["sizes"]["questions"] = len(json.loads(questions.read_text()))
    for label in ("A", "B"):
        results["assistants"][label] = {"model": models[label]}
        results["assistants"][label].update(measure(label, Path(models[label]["path"]), args, out, questions,
                                                    project_dir=projects[label]))
        (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))

    for instances in args.instances_compare:
        results.setdefault("instances", {})[str(instances)] = measure_scaled(
            instances, Path(models["A"]["path"]), args, out, questions)
        (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))

    from bench.scripts.report import missed_speed_targets, plot, render
    to_profile = args.profile or (["A"] if missed_speed_targets(results) else [])
    if args.profile_seconds:
        for label in to_profile:
            log(f"{label}: profiling Rasa with py-spy ({args.profile_seconds:.0f} s, "
                f"{args.profile_users} users asking questions) ...")
            results["assistants"][label]["profile"] = profile_pass(
                label, Path(models[label]["path"]), args, out, questions, projects[label])
    variants = args.variant or (BEFORE_VARIANTS + (DEFAULT_VARIANTS if missed_speed_targets(results) else []))
    for variant in [v for v in variants if v != "none"]:
        name, _, settings = variant.partition(":")
        env = dict(pair.split("=", 1) for pair in settings.split(",") if pair)
        log(f"variant {name}: A with {env}")
        smaller = argparse.Namespace(**{**vars(args), "memory_messages": min(args.memory_messages, 200)})
        results.setdefault("variants", {})[name] = measure(
            f"A-{name}", Path(models["A"]["path"]), smaller, out, questions, env=env, only_questions=True)
        (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))

    if not args.skip_accuracy:
        log("A and B: intent accuracy on tests/evaluation ...")
        shared_with = None
        if previous_dir:
            unknown = unknown_intents(previous_dir / domain_of(previous_dir))
            results["assistants"]["B"]["intents_missing"] = unknown
            shared_with = previous_dir / domain_of(previous_dir) if unknown else None
        figures = accuracy({label: Path(models[label]["path"]) for label in ("A", "B")}, projects, out, shared_with)
        for label in ("A", "B"):
            shared = figures[label].pop("_shared", None)
            results["assistants"][label]["accuracy"] = figures[label]
            if shared:
                results["assistants"][label]["accuracy_shared_intents"] = shared
    results["total_seconds"] = round(time.monotonic() - started, 1)
    results["sizes"]["quiet_wait"] = {"max_s": args.quiet_wait, "threshold_cores": args.quiet_threshold,
                                      "waited_s": round(QUIET["waited"], 1)}
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.plot.parent.mkdir(parents=True, exist_ok=True)
    plot(results, args.plot)
    args.doc.write_text(render(results, args.plot, out), encoding="utf-8")
    log(f"wrote {args.doc} and {args.plot} in {results['total_seconds']:.0f} s")
    return 0

if __name__ == "__main__":
    sys.exit(main())
