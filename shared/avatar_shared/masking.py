"""Masks e-mail addresses and phone numbers in log records.

A safety net, not the rule: neither the assistant nor the service logs personal data at
INFO, but a library's message, an exception text or a URL may still carry some (uvicorn's
access log prints every query string, and the organisers' list filters by e-mail).
`install()` wraps the logging record factory, so every record of the process, from any
logger and whatever handlers are configured later, is masked when it is made: its
message, its arguments (kept in place, so formatters that read them, like uvicorn's
access log, still work), its traceback and stack. Names cannot be recognised reliably and
are not masked here: they must never be logged in the first place.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Optional

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

# An address, also URL-encoded in a query string ("a.b%40example.org"): the local part
# stops at "=", "?", "/", "&" so that "?email=a%40b.org" keeps "?email=".
EMAIL = re.compile(r"[\w.!#$%'*+\-^`{|}~]+(?:@|%40)[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# 7 or more digits, optionally with "+" and separators, but not inside a longer token (a
# UUID, an IP address, a version: after a digit and a dot) nor a decimal number; after
# other dots it is one ("tel.599123456").
PHONE = re.compile(r"(?<![\w+\-])(?<!\d\.)\+?\d(?:[\s().\-/]{0,2}\d){6,}(?![\w\-]|\.\d)")
DECIMAL = re.compile(r"\d+\.\d+")

_SIMPLE = (int, float, bool, type(None))


def _phone(match: re.Match[str]) -> str:
    # a decimal number (a confidence, a timestamp) is no phone number
    return match.group() if DECIMAL.fullmatch(match.group()) else PHONE_MARK


def mask_text(text: str) -> str:
    """The text with every e-mail address and phone number replaced by a marker."""
    return PHONE.sub(_phone, EMAIL.sub(EMAIL_MARK, text))


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, _SIMPLE):
        return value
    try:
        text = str(value)
    except Exception:  # an object that cannot show itself shows nothing personal either
        return value
    masked = mask_text(text)
    return value if masked == text else masked


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Masks a record in place (and returns it)."""
    record.msg = mask_text(record.msg) if isinstance(record.msg, str) else _mask_value(record.msg)
    if isinstance(record.args, dict):
        record.args = {key: _mask_value(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_mask_value(value) for value in record.args)
    if record.exc_info and not record.exc_text:
        # formatted now, so that every formatter prints the masked text
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


class MaskingFilter(logging.Filter):
    """Masks a record in place and lets it through: for a handler configured elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed_factory: Optional[Callable[..., logging.LogRecord]] = None


def install() -> None:
    """Masks every record made from now on in this process (once; calling again does nothing)."""
    global _installed_factory
    current = logging.getLogRecordFactory()
    if current is _installed_factory:
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(current(*args, **kwargs))

    _installed_factory = masking_factory
    logging.setLogRecordFactory(masking_factory)
