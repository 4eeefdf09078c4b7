"""What every channel (REST, socket.io, Telegram) does with a user's message, in one place.

``MessageGuard.handle`` stands between a channel and Rasa (``on_new_message``):

1. **Rate limit.** More than CHANNEL_RATE_LIMIT_MESSAGES messages from one sender within
   CHANNEL_RATE_LIMIT_SECONDS get a short "please slow down" instead of a turn: the
   message never reaches the model.
2. **Normalise** (``normalise``): Unicode NFC; terminal escape sequences and control
   characters removed, line breaks and tabs become spaces; cut to
   CHANNEL_MAX_MESSAGE_CHARS characters. Emoji (with their joiners), right-to-left text
   and mixed scripts pass untouched. A cut message carries
   ``metadata["input"] = {"cut": true, "original_chars": ..., "kept_chars": ...}`` in the
   tracker, and the answer starts with a notice that only the beginning was read.
3. **Empty** (nothing but spaces and invisible characters): answered with a notice and
   the domain's ``utter_help`` (what the assistant can help with); no turn is run.
4. **Silence.** When the turn sent nothing at all, a fallback ("I can't finish that right
   now ...") is sent. This is where the action server's absence shows: Rasa 3.6 logs the
   failed remote action, drops its events and predicts ``action_listen``, so the user
   would get nothing. Noticing it here, by counting what the turn sent, covers every
   cause of silence (the action server down or failing, a timeout, an exception in the
   turn) without patching Rasa's processor or its action endpoint, which Rasa offers no
   hook for.
5. **A conversation that cannot be read** (the tracker store's database down or locked)
   is not answered as a new one. Rasa's `FailSafeTrackerStore` would hand the turn an
   empty conversation: a form forgotten, a greeting in the default language. Here a
   failed read ends the turn (``strict_reads``), so the citizen gets the fallback above,
   the stored conversation stays as it was, and the next message, once the database is
   back, goes on from there. A failed save keeps Rasa's behaviour (logged; the answer was
   already right).

Every answer given here is in the conversation's language: the language of the user's
latest message (``components.nlg.tracker_language``), and for the cut notice the
language of the message itself (parsed once more, for cut messages only, so that the
notice can come before the answer).
"""

from __future__ import annotations

import logging
import os
import re
import time
import unicodedata
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, Mapping, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import ActiveLoop, UserUttered

from channels.notices import notice
from components.georgian import DEFAULT_LANGUAGE, language_of_events
from components.nlg import tracker_language
from components.settings import Settings

logger = logging.getLogger(__name__)

# where a cut message's metadata says so (UserUttered.metadata in the tracker)
INPUT_METADATA_KEY = "input"
HELP_RESPONSE = "utter_help"

_DEFAULTS = Settings.from_env({})
DEFAULT_MAX_MESSAGE_CHARS = _DEFAULTS.channel_max_message_chars
DEFAULT_RATE_LIMIT_MESSAGES = _DEFAULTS.channel_rate_limit_messages
DEFAULT_RATE_LIMIT_SECONDS = _DEFAULTS.channel_rate_limit_seconds

# control characters that separate words: they become a space, the rest are dropped
_SPACING_CONTROLS = set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")
# terminal escape sequences (colours, cursor moves, titles), pasted from a terminal: out as
# a whole, not only their ESC ("[31mსად ტარდება" glued the colour to the first word)
_TERMINAL_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


@dataclass(frozen=True)
class GuardSettings:
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    rate_limit_messages: int = DEFAULT_RATE_LIMIT_MESSAGES
    rate_limit_seconds: float = DEFAULT_RATE_LIMIT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "GuardSettings":
        """CHANNEL_MAX_MESSAGE_CHARS, CHANNEL_RATE_LIMIT_MESSAGES, CHANNEL_RATE_LIMIT_SECONDS
        (components/settings.py: empty means the default, a bad value stops the start with
        an error naming the variable)."""
        settings = Settings.from_env(environ)
        return cls(max_message_chars=settings.channel_max_message_chars,
                   rate_limit_messages=settings.channel_rate_limit_messages,
                   rate_limit_seconds=settings.channel_rate_limit_seconds)


# --- normalising the text ---------------------------------------------------------------

@dataclass(frozen=True)
class Normalised:
    text: str
    original_chars: int  # after cleaning, before cutting
    cut: bool

    @property
    def empty(self) -> bool:
        """Nothing to read: only spaces and invisible characters (joiners, direction marks)."""
        return not any(unicodedata.category(char)[0] in "LNSPM" for char in self.text)


def normalise(text: str, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> Normalised:
    """NFC; control characters out (line breaks and tabs become spaces), lone surrogates
    out (they cannot be stored as UTF-8); trimmed; cut to ``max_chars`` characters.
    Format characters (zero-width joiners in emoji, right-to-left marks) stay."""
    text = _TERMINAL_ESCAPES.sub("", unicodedata.normalize("NFC", text))
    cleaned = "".join(
        " " if char in _SPACING_CONTROLS else char
        for char in text
        if char in _SPACING_CONTROLS or unicodedata.category(char) not in ("Cc", "Cs")
    ).strip()
    if len(cleaned) <= max_chars:
        return Normalised(cleaned, len(cleaned), cut=False)
    kept = cleaned[:max_chars]
    # do not end on half a grapheme: a joiner or a combining mark waiting for its base
    while kept and (kept[-1] == "\u200d" or unicodedata.combining(kept[-1])):
        kept = kept[:-1]
    return Normalised(kept.rstrip(), len(cleaned), cut=True)


# --- the rate limit ------------------------------------------------------------------------

class RateLimiter:
    """At most ``limit`` admitted messages per sender in any ``window`` seconds (a sliding
    window). Only admitted messages count, so a sender who slows down is back at once.
    Memory is bounded: the least recently seen senders are forgotten first."""

    def __init__(self, limit: int, window: float, max_senders: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_senders, self.clock = limit, window, max_senders, clock
        self._times: "OrderedDict[str, Deque[float]]" = OrderedDict()

    def admit(self, sender_id: str) -> bool:
        now = self.clock()
        times = self._times.get(sender_id)
        if times is None:
            times = self._times[sender_id] = deque()
            while len(self._times) > self.max_senders:
                self._times.popitem(last=False)
        self._times.move_to_end(sender_id)
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True


# --- knowing whether a turn said anything --------------------------------------------------

class CountingOutput(OutputChannel):
    """Passes every message to ``inner`` and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # Rasa calls it on the instance
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


# --- the guard -------------------------------------------------------------------------------

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class ConversationUnreadable(RuntimeError):
    """The tracker store could not read a conversation: the turn is not run."""


def strict_reads(agent: Any) -> None:
    """Makes the agent's fail-safe tracker store raise when it cannot read a conversation,
    instead of returning none (a new, empty conversation); saving is left as it is."""
    store = getattr(agent, "tracker_store", None)
    if not isinstance(store, FailSafeTrackerStore) or getattr(store, "_strict_reads", False):
        return

    def refuse(error: Exception) -> None:
        logger.error("The conversation could not be read (%s); the turn is not run.", type(error).__name__)
        raise ConversationUnreadable(str(error)) from error

    # FailSafeTrackerStore.retrieve and retrieve_full_tracker call this on any error
    store.on_tracker_store_retrieve_error = refuse
    store._strict_reads = True


def agent_of(app: Any) -> Any:
    """The Rasa agent a Sanic app serves (None before a model is loaded)."""
    return getattr(getattr(app, "ctx", None), "agent", None)


class MessageGuard:
    """One per channel; see the module's docstring."""

    def __init__(self, channel_name: str, settings: Optional[GuardSettings] = None) -> None:
        self.channel_name = channel_name
        self.settings = settings or GuardSettings.from_env()
        self.limiter = RateLimiter(self.settings.rate_limit_messages, self.settings.rate_limit_seconds)

    async def admit(self, agent: Any, output: OutputChannel, sender_id: str) -> bool:
        """False (and the sender asked to slow down) when over the rate limit."""
        if self.limiter.admit(sender_id):
            return True
        logger.warning("%s: sender %s is over the rate limit (%d in %.0f s); not answered by "
                       "the model.", self.channel_name, sender_id,
                       self.settings.rate_limit_messages, self.settings.rate_limit_seconds)
        language = await self._language(agent, sender_id)
        await self._send(output, sender_id, {"text": notice("slow_down", language)})
        return False

    async def handle(self, agent: Any, on_new_message: OnNewMessage, output: OutputChannel,
                     sender_id: str, text: Any, metadata: Optional[Dict[Text, Any]] = None,
                     input_channel: Optional[str] = None) -> None:
        """Rate limit, normalise, answer empty messages, run the turn, fill a silence.
        ``text`` that is not a string counts as empty."""
        if not await self.admit(agent, output, sender_id):
            return
        message = normalise(text if isinstance(text, str) else "", self.settings.max_message_chars)
        if message.empty:
            await self._answer_empty(agent, output, sender_id)
            return

        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        metadata.pop(INPUT_METADATA_KEY, None)  # only the channel says whether it cut
        if message.cut:
            metadata[INPUT_METADATA_KEY] = {"cut": True, "original_chars": message.original_chars,
                                            "kept_chars": len(message.text)}
            logger.info("%s: message from %s cut from %d to %d characters.", self.channel_name,
                        sender_id, message.original_chars, len(message.text))
            language = await self._language(agent, sender_id, message.text)
            await self._send(output, sender_id, {"text": self._cut_notice(language)})

        counting = CountingOutput(output)
        strict_reads(agent)
        try:
            await on_new_message(UserMessage(
                message.text, counting, sender_id,
                input_channel=input_channel or self.channel_name, metadata=metadata or None,
            ))
        except Exception:  # noqa: BLE001 - the user gets the fallback below instead
            logger.exception("%s: the turn for %s failed.", self.channel_name, sender_id)
        if counting.sent == 0:
            logger.warning("%s: the turn for %s sent nothing (is the action server up?); "
                           "answering with the fallback.", self.channel_name, sender_id)
            if message.text.startswith("/") and await self._tracker(agent, sender_id) is None:
                # a button, in a conversation that cannot be read: no language to go by
                text = "\n".join(notice("unavailable", language) for language in ("ka", "en"))
            else:
                text = notice("unavailable", await self._language(agent, sender_id, message.text))
            await self._send(output, sender_id, {"text": text})

    # --- pieces ------------------------------------------------------------------------------

    def _cut_notice(self, language: str) -> str:
        return notice("cut", language, limit=self.settings.max_message_chars)

    async def _answer_empty(self, agent: Any, output: OutputChannel, sender_id: str) -> None:
        """The "empty" notice, followed by the domain's utter_help (with its buttons) in
        the conversation's language; no turn, so the conversation's history is unchanged."""
        tracker = await self._tracker(agent, sender_id)
        language = tracker_language(tracker) if tracker is not None else DEFAULT_LANGUAGE
        answer: Dict[str, Any] = {"text": notice("empty", language)}
        if tracker is not None and getattr(agent, "nlg", None) is not None:
            try:
                help_message = await agent.nlg.generate(HELP_RESPONSE, tracker, output.name())
            except Exception:  # noqa: BLE001 - the notice alone still answers
                logger.exception("%s: could not render %s.", self.channel_name, HELP_RESPONSE)
                help_message = None
            if help_message and help_message.get("text"):
                answer = {**help_message, "text": f"{answer['text']}\n\n{help_message['text']}"}
        await self._send(output, sender_id, answer)

    async def _tracker(self, agent: Any, sender_id: str) -> Any:
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return None
        try:
            return await store.retrieve(sender_id) or store.init_tracker(sender_id)
        except Exception:  # noqa: BLE001 - a notice in the default language is still an answer
            logger.exception("%s: could not read the conversation of %s.", self.channel_name, sender_id)
            return None

    async def _language(self, agent: Any, sender_id: str, new_text: Optional[str] = None) -> str:
        """The conversation's language; with ``new_text``, as it will be once that message
        is in it (its language detected by the model's own pipeline)."""
        tracker = await self._tracker(agent, sender_id)
        events = [] if tracker is None else [
            ("form", event.name) if isinstance(event, ActiveLoop) else ("user", event.parse_data)
            for event in tracker.events if isinstance(event, (ActiveLoop, UserUttered))
        ]
        if new_text is not None and agent is not None:
            try:
                events.append(("user", await agent.parse_message(new_text)))
            except Exception:  # noqa: BLE001 - no model loaded: the conversation's language
                logger.warning("%s: could not detect the language of a cut message.", self.channel_name)
        return language_of_events(events)

    async def _send(self, output: OutputChannel, sender_id: str, message: Dict[str, Any]) -> None:
        try:
            await output.send_response(sender_id, message)
        except Exception:  # noqa: BLE001 - e.g. the socket closed; nothing more to do
            logger.exception("%s: could not send to %s.", self.channel_name, sender_id)
