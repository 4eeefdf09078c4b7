"""The registration service's HTTP API, as the actions need it.

Every call has a connect and a read timeout; network errors, timeouts and 5xx answers
are retried a bounded number of times with exponential backoff. Creating a registration
is safe to retry because each attempt carries its Idempotency-Key: the service answers a
repeated key with the first answer and never stores a second row.

Actions get an Outcome for every answer the service can give, or a
RegistrationServiceUnavailable when it cannot be reached in time, or its special case
RegistrationRateLimited when the service refuses this conversation's attempt (429: too
many registrations, look-ups or cancellations in its window; not retried).

Every call can name the conversation (`sender_id`): the service counts its rate limits
per X-Client-Id, which is `client_id(sender_id)`, an opaque hash, so the service never
sees the conversation id itself.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Dict, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from actions import config

logger = logging.getLogger(__name__)

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
ALREADY_REGISTERED = "already_registered"
REGISTRATION_CLOSED = "registration_closed"
INVALID = "invalid"
NOT_FOUND = "not_found"


class RegistrationServiceUnavailable(Exception):
    """The service did not answer in time, or answered with a server error."""


class RegistrationRateLimited(RegistrationServiceUnavailable):
    """The service refused: too many attempts from this conversation for now (HTTP 429).
    A subclass, so that code which only knows "unavailable" still handles it safely."""

    def __init__(self, retry_after: Optional[int]) -> None:
        super().__init__(f"HTTP 429, retry after {retry_after} s")
        self.retry_after = retry_after


def client_id(sender_id: str) -> str:
    """The X-Client-Id of a conversation: the first 32 hex digits of the SHA-256 of its id."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:32]


def _client_headers(sender_id: Optional[str]) -> Dict[str, str]:
    return {"X-Client-Id": client_id(sender_id)} if sender_id else {}


@dataclass(frozen=True)
class Outcome:
    kind: str
    code: Optional[str] = None
    field: Optional[str] = None  # for INVALID: the first field the service rejected


class RegistrationClient:
    def __init__(
        self,
        base_url: str = config.REGISTRATION_SERVICE_URL,
        token: str = config.REGISTRATION_SERVICE_TOKEN,
        connect_timeout: float = config.REGISTRATION_CONNECT_TIMEOUT,
        read_timeout: float = config.REGISTRATION_READ_TIMEOUT,
        retries: int = config.REGISTRATION_RETRIES,
        backoff: float = config.REGISTRATION_BACKOFF,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        # respect_retry_after_header=False: urllib3 would otherwise also retry a 429 (and
        # any answer with Retry-After) after sleeping as long as it says, up to the
        # service's whole rate-limit window, with a citizen waiting for a reply. Our own
        # backoff keeps every wait short, and a 429 is not retried at all.
        retry = Retry(
            total=retries, connect=retries, read=retries, status=retries,
            backoff_factor=backoff, status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "POST"}), raise_on_status=False,
            respect_retry_after_header=False,
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            logger.warning("Registration service unreachable: %s %s: %s", method, path, type(error).__name__)
            raise RegistrationServiceUnavailable(str(error)) from error
        if response.status_code == 429:
            retry_after = response.headers.get("Retry-After", "")
            logger.warning("Registration service: too many attempts (%s %s)", method, path)
            raise RegistrationRateLimited(int(retry_after) if retry_after.isdigit() else None)
        if response.status_code >= 500 or response.status_code in (401, 403):
            # 401/403: our token is wrong; the citizen can do nothing about it either
            logger.error("Registration service answered %s to %s %s", response.status_code, method, path)
            raise RegistrationServiceUnavailable(f"HTTP {response.status_code}")
        return response

    @staticmethod
    def _error_code(response: requests.Response) -> Optional[str]:
        try:
            detail = response.json().get("detail")
        except ValueError:
            return None
        return detail.get("code") if isinstance(detail, dict) else None

    @staticmethod
    def _invalid_field(response: requests.Response) -> Optional[str]:
        try:
            errors = response.json().get("detail")
        except ValueError:
            return None
        if isinstance(errors, list) and errors:
            location = errors[0].get("loc") or []
            return str(location[-1]) if location else None
        return None

    def submit(self, *, key: str, event_id: str, full_name: str, email: str, language: str,
               municipality: Optional[str] = None, organisation: Optional[str] = None,
               sender_id: Optional[str] = None) -> Outcome:
        body: Dict[str, Any] = {
            "event_id": event_id, "full_name": full_name, "email": email, "language": language,
            "municipality": municipality, "organisation": organisation, "consent": True,
        }
        response = self._call("POST", "/api/v1/registrations", json=body,
                              headers={"Idempotency-Key": key, **_client_headers(sender_id)})
        if 200 <= response.status_code < 300:
            data = response.json()
            return Outcome(data["status"], code=data["confirmation_code"])
        code = self._error_code(response)
        if response.status_code == 409 and code in (ALREADY_REGISTERED, REGISTRATION_CLOSED):
            return Outcome(code)
        if response.status_code == 404:
            return Outcome(REGISTRATION_CLOSED)  # the event is gone from the service
        if response.status_code == 422:
            return Outcome(INVALID, field=self._invalid_field(response))
        # 409 idempotency_key_reused and anything unexpected: a bug on our side
        logger.error("Registration refused: HTTP %s %s", response.status_code, code)
        raise RegistrationServiceUnavailable(f"HTTP {response.status_code} {code}")

    def status(self, code: str, email: str, sender_id: Optional[str] = None) -> Outcome:
        response = self._call("GET", f"/api/v1/registrations/{code}", params={"email": email},
                              headers=_client_headers(sender_id))
        if response.status_code in (404, 422):
            return Outcome(NOT_FOUND)
        if 200 <= response.status_code < 300:
            return Outcome(response.json()["status"], code=code)
        raise RegistrationServiceUnavailable(f"HTTP {response.status_code}")

    def cancel(self, code: str, email: str, sender_id: Optional[str] = None) -> Outcome:
        response = self._call("POST", f"/api/v1/registrations/{code}/cancel", json={"email": email},
                              headers=_client_headers(sender_id))
        if response.status_code in (404, 422):
            return Outcome(NOT_FOUND)
        if 200 <= response.status_code < 300:
            return Outcome(CANCELLED, code=code)
        raise RegistrationServiceUnavailable(f"HTTP {response.status_code}")


_client: Optional[RegistrationClient] = None


def registration_client() -> RegistrationClient:
    """The shared client (one pooled HTTP session), made on first use."""
    global _client
    if _client is None:
        _client = RegistrationClient()
    return _client
