"""Attempts per client in a sliding window, counted in this process's memory.

Per process: each uvicorn worker (and each machine) counts on its own, so with N workers
a client gets up to N times the limit, and a restart forgets every count. That is enough
for what the limits are for: one conversation cannot register over and over, nor guess
confirmation codes and emails through the look-up and cancel endpoints. Nothing is
stored, and no personal data is kept: a client is an opaque id (the X-Client-Id header,
or the remote address), an attempt an opaque id (the Idempotency-Key) or nothing.

Memory is bounded: at most `limit` attempts per client, at most `max_clients` clients
(the least recently active client is forgotten first, which errs on letting it through).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


class RateLimiter:
    """At most `limit` attempts per client in any `window_seconds`; `limit` 0: no limit."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_clients = max_clients
        self._clock = clock
        # client -> (attempt id -> when it was counted), both oldest first
        self._clients: OrderedDict[str, OrderedDict[object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> OrderedDict[object, float]:
        attempts = self._clients.get(client)
        if attempts is None:
            return OrderedDict()
        while attempts and next(iter(attempts.values())) <= now - self.window:
            attempts.popitem(last=False)
        return attempts

    def counted(self, client: str, attempt_id: str) -> bool:
        """Whether this attempt was already counted for this client in the window."""
        with self._lock:
            return attempt_id in self._recent(client, self._clock())

    def attempt(self, client: str, attempt_id: str | None = None) -> float | None:
        """Counts one attempt. None: it may go ahead; else the seconds until one may.

        An `attempt_id` already counted for this client in the window goes ahead without
        counting again: a retry of the same attempt (after a timeout or a 503) is one
        attempt. A refused attempt is not counted.
        """
        if self.limit <= 0:
            return None
        with self._lock:
            now = self._clock()
            attempts = self._recent(client, now)
            if attempt_id is not None and attempt_id in attempts:
                return None
            if len(attempts) >= self.limit:
                oldest = next(iter(attempts.values()))
                return max(oldest + self.window - now, 0.0)
            attempts[object() if attempt_id is None else attempt_id] = now
            self._clients[client] = attempts
            self._clients.move_to_end(client)
            self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        # Clients are ordered by their latest attempt: the idle ones are at the front.
        while self._clients:
            client, attempts = next(iter(self._clients.items()))
            newest = next(reversed(attempts.values()), None)
            idle = newest is None or newest <= now - self.window
            if not idle and len(self._clients) <= self.max_clients:
                return
            self._clients.popitem(last=False)


def retry_after_header(seconds: float) -> str:
    """Whole seconds, at least 1 (HTTP's Retry-After has no fractions)."""
    return str(max(1, math.ceil(seconds)))


@dataclass
class RateLimits:
    """The limits of one app (app.state.rate_limits)."""

    registrations: RateLimiter
    lookups: RateLimiter

    @classmethod
    def from_settings(cls, registrations: int, lookups: int, window_seconds: float) -> RateLimits:
        return cls(
            registrations=RateLimiter(registrations, window_seconds),
            lookups=RateLimiter(lookups, window_seconds),
        )
