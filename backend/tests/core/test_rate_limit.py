"""The sliding-window limiter on its own, with a clock the test moves."""

from __future__ import annotations

import pytest

from app.core.rate_limit import RateLimiter, retry_after_header


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_client_gets_limit_attempts_per_window(clock: Clock) -> None:
    limiter = RateLimiter(3, 600, clock=clock)
    assert [limiter.attempt("a") for _ in range(3)] == [None, None, None]
    clock.now += 100
    assert limiter.attempt("a") == pytest.approx(500)  # until the oldest leaves the window
    assert limiter.attempt("b") is None  # another client has its own count
    clock.now += 500
    assert limiter.attempt("a") is None  # the window slid past the first attempt


def test_refused_attempts_do_not_count(clock: Clock) -> None:
    limiter = RateLimiter(1, 60, clock=clock)
    assert limiter.attempt("a") is None
    for _ in range(10):
        clock.now += 5
        assert limiter.attempt("a") is not None
    clock.now += 10  # 60 s after the one counted attempt, whatever was refused since
    assert limiter.attempt("a") is None


def test_the_same_attempt_id_counts_once(clock: Clock) -> None:
    limiter = RateLimiter(2, 60, clock=clock)
    assert limiter.attempt("a", "key-1") is None
    assert limiter.attempt("a", "key-1") is None  # a retry of the same attempt
    assert limiter.counted("a", "key-1") and not limiter.counted("b", "key-1")
    assert limiter.attempt("a", "key-2") is None
    assert limiter.attempt("a", "key-1") is None  # still goes ahead at the limit
    assert limiter.attempt("a", "key-3") is not None
    clock.now += 60
    assert not limiter.counted("a", "key-1")


def test_limit_zero_is_no_limit(clock: Clock) -> None:
    limiter = RateLimiter(0, 60, clock=clock)
    assert all(limiter.attempt("a") is None for _ in range(1000))


def test_memory_is_bounded(clock: Clock) -> None:
    limiter = RateLimiter(2, 60, max_clients=100, clock=clock)
    for number in range(1000):
        limiter.attempt(f"client-{number}", "key")
    assert len(limiter._clients) == 100
    clock.now += 61
    limiter.attempt("late")
    assert list(limiter._clients) == ["late"]  # idle clients are forgotten


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after_header(s) for s in (0, 0.2, 1.0, 1.01, 599.5)] == [
        "1",
        "1",
        "1",
        "2",
        "600",
    ]
