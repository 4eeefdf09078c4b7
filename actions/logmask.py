"""Masks email addresses and phone numbers in every log record of this process.

A safety net, not the rule: our code logs no personal data at INFO (tests/test_privacy.py
reads the logs of a whole registration), but a library's message, an exception text or a
URL may still carry some. Rasa and the action server are started through this module
(scripts/start-rasa.sh, scripts/start-actions.sh):

    python -m actions.logmask rasa run ...          # = rasa run ..., with masking
    python -m actions.logmask rasa_sdk --actions actions

`install()` wraps the logging record factory, so every record, from any logger and
whatever handlers Rasa or Sanic configure later, is masked when it is made: its message,
its arguments (kept in place, so formatters that read them, like uvicorn's access log,
still work), its traceback and stack. Names cannot be recognised reliably and are not
masked here: they must never be logged in the first place.

The backend has the same patterns in backend/app/core/logging.py (its own virtualenv).
"""

from __future__ import annotations

import logging
import re
import runpy
import sys
from typing import Any, Callable, List, Optional

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

# An address, also URL-encoded in a query string ("a.b%40example.org"): the local part
# stops at "=", "?", "/", "&" so that "?email=a%40b.org" keeps "?email=".
EMAIL = re.compile(r"[\w.!#$%'*+\-^`{|}~]+(?:@|%40)[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# 7 or more digits, optionally with "+" and separators (as in scripts/missed_messages.py),
# but not inside a longer token (a UUID, an IP address, a version) nor a decimal number.
PHONE = re.compile(r"(?<![\w+\-.])\+?\d(?:[\s().\-/]{0,2}\d){6,}(?![\w\-]|\.\d)")
DECIMAL = re.compile(r"\d+\.\d+")

_SIMPLE = (int, float, bool, type(None))


def _phone(match: re.Match) -> str:
    # a decimal number (a confidence, a timestamp) is no phone number
    return match.group() if DECIMAL.fullmatch(match.group()) else PHONE_MARK


def mask_text(text: str) -> str:
    """The text with every email address and phone number replaced by a marker."""
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


class MaskingFilter(logging.Filter):
    """Masks a record in place and lets it through. Usable on a handler too."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    if isinstance(record.msg, str):
        record.msg = mask_text(record.msg)
    else:
        record.msg = _mask_value(record.msg)
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


def main(argv: List[str]) -> None:
    """Runs `python -m <module> <args>` with masking installed first."""
    if not argv:
        sys.exit("usage: python -m actions.logmask <module> [arguments ...]")
    install()
    sys.argv = list(argv)
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
