"""Answers for the citizen's place (issue 13): after the general answer about digital
services, e-participation, open data or digital help, the facts of the citizen's
municipality and country from content/places/, each with its date where the source gives
one; what no source gives is said to be unknown, with where to ask.

Which place: the page that embeds the widget names it (`data-municipality`,
`data-country`), and so does a Telegram start link (`/start thiene`); either arrives in a
message's metadata (`municipality`, `country`), and the latest one in the conversation
counts. With no place, the general answer stands alone.

"I want to talk to a person" (ask_contact) gets the place's contact points, with their
opening hours and whether they are open now in the place's time zone, then the event
organisers' contact, and where a maintainer set MESSAGES_TO, an offer to pass on a message
(actions/messages.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import where_to_ask
from actions.conversation import language_of
from components import places
from components.knowledge import ReloadingFolder
from components.places import Fact, Place
from components.settings import Settings

logger = logging.getLogger(__name__)
# read again only when a file changes, as the knowledge base is
_places: ReloadingFolder[Dict[str, Place]] = ReloadingFolder(
    places.places_dir(), places.load, {}, patterns=("*.yml", "*/*.yml"))

# which facts answer which topic, in the order they are said
TOPIC_FACTS: Dict[str, Tuple[str, ...]] = {
    "ask_digital_services": ("services_portal", "website", "desk", "digital_help", "e_id_help", "phone", "email"),
    "ask_e_participation": ("website", "services_portal", "certified_email"),
    "ask_open_data": ("open_data_portal",),
    "ask_digital_gym": ("digital_help", "desk"),  # a help point, else a desk where people help
}
LABELS: Dict[str, Dict[str, str]] = {
    "website": {"ka": "ოფიციალური ვებგვერდი", "en": "official website"},
    "services_portal": {"ka": "ონლაინ სერვისები", "en": "online services"},
    "open_data_portal": {"ka": "ღია მონაცემები", "en": "open data"},
    "email": {"ka": "ელფოსტა", "en": "e-mail"},
    "certified_email": {"ka": "ოფიციალური ელფოსტა (PEC)", "en": "certified e-mail (PEC)"},
    "phone": {"ka": "ტელეფონი", "en": "phone"},
    "address": {"ka": "მისამართი", "en": "address"},
    "desk": {"ka": "მომსახურება ადგილზე", "en": "in person"},
    "digital_help": {"ka": "დახმარება ციფრულ სერვისებში", "en": "help with digital services"},
    "e_id_help": {"ka": "ელექტრონული პირადობა", "en": "digital identity"},
}
AS_OF = {"ka": "({as_of} წლის მონაცემი)", "en": "(as of {as_of})"}
# where a person answers, in the order they are said
CONTACT_FACTS = ("desk", "address", "phone", "email", "digital_help", "website")
NO_HOURS = {"ka": "სამუშაო საათები ჩემს წყაროებში არ არის", "en": "opening hours not in my sources"}


def place_of(tracker: Tracker, known: Dict[str, Place]) -> Optional[Place]:
    """The citizen's place: the latest one they named themselves ("I live in Malo", or a
    button of ``utter_ask_place``), else the latest the page or start link named (message
    metadata). The citizen's words win: the widget sends the page's place with every
    message, and a visitor of Schio's site may live in Malo."""
    said = [event for event in reversed(tracker.events or []) if event.get("event") == "user"]
    for event in said:
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            value = str(entity.get("value") or "").strip().lower()
            if entity.get("entity") == "place" and value in known:
                return known[value]
        text = event.get("text") or ""
        if not text.startswith("/"):
            about_place = ((event.get("parse_data") or {}).get("intent") or {}).get("name") == "tell_place"
            named = places.place_in_text(text, known, anywhere=about_place)
            if named is not None:
                return named
    for event in said:
        metadata = event.get("metadata") or {}
        for key in ("municipality", "country"):
            named_by_page = metadata.get(key)
            if isinstance(named_by_page, str) and named_by_page.strip().lower() in known:
                return known[named_by_page.strip().lower()]
    return None


ASK_PLACE_BUTTONS = 6


def ask_place_once(dispatcher: CollectingDispatcher, tracker: Tracker, known: Dict[str, Place],
                   language: str, again: bool = False) -> None:
    """Asks which municipality, once per conversation (``again``: even if asked before),
    with buttons that ask the same question again with the place: the places that have
    something to say, Georgia first."""
    if not again and any(event.get("event") == "bot"
                         and (event.get("metadata") or {}).get("utter_action") == "utter_ask_place"
                         for event in tracker.events or []):
        return
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    with_facts = [p for p in known.values() if p.facts]
    with_facts.sort(key=lambda p: (not p.is_country, p.country != "ge", -len(p.facts), p.id))
    buttons = [{"title": p.name[language], "payload": f'/{intent}{{"place": "{p.id}"}}'}
               for p in with_facts[:ASK_PLACE_BUTTONS]]
    if buttons:
        dispatcher.utter_message(response="utter_ask_place", buttons=buttons)


def said(fact: Fact, language: str) -> str:
    line = f"{LABELS[fact.name][language]}: {fact.said(language)}"
    return f"{line} {AS_OF[language].format(as_of=fact.as_of)}" if fact.as_of else line


def said_with_hours(fact: Fact, language: str, moment: Optional[dt.datetime], missing: bool = False) -> str:
    """The fact, and for a desk with hours whether it is open at ``moment`` (already in
    the place's time zone; None: no time zone known); ``missing``: say so of a desk
    without hours."""
    line = said(fact, language)
    if fact.hours is not None and moment is not None:
        return f"{line} — {fact.hours.status(moment, language)}"
    if missing and fact.hours is None and fact.name == "desk":
        return f"{line} ({NO_HOURS[language]})"
    return line


def local_now(owner: Place, known: Dict[str, Place]) -> Optional[dt.datetime]:
    """Now, in the place's time zone (FIXED_TIME in tests and demos); None: no zone known."""
    zone = places.time_zone(owner, known)
    return Settings.from_env().now().astimezone(zone) if zone else None


def listed(found: List[Tuple[Place, Fact]], language: str, line: Callable[[Fact], str]) -> str:
    """The facts, grouped under the name of the place they belong to."""
    groups = []
    for owner in {owner.id: owner for owner, _ in found}.values():
        facts = "\n".join(f"• {line(fact)}" for who, fact in found if who.id == owner.id)
        groups.append(f"{owner.name[language]}:\n{facts}")
    return "\n".join(groups)


def facts_for(place: Place, known: Dict[str, Place], names: Sequence[str]) -> List[Tuple[Place, Fact]]:
    """The place's facts for the topic; where it has none, its country's."""
    country = known.get(place.country) if place.country else None
    found = [(place, place.facts[name]) for name in names if name in place.facts]
    if not found and country is not None:
        found = [(country, country.facts[name]) for name in names if name in country.facts]
    return found


def known_places() -> Dict[str, Place]:
    """The places of content/places/; none while a file is broken (logged: the answers
    then fall back to the general advice instead of failing)."""
    try:
        return _places.current()
    except places.PlaceError as error:
        logger.error("Place content unusable: %s", error)
        return {}


def say_unknown(dispatcher: CollectingDispatcher, place: Place, known: Dict[str, Place], language: str) -> None:
    """No source gives what was asked: say so, and where to ask (the place's website)."""
    country = known.get(place.country) if place.country else None
    website = place.facts.get("website") or (country.facts.get("website") if country else None)
    dispatcher.utter_message(response="utter_place_unknown", place=place.name[language],
                             where=f" ({website.value})" if website else "")


class ActionPlaceFacts(Action):
    """After a digital-services answer: the citizen's place's facts on that topic (or its
    country's), what no source gives said to be unknown, or which place? when none is known."""

    def name(self) -> Text:
        return "action_place_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = (tracker.latest_message.get("intent") or {}).get("name") or ""
        say_place_facts(dispatcher, tracker, topic, language_of(tracker), ask_for_place=True)
        return []


def say_place_facts(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, language: str,
                    ask_for_place: bool) -> None:
    """The citizen's place's facts on the topic; without a known place, which place? (when
    ``ask_for_place``: not among the several answers of one message)."""
    known = known_places()
    if topic not in TOPIC_FACTS or not known:
        return
    place = place_of(tracker, known)
    if place is None:
        if ask_for_place:
            ask_place_once(dispatcher, tracker, known, language)
    elif found := facts_for(place, known, TOPIC_FACTS[topic]):
        moment = local_now(found[0][0], known)
        dispatcher.utter_message(response="utter_place_facts",
                                 facts=listed(found, language, lambda f: said_with_hours(f, language, moment)))
    else:
        say_unknown(dispatcher, place, known, language)


class ActionContact(Action):
    """A person to reach: the place's desks and numbers, with "open now", then the event's
    organisers. Without a known place, where such a desk usually is, and which place?"""

    def name(self) -> Text:
        return "action_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language, known = language_of(tracker), known_places()
        place = place_of(tracker, known)
        if place is None:
            dispatcher.utter_message(response="utter_contact_no_place")
        elif found := facts_for(place, known, CONTACT_FACTS):
            moment = local_now(found[0][0], known)
            dispatcher.utter_message(response="utter_contact_place", facts=listed(
                found, language, lambda f: said_with_hours(f, language, moment, missing=True)))
        else:
            say_unknown(dispatcher, place, known, language)
        dispatcher.utter_message(response="utter_contact_event", ask=where_to_ask(language))
        if Settings.from_env().messages_to:  # a maintainer set where messages go (actions/messages.py)
            dispatcher.utter_message(response="utter_message_offer")
        if place is None:
            ask_place_once(dispatcher, tracker, known, language)
        return []


class ActionSetPlace(Action):
    """ "I live in Malo", "set my town to Villaverla", or a button of utter_ask_place: noted,
    and used by every later answer (place_of reads it back from the conversation). "Change
    my town" or a place the assistant does not know: which one? with buttons."""

    def name(self) -> Text:
        return "action_set_place"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        known, language = known_places(), language_of(tracker)
        if not note_place(dispatcher, tracker, language):
            ask_place_once(dispatcher, tracker, known, language, again=True)
        return []


def note_place(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> bool:
    """Says "Noted: <place>" for the place the latest message names; False when it names
    none the assistant knows. Also one part of a longer message ("kutaisidan var da ra aris
    ...": from Kutaisi, and a question): place_of reads the place back from the text."""
    latest, known = tracker.latest_message or {}, known_places()
    chosen = next((str(e.get("value") or "").strip().lower() for e in latest.get("entities") or []
                   if e.get("entity") == "place"), "")
    place = known.get(chosen) or places.place_in_text(latest.get("text") or "", known, anywhere=True)
    if place is None:
        return False
    dispatcher.utter_message(response="utter_place_set", place=place.name[language])
    return True
