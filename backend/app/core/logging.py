"""Logging of the service, with email addresses and phone numbers masked in every record.

A safety net: the service logs no personal data itself, but uvicorn's access log prints
every URL with its query string, and the organisers' list filters by email
(`GET /api/v1/registrations?email=...`), as does a lookup (`GET .../{code}?email=...`).
`configure_logging()` wraps the logging record factory, so every record of the process
(ours, uvicorn's, SQLAlchemy's) is masked when it is made, whatever handlers exist: the
message, its arguments (in place: uvicorn's access formatter reads them), the traceback.
Names cannot be recognised reliably and are not masked: never log them.

The same patterns as the assistant's actions/logmask.py (a separate virtualenv).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

# Also URL-encoded ("a.b%40example.org"); the local part stops at "=", "?", "/", "&".
EMAIL = re.compile(r"[\w.!#$%'*+\-^`{|}~]+(?:@|%40)[\w\-]+(?:\.[\w\-]+)+")
# 7 or more digits with optional "+" and separators; not inside a UUID, address or
# version, nor a decimal number.
PHONE = re.compile(r"(?<![\w+\-.])\+?\d(?:[\s().\-/]{0,2}\d){6,}(?![\w\-]|\.\d)")
DECIMAL = re.compile(r"\d+\.\d+")

_SIMPLE = (int, float, bool, type(None))


def _phone(match: re.Match) -> str:
    # a decimal number (a confidence, a timestamp) is no phone number
    return match.group() if DECIMAL.fullmatch(match.group()) else PHONE_MARK


def mask_text(text: str) -> str:
    return PHONE.sub(_phone, EMAIL.sub(EMAIL_MARK, text))


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, _SIMPLE):
        return value
    try:
        text = str(value)
    except Exception:
        return value
    masked = mask_text(text)
    return value if masked == text else masked


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    record.msg = mask_text(record.msg) if isinstance(record.msg, str) else _mask_value(record.msg)
    if isinstance(record.args, dict):
        record.args = {key: _mask_value(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_mask_value(value) for value in record.args)
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


class MaskingFilter(logging.Filter):
    """The same masking as a filter, for a handler configured elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed_factory: Callable[..., logging.LogRecord] | None = None


def install_masking() -> None:
    """Masks every record made from now on (once per process)."""
    global _installed_factory
    current = logging.getLogRecordFactory()
    if current is _installed_factory:
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(current(*args, **kwargs))

    _installed_factory = masking_factory
    logging.setLogRecordFactory(masking_factory)


def configure_logging(level: str) -> None:
    """The service's log format at `level`, with masking."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    install_masking()
