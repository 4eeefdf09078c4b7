"""Rasa 3.6.21's Telegram channel, mended; settings from TELEGRAM_* environment variables.

What Rasa's connector (rasa/core/channels/telegram.py, aiogram 2.15) gets wrong, and what
this one does instead:

- It sets the webhook with ``asyncio.run()`` while the channel is built, so the aiogram
  session belongs to a loop that is closed by the time Sanic serves ("Event loop is
  closed"). Here the bot is made on first use and opens its HTTP session inside Sanic's
  loop; the webhook is set from an ``after_server_start`` listener, and a failing
  ``setWebhook`` is logged, not fatal.
- It calls ``getMe`` for every update and drops the update unless the name matches.
  Here the name is TELEGRAM_BOT_NAME; only when that is unset is ``getMe`` called, once,
  at start-up.
- It never answers a button press (the button spins in the app). Here every press gets
  ``answerCallbackQuery`` and its payload goes on as the user's message.
- It passes button payloads through as ``callback_data``, which Telegram limits to 64
  bytes (a Georgian letter takes 3). Longer payloads get a short key here
  (``CallbackPayloads``).
- Photos, stickers, voice, locations ... are dropped silently. Here they get the domain's
  ``utter_unsupported_message`` in the conversation's language.
- A malformed update is a 500 there (and Telegram retries it); a 400 here.
- Anyone who finds the webhook's address can post updates to it. Here the webhook is set
  with a ``secret_token`` (TELEGRAM_SECRET_TOKEN, or a new random one at every start),
  Telegram sends it back in ``X-Telegram-Bot-Api-Secret-Token``, and an update without
  it is refused with 403 before it is read.

Text and button presses go through the shared guard (channels/guard.py) like every
channel's messages: rate limit, normalised text, an answer when the turn said nothing.

Every Bot API call goes to TELEGRAM_API_URL with a timeout; a failed call is logged and
the conversation carries on.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import hmac
import os
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple

import aiohttp
from aiogram import Bot
from aiogram.bot import api
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError
from aiogram.utils.payload import prepare_arg
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import MessageGuard, agent_of

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
CALL_TIMEOUT_SECONDS = 10.0
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8 (Bot API, InlineKeyboardButton.callback_data)
# 👍 / 👎 under the last answer to a typed question (RatedTurn); actions/feedback.py keeps it
RATING_KEY = "rating"
RATING_BUTTONS = (
    {"title": "\N{THUMBS UP SIGN}", "payload": '/feedback{"rating": "up"}', RATING_KEY: True},
    {"title": "\N{THUMBS DOWN SIGN}", "payload": '/feedback{"rating": "down"}', RATING_KEY: True},
)
UNSUPPORTED_RESPONSE = "utter_unsupported_message"

# Telegram sends "/start" when someone opens the bot; the domain calls that greeting.
COMMAND_ALIASES = {"/start": "/greet"}

# What a person can send that the assistant cannot read: answered, not dropped.
# Anything else without text (someone joined a group, a pinned message ...) is ignored.
UNSUPPORTED_CONTENT = (
    "photo", "sticker", "voice", "audio", "video", "video_note", "animation", "document",
    "location", "venue", "contact", "poll", "dice", "game", "invoice",
)
# The updates the webhook asks Telegram for; others (channel posts, polls ...) are ignored.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Telegram sends the webhook's secret_token back in this header (Bot API 6.1).
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    bot_name: Optional[str] = None
    webhook_url: Optional[str] = None
    api_url: str = DEFAULT_API_URL
    timeout: float = CALL_TIMEOUT_SECONDS
    secret_token: Optional[str] = None  # None: a new random one at every start

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, overrides: Optional[Mapping[str, Any]] = None
    ) -> "TelegramSettings":
        """TELEGRAM_TOKEN, TELEGRAM_BOT_NAME, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL,
        TELEGRAM_SECRET_TOKEN; keys of the credentials block (Rasa's ``access_token``,
        ``verify``, ``webhook_url``, and ``api_url``, ``secret_token``) win where set."""
        overrides = overrides or {}

        def setting(key: str, variable: str) -> Optional[str]:
            value = overrides.get(key) or environ.get(variable) or ""
            return str(value).strip() or None

        token = setting("access_token", "TELEGRAM_TOKEN")
        if not token:
            raise RasaException("The Telegram channel needs TELEGRAM_TOKEN (the token from BotFather).")
        bot_name = setting("verify", "TELEGRAM_BOT_NAME")
        secret_token = setting("secret_token", "TELEGRAM_SECRET_TOKEN")
        if secret_token and not _SECRET_TOKEN.fullmatch(secret_token):
            raise RasaException("TELEGRAM_SECRET_TOKEN may hold only A-Z, a-z, 0-9, _ and -, "
                                "at most 256 characters (Telegram's rule for secret_token).")
        return cls(
            token=token,
            bot_name=bot_name.lstrip("@") if bot_name else None,
            webhook_url=setting("webhook_url", "TELEGRAM_WEBHOOK_URL"),
            api_url=setting("api_url", "TELEGRAM_API_URL") or DEFAULT_API_URL,
            secret_token=secret_token,
        )


# A start link's parameter names the citizen's place (t.me/<bot>?start=thiene, or =ge for a
# country): "/start thiene" greets, with the place in the message metadata, as the widget
# sends it (actions/places.py)
_START_PLACE = re.compile(r"^/greet\s+([A-Za-z0-9-]{2,64})$")


def start_place(text: str) -> Tuple[str, Dict[str, str]]:
    """("/greet thiene") -> ("/greet", {"municipality": "thiene"}); ("/greet ge") -> a country."""
    match = _START_PLACE.match(text)
    if not match:
        return text, {}
    place = match.group(1).lower()
    return "/greet", {"country" if len(place) == 2 else "municipality": place}


# --- callback_data within 64 bytes ---------------------------------------------------

_KEYED = re.compile(r"(.*)#([0-9a-f]{16})", re.DOTALL)
_INTENT = re.compile(r"/[^\s{@#]+")


def utf8_prefix(text: str, limit: int) -> str:
    """The longest start of ``text`` that fits in ``limit`` UTF-8 bytes, whole characters."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class CallbackPayloads:
    """Button payloads as ``callback_data`` of at most 64 bytes.

    A payload that fits goes as it is. A longer one becomes ``<fallback>#<key>``: the key
    (16 hex digits of its hash) maps back to the payload in a bounded in-memory table.
    The fallback is what is left when the table no longer knows the key (after a restart,
    or once the key is evicted): the intent alone for "/intent{...}" payloads, otherwise
    the payload's start cut at a character boundary.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._payloads: "OrderedDict[str, str]" = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not _KEYED.fullmatch(payload):
            return payload
        key = hashlib.blake2b(payload.encode("utf-8"), digest_size=8).hexdigest()
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self.max_entries:
            self._payloads.popitem(last=False)
        room = CALLBACK_DATA_LIMIT - len(key) - 1
        if payload.startswith("/"):
            intent = _INTENT.match(payload)
            fallback = intent.group() if intent and len(intent.group().encode("utf-8")) <= room else ""
        else:
            fallback = utf8_prefix(payload, room)
        return f"{fallback}#{key}"

    def decode(self, data: str) -> Optional[str]:
        """The payload behind ``callback_data``; None when nothing usable is left."""
        keyed = _KEYED.fullmatch(data)
        if not keyed:
            return data
        fallback, key = keyed.groups()
        payload = self._payloads.get(key)
        if payload is not None:
            self._payloads.move_to_end(key)
            return payload
        logger.info("Telegram button key %s is no longer known; using %r instead.", key, fallback)
        return fallback or None


# --- the Bot API client and output channel -------------------------------------------

class TelegramCallFailed(RasaException):
    """A Bot API call failed (error answer, network error or timeout); already logged."""


class TelegramBotOutput(TelegramOutput):
    """Rasa's Telegram output (an aiogram ``Bot``) talking to ``api_url`` with a timeout;
    buttons as an inline keyboard, one per row."""

    def __init__(self, settings: TelegramSettings, payloads: CallbackPayloads) -> None:
        # Bot.__init__ only stores settings: the HTTP session opens on the first call,
        # in the loop that makes it (Sanic's).
        Bot.__init__(
            self,
            settings.token,
            server=TelegramAPIServer.from_base(settings.api_url),
            timeout=settings.timeout,
        )
        self._secret = settings.token
        self.payloads = payloads

    async def set_webhook_with_secret(self, url: str, secret_token: str) -> None:
        """setWebhook with ``secret_token``, which aiogram 2.15's ``set_webhook`` lacks."""
        await self.request(api.Methods.SET_WEBHOOK, {
            "url": url, "allowed_updates": prepare_arg(ALLOWED_UPDATES), "secret_token": secret_token,
        })

    async def request(self, method: str, data: Optional[Dict] = None,
                      files: Optional[Dict] = None, **kwargs: Any) -> Any:
        """Every Bot API call passes here: failures are logged (without the token)."""
        try:
            return await super().request(method, data, files, **kwargs)
        except (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            reason = str(error).replace(self._secret, "<token>") or "no answer in time"
            logger.error("Telegram %s failed: %s: %s", method, type(error).__name__, reason)
            raise TelegramCallFailed(f"Telegram {method} failed") from error

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        # A failed send must not abort Rasa's turn (the tracker would not be saved).
        try:
            await super().send_response(recipient_id, message)
        except TelegramCallFailed:
            pass

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """One button per row; the rating's 👍 and 👎 side by side in the last row."""
        def key(button: Dict[Text, Any]) -> InlineKeyboardButton:
            return InlineKeyboardButton(text=str(button.get("title") or button["payload"]),
                                        callback_data=self.payloads.encode(str(button["payload"])))

        usable = [button for button in buttons if button.get("payload")]
        rows = [[key(button)] for button in usable if not button.get(RATING_KEY)]
        rating = [key(button) for button in usable if button.get(RATING_KEY)]
        keyboard = InlineKeyboardMarkup(inline_keyboard=rows + ([rating] if rating else []))
        await self.send_message(recipient_id, text, reply_markup=keyboard)


# --- rating an answer -------------------------------------------------------------------

class RatedTurn(OutputChannel):
    """Holds a turn's answers and sends them when the turn ends, the last text with 👍 and
    👎 under it (actions/feedback.py keeps the rating with the answer's topic). Used for
    typed questions; a button press or a command is not rated."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.held: List[Tuple[Text, Dict[Text, Any]]] = []

    def name(self) -> Text:  # Rasa calls it on the instance
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.held.append((recipient_id, message))

    async def flush(self) -> None:
        texts = [i for i, (_, message) in enumerate(self.held) if message.get("text")]
        for i, (recipient_id, message) in enumerate(self.held):
            if texts and i == texts[-1]:
                message = {**message, "buttons": [*(message.get("buttons") or []), *RATING_BUTTONS]}
            await self.inner.send_response(recipient_id, message)
        self.held.clear()


# --- the input channel ----------------------------------------------------------------

class MalformedUpdate(ValueError):
    """The request body is not a Telegram update."""


@dataclass(frozen=True)
class Incoming:
    """What an update asks of the assistant."""

    kind: str  # "text", "button" or "unsupported"
    chat_id: int
    text: Optional[str] = None
    callback_query_id: Optional[str] = None
    update_id: Optional[int] = None


def _dict(value: Any, what: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedUpdate(f"{what} is not an object")
    return value


def _chat_id(message: Dict[str, Any]) -> int:
    chat_id = _dict(message.get("chat"), "message.chat").get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        raise MalformedUpdate("message.chat.id is not a number")
    return chat_id


def parse_update(body: bytes) -> Optional[Incoming]:
    """The request body as an ``Incoming``; None for updates the assistant ignores.

    Raises ``MalformedUpdate`` for anything that is not a Telegram update. Edited text
    messages count as new ones (a citizen who fixes a typo gets the answer to what they
    meant); an edit without text (a live location moving) is ignored, not answered.
    """
    try:
        update = json.loads(body or b"")
    except ValueError as error:  # includes UnicodeDecodeError
        raise MalformedUpdate(f"not JSON: {error}") from error
    update = _dict(update, "the update")
    update_id = update.get("update_id") if isinstance(update.get("update_id"), int) else None

    if update.get("callback_query") is not None:
        query = _dict(update["callback_query"], "callback_query")
        query_id, data = query.get("id"), query.get("data")
        if not isinstance(query_id, str):
            raise MalformedUpdate("callback_query.id is not a string")
        if query.get("message") is not None:
            chat_id = _chat_id(_dict(query["message"], "callback_query.message"))
        else:  # a button under an inline-mode message: answer the user directly
            user_id = _dict(query.get("from"), "callback_query.from").get("id")
            if not isinstance(user_id, int):
                raise MalformedUpdate("callback_query.from.id is not a number")
            chat_id = user_id
        return Incoming("button", chat_id, data if isinstance(data, str) else None, query_id,
                        update_id)

    edited = update.get("message") is None
    message = update.get("message") if not edited else update.get("edited_message")
    if message is None:
        return None  # no message: channel posts, chat member changes ...
    message = _dict(message, "message")
    chat_id = _chat_id(message)
    text = message.get("text")
    if isinstance(text, str):
        return Incoming("text", chat_id, text, update_id=update_id) if text.strip() else None
    if not edited and any(message.get(kind) is not None for kind in UNSUPPORTED_CONTENT):
        return Incoming("unsupported", chat_id, update_id=update_id)
    return None


class TelegramChannel(TelegramInput):
    """Telegram through its webhook at /webhooks/telegram/webhook (named ``telegram``)."""

    verify: Optional[str]  # the bot's name (TelegramInput's), learnt at start when unset

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramChannel":
        return cls(TelegramSettings.from_env(os.environ, credentials or {}))

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings.token, settings.bot_name, settings.webhook_url, debug_mode=False)
        self.settings = settings
        # Telegram sends it back with every update; generated when not configured
        self.secret_token = settings.secret_token or secrets.token_urlsafe(32)
        self.guard = MessageGuard(self.name())
        self.payloads = CallbackPayloads()
        self._bot: Optional[TelegramBotOutput] = None
        self._recent_updates: "OrderedDict[int, None]" = OrderedDict()

    def get_output_channel(self) -> TelegramBotOutput:
        """The one bot of this channel, made on first use (no network, no event loop)."""
        if self._bot is None:
            self._bot = TelegramBotOutput(self.settings, self.payloads)
        return self._bot

    async def start(self) -> None:
        """At server start: learn the bot's name if not configured, set the webhook.
        Failures are logged (by the bot) and leave the server running."""
        bot = self.get_output_channel()
        if not self.verify:
            try:
                me = await bot.get_me()
                self.verify = me.username
                logger.info("Telegram bot is @%s (TELEGRAM_BOT_NAME is unset).", self.verify)
            except TelegramCallFailed:
                pass
        if not self.webhook_url:
            logger.warning("TELEGRAM_WEBHOOK_URL is unset: Telegram sends updates only if "
                           "a webhook was set some other way, with secret_token set to "
                           "TELEGRAM_SECRET_TOKEN (updates without it are refused).")
            return
        try:
            await bot.set_webhook_with_secret(self.webhook_url, self.secret_token)
            logger.info("Telegram webhook set to %s.", self.webhook_url)
        except TelegramCallFailed:
            logger.error("Telegram webhook not set; updates will not arrive until it is "
                         "(restart, or check TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL).")

    async def close(self) -> None:
        if self._bot is not None and self._bot._session is not None:
            await self._bot._session.close()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def set_webhook(_app: Any, _loop: Any) -> None:
            await self.start()

        @telegram_webhook.listener("before_server_stop")
        async def close_session(_app: Any, _loop: Any) -> None:
            await self.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._has_secret(request):
                logger.warning("Telegram webhook: an update without the right %s was refused.",
                               SECRET_HEADER)
                return response.json({"error": "forbidden"}, status=403)
            try:
                incoming = parse_update(request.body)
            except MalformedUpdate as error:
                logger.warning("Telegram webhook: malformed update (%s).", error)
                return response.json({"error": "malformed update"}, status=400)
            if incoming is None or self._seen_before(incoming.update_id):
                return response.text("ignored")
            try:
                await self._handle(incoming, request, on_new_message)
            except Exception:  # noqa: BLE001 - Telegram would resend a failed update forever
                logger.exception("Telegram webhook: could not handle an update.")
            return response.text("success")

        return telegram_webhook

    def _has_secret(self, request: Request) -> bool:
        sent = request.headers.get(SECRET_HEADER) or ""
        return hmac.compare_digest(sent.encode("utf-8"), self.secret_token.encode("utf-8"))

    def _seen_before(self, update_id: Optional[int]) -> bool:
        """Telegram resends an update that got no answer in time; answer it once."""
        if update_id is None:
            return False
        if update_id in self._recent_updates:
            return True
        self._recent_updates[update_id] = None
        if len(self._recent_updates) > 1000:
            self._recent_updates.popitem(last=False)
        return False

    async def _handle(self, incoming: Incoming, request: Request,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        bot = self.get_output_channel()
        sender_id = str(incoming.chat_id)
        agent = agent_of(request.app)
        metadata = self.get_metadata(request) or {}
        if incoming.kind == "button":
            try:  # first, so the button stops spinning even if the answer takes a while
                await bot.answer_callback_query(incoming.callback_query_id)
            except TelegramCallFailed:
                pass
            text = self.payloads.decode(incoming.text) if incoming.text else None
        elif incoming.kind == "text":
            text, place = start_place(self._command_text(incoming.text or ""))
            metadata = {**metadata, **place}
        else:
            if await self.guard.admit(agent, bot, sender_id):
                await self._answer_unsupported(request, sender_id, bot)
            return
        if not text:
            return
        if incoming.kind == "text" and not text.startswith("/"):
            turn = RatedTurn(bot)
            try:
                await self.guard.handle(agent, on_new_message, turn, sender_id, text, metadata or None, self.name())
            finally:
                await turn.flush()
            return
        await self.guard.handle(agent, on_new_message, bot, sender_id, text, metadata or None, self.name())

    def _command_text(self, text: str) -> str:
        """"/start@avatar_bot" -> "/greet": group commands name the bot; /start greets."""
        text = text.strip()
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            if self.verify and command.lower().endswith("@" + self.verify.lower()):
                command = command[: -len(self.verify) - 1]
            command = COMMAND_ALIASES.get(command.lower(), command)
            text = f"{command} {rest}".strip()
        return text

    async def _answer_unsupported(self, request: Request, sender_id: str,
                                  bot: TelegramBotOutput) -> None:
        """``utter_unsupported_message``, rendered by the assistant's NLG for this
        conversation (so in its language), sent without a turn: nothing goes through NLU
        and the conversation's history stays as it was."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None or agent.nlg is None:
            logger.error("Telegram: no model loaded; a non-text message goes unanswered.")
            return
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None:
            tracker = agent.tracker_store.init_tracker(sender_id)
        message = await agent.nlg.generate(UNSUPPORTED_RESPONSE, tracker, self.name())
        if not message:
            logger.error("Telegram: the model's domain has no %s; retrain the model.",
                         UNSUPPORTED_RESPONSE)
            return
        await bot.send_response(sender_id, message)
