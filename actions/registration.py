"""Registering for the event in conversation, and checking or cancelling a registration.

The forms collect and check the answers (validate_* below); the submit actions call the
registration service through actions.registration_client and turn each outcome into its
own answer. One idempotency key per registration attempt is kept in the conversation
(slot `registration_key`), so a retry after a timeout or an outage re-uses it and the
service never registers twice. The service is called from a worker thread
(asyncio.to_thread), so a slow or unreachable service holds up only the conversation that
waits for it, never the action server's other conversations.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Optional, Text

from avatar_shared.slots import LOOKUP_EMAIL, REGISTRATION_ANSWERS
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import registration_client as service
from actions.content import ContentError, current_event
from actions.conversation import language_of
from actions.validation import SKIPPED, clean_affiliation, clean_code, clean_email, clean_full_name

logger = logging.getLogger(__name__)

# the registration form's slots, emptied once it ends: the person's answers and their consent
PERSONAL_SLOTS = (*REGISTRATION_ANSWERS, "consent", "registration_confirmed")
LOOKUP_SLOTS = ("lookup_code", LOOKUP_EMAIL, "cancel_confirmed")


def _reset(*names: str) -> List[Dict[Text, Any]]:
    return [SlotSet(name, None) for name in names]


def _checked(slot: str, value: Any, clean: Callable[[str], Optional[str]], invalid_response: str,
             dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    """{slot: the cleaned value}, or {slot: None} after saying why it was refused."""
    cleaned = clean(str(value))
    if cleaned is None:
        dispatcher.utter_message(response=invalid_response)
    return {slot: cleaned}


def _validator(slot: str, clean: Callable[[str], Optional[str]], invalid_response: str) -> Callable[..., Dict[Text, Any]]:
    """A form's `validate_<slot>` method: the cleaned value, or the slot emptied and
    `invalid_response` said."""

    def validate(self: Any, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                 domain: DomainDict) -> Dict[Text, Any]:
        return _checked(slot, value, clean, invalid_response, dispatcher)

    validate.__name__ = f"validate_{slot}"
    return validate


def _registration_open() -> Optional[bool]:
    try:
        return current_event().is_registration_open()
    except ContentError as error:
        logger.error("Event content unusable: %s", error)
        return None


class ValidateRegistrationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_registration_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
        tracker: Tracker, domain: DomainDict,
    ) -> List[Text]:
        if not _registration_open():
            return []  # the submit action says why
        if tracker.get_slot("consent") is False:
            return [s for s in domain_slots if s != "registration_confirmed"]
        return domain_slots

    validate_full_name = _validator("full_name", clean_full_name, "utter_invalid_full_name")
    validate_email = _validator("email", clean_email, "utter_invalid_email")

    def validate_affiliation(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value == SKIPPED:
            return {"affiliation": SKIPPED}
        if (tracker.latest_message.get("intent") or {}).get("name") == "affirm":
            # "yes" / "ok" to an optional question is not an organisation: ask for its name
            dispatcher.utter_message(response="utter_ask_affiliation_name")
            return {"affiliation": None}
        return _checked("affiliation", value, clean_affiliation, "utter_invalid_affiliation", dispatcher)


class ActionSubmitRegistration(Action):
    def name(self) -> Text:
        return "action_submit_registration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        is_open = _registration_open()
        if is_open is None:
            dispatcher.utter_message(response="utter_content_unavailable")
            return []
        if not is_open:
            dispatcher.utter_message(response="utter_registration_closed_now")
            return _reset(*PERSONAL_SLOTS, "registration_key")
        if tracker.get_slot("consent") is not True:
            dispatcher.utter_message(response="utter_consent_required")
            return _reset(*PERSONAL_SLOTS, "registration_key")
        if tracker.get_slot("registration_confirmed") is not True:
            dispatcher.utter_message(response="utter_registration_restart")
            return [*_reset(*PERSONAL_SLOTS, "registration_key"), FollowupAction("registration_form")]

        key = tracker.get_slot("registration_key") or uuid.uuid4().hex
        affiliation = tracker.get_slot("affiliation")
        municipality = (tracker.latest_message.get("metadata") or {}).get("municipality")
        try:
            outcome = await asyncio.to_thread(
                service.registration_client().submit,
                key=key,
                event_id=current_event().id,
                full_name=tracker.get_slot("full_name"),
                email=tracker.get_slot("email"),
                language=language_of(tracker),
                municipality=municipality if isinstance(municipality, str) else None,
                organisation=None if affiliation in (None, SKIPPED) else affiliation,
                sender_id=tracker.sender_id,
            )
        except service.RegistrationRateLimited:
            # nothing was sent to the database; keep the answers and the key for later
            dispatcher.utter_message(response="utter_registration_too_many_attempts")
            return [SlotSet("registration_key", key), SlotSet("registration_confirmed", None)]
        except service.RegistrationServiceUnavailable:
            dispatcher.utter_message(response="utter_registration_unavailable")
            if current_event().registration_url:
                dispatcher.utter_message(response="utter_register_link",
                                         registration_url=current_event().registration_url)
            # keep the answers and the key: the retry shows the summary again, then
            # sends the same request with the same key
            return [SlotSet("registration_key", key), SlotSet("registration_confirmed", None)]

        if outcome.kind in (service.CONFIRMED, service.WAITLISTED):
            response = ("utter_registration_confirmed" if outcome.kind == service.CONFIRMED
                        else "utter_registration_waitlisted")
            dispatcher.utter_message(response=response, code=outcome.code)
            return [*_reset(*PERSONAL_SLOTS, "registration_key"), SlotSet("registration_code", outcome.code)]
        if outcome.kind == service.ALREADY_REGISTERED:
            dispatcher.utter_message(response="utter_already_registered")
            return _reset(*PERSONAL_SLOTS, "registration_key")
        if outcome.kind == service.REGISTRATION_CLOSED:
            dispatcher.utter_message(response="utter_registration_closed_now")
            return _reset(*PERSONAL_SLOTS, "registration_key")
        # INVALID: ask for the field the service refused again (a new attempt, a new key)
        dispatcher.utter_message(response="utter_registration_invalid")
        field = {"full_name": "full_name", "email": "email", "organisation": "affiliation",
                 "municipality": "affiliation"}.get(outcome.field or "", "full_name")
        return [*_reset(field, "registration_confirmed", "registration_key"), FollowupAction("registration_form")]


class ActionStopRegistration(Action):
    """"Stop" in the middle of a form: nothing is sent, nothing is kept."""

    def name(self) -> Text:
        return "action_stop_registration"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_registration_stopped")
        return _reset(*PERSONAL_SLOTS, "registration_key", *LOOKUP_SLOTS, "requested_slot")


class _ValidateLookup(FormValidationAction, ABC):
    """Confirmation code and email, shared by the check and the cancellation forms.
    Abstract (no name), so rasa_sdk does not register it."""

    @abstractmethod
    def name(self) -> Text:
        ...

    validate_lookup_code = _validator("lookup_code", clean_code, "utter_invalid_lookup_code")
    validate_lookup_email = _validator("lookup_email", clean_email, "utter_invalid_email")


class ValidateRegistrationLookupForm(_ValidateLookup):
    def name(self) -> Text:
        return "validate_registration_lookup_form"


class ValidateCancellationForm(_ValidateLookup):
    def name(self) -> Text:
        return "validate_cancellation_form"


_STATUS_RESPONSES = {
    service.CONFIRMED: "utter_registration_status_confirmed",
    service.WAITLISTED: "utter_registration_status_waitlisted",
    service.CANCELLED: "utter_registration_status_cancelled",
}


async def _ask_service(call: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Any]:
    """The registration service's answer to a look-up or a cancellation of the code and
    e-mail in the form's slots; None, said to the citizen, when it cannot answer."""
    code, email = tracker.get_slot("lookup_code"), tracker.get_slot("lookup_email")
    try:
        return await asyncio.to_thread(getattr(service.registration_client(), call), code, email,
                                       sender_id=tracker.sender_id)
    except service.RegistrationRateLimited:
        dispatcher.utter_message(response="utter_too_many_attempts")
    except service.RegistrationServiceUnavailable:
        dispatcher.utter_message(response="utter_service_unavailable")
    return None


class ActionCheckRegistration(Action):
    def name(self) -> Text:
        return "action_check_registration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        outcome = await _ask_service("status", dispatcher, tracker)
        if outcome is not None:
            response = _STATUS_RESPONSES.get(outcome.kind, "utter_registration_not_found")
            dispatcher.utter_message(response=response, code=tracker.get_slot("lookup_code"))
        return _reset(*LOOKUP_SLOTS)


class ActionCancelRegistration(Action):
    def name(self) -> Text:
        return "action_cancel_registration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("cancel_confirmed") is not True:
            dispatcher.utter_message(response="utter_cancel_kept")
            return _reset(*LOOKUP_SLOTS)
        outcome = await _ask_service("cancel", dispatcher, tracker)
        if outcome is not None and outcome.kind == service.CANCELLED:
            dispatcher.utter_message(response="utter_registration_cancelled", code=tracker.get_slot("lookup_code"))
        elif outcome is not None:
            dispatcher.utter_message(response="utter_registration_not_found")
        return _reset(*LOOKUP_SLOTS)
