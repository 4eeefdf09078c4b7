"""Rasa's Redis lock store, with each change of a conversation's lock made atomic.

Rasa 3.6's `RedisLockStore` keeps a conversation's ticket lock (`rasa.core.lock.TicketLock`)
as one JSON value in Redis and changes it by reading it, changing it in Python and writing
it back: issuing a ticket, removing one, removing expired ones, deleting the lock when
nobody waits. Between the read and the write another Rasa instance can do the same, so
two instances can hold the same ticket and handle two messages of one conversation at
once, or one deletes the lock while the other has just queued, whose message then fails
with "Could not acquire lock" (RasaHQ/rasa#9213; an atomic variant, RasaHQ/rasa#11256, was
merged and reverted in #11428). `tests/test_scaled.py` sends 8 messages of one
conversation at once to two instances: with Rasa's class, turns were lost from the stored
conversation (5 of 8 kept in one run).

This class keeps Rasa's lock, its tickets, its waiting loop and its data in Redis as they
are; it only does each read-change-write inside a Redis transaction on that key (WATCH,
then MULTI/EXEC, retried when another instance changed the key in between: Redis's own
optimistic locking, https://redis.io/docs/latest/develop/interact/transactions/).
Configured in deploy/endpoints-scaled.yml as
`lock_store: {type: components.lock_store.AtomicRedisLockStore, url, port, db, key_prefix}`.
"""

from __future__ import annotations

import json
import logging
from typing import Callable, Optional, Tuple, TypeVar

import redis  # type: ignore[import-untyped]  # no types-redis in the lint environment
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A change that keeps losing the race this many times in a row is given up (LockError).
MAX_ATTEMPTS = 100


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket changes are atomic across Rasa instances."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a lock store of a custom type with its endpoint configuration only;
        # the settings are those of `type: redis`.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str,
                change: Callable[[Optional[TicketLock]], Tuple[T, Optional[TicketLock]]]) -> T:
        """Applies `change` to the stored lock atomically: it gets the lock (or None) and
        returns a result and the lock to store (None: delete it)."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    result, new = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another instance changed the lock meanwhile: again
        raise LockError(f"The lock of conversation '{conversation_id}' kept changing.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[int, Optional[TicketLock]]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def remove_expired(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, remove_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock with it when nobody else waits: in one step,
        so a ticket issued meanwhile by another instance is never deleted with it."""

        def remove(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock:
                lock.remove_ticket_for(ticket_number)
                if not lock.is_someone_waiting():
                    lock = None
            return None, lock

        self._change(conversation_id, remove)
