"""The action server (rasa_sdk 3.6) with its /webhook input checked: Rasa's way in to the
actions, so it gets the same care as the channels.

    python -m channels.action_server --actions actions --port 5055   (scripts/start-actions.sh)

What rasa_sdk's own server does with bad input, and what this one does instead:

- A body that is not JSON, or not an object, or an action call with the wrong types
  (``next_action`` not a string, ``tracker`` not an object ...) ends in a 500 there: its
  catch-all exception handler turns even Sanic's own 400 into a 500, and then fails
  once more reading the bad body again. Here such a request gets 400 ``{"error": ...}``
  before the action runs (``check_action_call``).
- Every Sanic error (404, 405, 413 Payload Too Large ...) keeps its own 4xx status here.
- An action that raises still gets a 500 (it is a bug on this side), but the answer no
  longer echoes the request body, which holds the whole conversation.
- A deflate-compressed body is unpacked once, at most REQUEST_MAX_SIZE bytes (a small
  "zip bomb" would otherwise grow without limit).

The body size limit is Sanic's REQUEST_MAX_SIZE, set by scripts/start-actions.sh from
ACTION_REQUEST_MAX_BYTES through the SANIC_REQUEST_MAX_SIZE environment variable.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from typing import Any, Dict, Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


class BadActionCall(ValueError):
    """The body is not an action call."""


def _check_type(value: Any, kinds: tuple, what: str, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kinds):
        raise BadActionCall(f"{what} has the wrong type")


def check_action_call(body: bytes) -> Dict[str, Any]:
    """The action call in ``body``, or ``BadActionCall`` saying what is wrong."""
    try:
        call = json.loads(body or b"")
    except ValueError as error:  # includes UnicodeDecodeError
        raise BadActionCall("the body is not JSON") from error
    if not isinstance(call, dict):
        raise BadActionCall("the body is not a JSON object")
    if not isinstance(call.get("next_action"), str) or not call["next_action"]:
        raise BadActionCall("'next_action' must be a non-empty string")
    _check_type(call.get("version"), (str,), "'version'")
    _check_type(call.get("domain"), (dict,), "'domain'")
    tracker = call.get("tracker")
    _check_type(tracker, (dict,), "'tracker'", optional=False)
    assert isinstance(tracker, dict)  # checked above
    _check_type(tracker.get("sender_id"), (str,), "'tracker.sender_id'", optional=False)
    for key, kinds in (("slots", (dict,)), ("latest_message", (dict,)), ("events", (list,)),
                       ("paused", (bool,)), ("followup_action", (str,)),
                       ("active_loop", (dict,)), ("latest_action_name", (str,))):
        _check_type(tracker.get(key), kinds, f"'tracker.{key}'")
    if not all(isinstance(event, dict) for event in tracker.get("events") or []):
        raise BadActionCall("'tracker.events' must hold objects")
    return call


def _inflate(body: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(body, limit)
    except zlib.error as error:
        raise BadActionCall("the body is not valid deflate data") from error
    if inflater.unconsumed_tail:
        raise SanicException("Request body exceeds the size limit once decompressed", status_code=413)
    return data


def guard_action_webhook(app: Sanic) -> Sanic:
    """Adds the checks above to rasa_sdk's app (``rasa_sdk.endpoint.create_app``)."""

    @app.middleware("request")
    async def check_webhook_input(request: Request) -> Optional[HTTPResponse]:
        if request.path != "/webhook" or request.method != "POST":
            return None
        if getattr(request.stream, "request_body", None):
            # Sanic runs request middleware on its error path too: the body was not read
            # (e.g. it is over REQUEST_MAX_SIZE), so Sanic's own answer (413) stands.
            return None
        try:
            body = request.body
            if request.headers.get("Content-Encoding") == "deflate":
                body = _inflate(body, int(app.config.REQUEST_MAX_SIZE))
                # rasa_sdk would unpack it again, without a limit: hand it the plain body
                request.body = body
                del request.headers["Content-Encoding"]
            request.parsed_json = check_action_call(body)  # type: ignore[assignment]  # Sanic's cache of the parsed body
        except BadActionCall as error:
            logger.warning("Action webhook: bad request (%s).", error)
            return response.json({"error": str(error)}, status=400)
        return None

    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        return response.json({"error": str(error) or "error"}, status=status)

    async def action_failed(request: Request, error: Exception) -> HTTPResponse:
        logger.error("Action webhook: the action failed.", exc_info=error)
        return response.json({"error": "the action failed; see the action server's log"}, status=500)

    # replace rasa_sdk's catch-all (it makes every error a 500 and echoes the body)
    app.error_handler.add(SanicException, sanic_error)
    app.error_handler.add(Exception, action_failed)
    return app


def main() -> None:
    """``python -m rasa_sdk``, with ``guard_action_webhook`` (rasa_sdk.endpoint.run)."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    args = create_argument_parser().parse_args()
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()

    app = guard_action_webhook(create_app(args.actions, cors_origins=args.cors,
                                          auto_reload=args.auto_reload))
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    logger.info("Action endpoint is up on %s://%s:%s (request bodies up to %s bytes).",
                "https" if ssl_context else "http", host, args.port, app.config.REQUEST_MAX_SIZE)
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
