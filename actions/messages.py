"""Passing on a citizen's message (issue 13): "I'd like to leave a message", or the button
under a contact answer. Offered only where a maintainer set MESSAGES_TO; elsewhere the
answer says so and gives the contacts.

The form asks for the message, an e-mail address to answer to, and consent to send both
to MESSAGES_TO (the question names that address and repeats the message). The message is
sent through the configured SMTP server (actions/mail_client.py) from a worker thread.
If the server cannot be reached, the citizen is told so, and the message and address stay
in the conversation: "Try again" asks only whether to send them. Once sent, they are
emptied, so that the same message is never sent twice from the conversation; its
Message-ID stays the same across tries (slot `message_key`).

The message and the address are personal data under the registrations' rules: the
action server empties them after use, `make missed` withholds what was typed for them,
the logs mask e-mail addresses and phone numbers, and `make erase` rewrites them
(avatar_shared.slots.MESSAGE_ANSWERS).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any, Dict, List, Text

from avatar_shared.masking import mask_text
from avatar_shared.slots import MESSAGE_ANSWERS
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import mail_client
from actions.content import where_to_ask
from actions.conversation import language_of
from actions.places import known_places, place_of
from actions.validation import clean_email
from components.settings import Settings

logger = logging.getLogger(__name__)

MESSAGE_SLOTS = (*MESSAGE_ANSWERS, "message_consent", "message_key")
# the longest message passed on; the channels cut a message at CHANNEL_MAX_MESSAGE_CHARS
MAX_MESSAGE_CHARS = 2000


def offers_messages() -> bool:
    """Whether a maintainer set where messages go."""
    return bool(Settings.from_env().messages_to)


class ValidateMessageForm(FormValidationAction):
    """The message (any text but a button's), an e-mail address, and consent; no question
    at all where messages are not passed on (then action_send_message says so)."""

    def name(self) -> Text:
        return "validate_message_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return list(domain_slots) if offers_messages() else []

    def validate_message_text(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if not text or text.startswith("/"):
            return {"message_text": None}
        return {"message_text": text[:MAX_MESSAGE_CHARS]}

    def validate_message_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        email = clean_email(str(value or ""))
        if email is None:
            dispatcher.utter_message(response="utter_invalid_email")
        return {"message_email": email}


class ActionAskMessageConsent(Action):
    """Where the message goes, the message and the address, and: send it?"""

    def name(self) -> Text:
        return "action_ask_message_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_message_consent_question", recipient=Settings.from_env().messages_to,
                                 message_text=tracker.get_slot("message_text") or "",
                                 message_email=tracker.get_slot("message_email") or "")
        return []


def about(tracker: Tracker) -> str:
    """What the e-mail's subject says of the sender: the place and the language, no more."""
    place = place_of(tracker, known_places())
    return f"{place.id if place else 'place unknown'}, {language_of(tracker)}"


class ActionSendMessage(Action):
    """Sends the message, or says why not; the outcome decides what is kept."""

    def name(self) -> Text:
        return "action_send_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        settings = Settings.from_env()
        if not settings.messages_to:
            dispatcher.utter_message(response="utter_message_unavailable", ask=where_to_ask(language_of(tracker)))
            return []
        text, email = tracker.get_slot("message_text"), tracker.get_slot("message_email")
        if not tracker.get_slot("message_consent") or not text or not email:
            dispatcher.utter_message(response="utter_message_not_sent")
            return [SlotSet(name, None) for name in MESSAGE_SLOTS]
        key = tracker.get_slot("message_key") or uuid.uuid4().hex
        message = mail_client.compose(settings, text, email, about(tracker), key)
        try:
            await asyncio.to_thread(mail_client.send, settings, message)
        except mail_client.MailError as error:
            logger.error("Message not sent (kept for another try): %s", mask_text(str(error)))
            dispatcher.utter_message(response="utter_message_failed")
            # the message and address stay; only the consent is asked again
            return [SlotSet("message_key", key), SlotSet("message_consent", None)]
        logger.info("Message %s passed on to the configured address", key[:8])
        dispatcher.utter_message(response="utter_message_sent", message_email=email)
        return [SlotSet(name, None) for name in MESSAGE_SLOTS]


class ActionStopMessage(Action):
    """ "stop" while the message form asks: nothing is sent, nothing is kept."""

    def name(self) -> Text:
        return "action_stop_message"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_message_not_sent")
        return [SlotSet(name, None) for name in MESSAGE_SLOTS]

