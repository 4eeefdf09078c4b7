"""Places (content/places/): the files maintainers edit, and their checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from components import places
from components.georgian import TOKEN_PATTERN

PROJECT_DIR = Path(__file__).resolve().parent.parent
AVATAR_TOWNS = {"schio", "thiene", "valdagno", "malo", "isola-vicentina", "marano-vicentino", "monte-di-malo",
                "san-vito-di-leguzzano", "santorso", "torrebelvicino", "villaverla", "zugliano"}

TOWN = {
    "id": "malo", "country": "it", "name": {"ka": "მალო", "en": "Malo"},
    "facts": {"phone": {"value": "+39 0445 585211", "source": "S1"},
              "desk": {"text": {"ka": "მერია", "en": "the town hall"}, "source": "S1", "as_of": "2024-05"}},
    "sources": {"S1": "https://example.org/malo"},
}


def write(folder: Path, town: dict) -> Path:
    (folder / "it").mkdir(parents=True, exist_ok=True)
    (folder / "it.yml").write_text(yaml.safe_dump({"id": "it", "name": {"ka": "იტალია", "en": "Italy"}},
                                                  allow_unicode=True), encoding="utf-8")
    path = folder / "it" / f"{town.get('id')}.yml"
    path.write_text(yaml.safe_dump(town, allow_unicode=True), encoding="utf-8")
    return path


def test_the_content_has_the_twelve_towns_italy_georgia_and_the_demo():
    known = places.load(PROJECT_DIR / "content" / "places")
    assert AVATAR_TOWNS | {"it", "ge", "akhalsopeli"} <= set(known)
    assert all(known[town].country == "it" and "website" in known[town].facts for town in AVATAR_TOWNS)
    assert known["ge"].facts["services_portal"].value == "https://my.gov.ge"
    # every fact carries its source
    assert all(fact.source for place in known.values() for fact in place.facts.values())


def test_a_good_file_is_read(tmp_path):
    write(tmp_path, TOWN)
    malo = places.load(tmp_path)["malo"]
    assert malo.facts["phone"].value == "+39 0445 585211" and malo.facts["desk"].said("ka") == "მერია"
    assert malo.facts["desk"].as_of == "2024-05" and malo.facts["desk"].source == "https://example.org/malo"


@pytest.mark.parametrize("change, problem", [
    ({"facts": {"phone": {"value": "0445 585211", "source": "S1"}}}, "not an international number"),
    ({"facts": {"website": {"value": "www.malo.it", "source": "S1"}}}, "not an http(s) address"),
    ({"facts": {"email": {"value": "malo at comune", "source": "S1"}}}, "not an e-mail address"),
    ({"facts": {"phone": {"value": "+39 0445 585211"}}}, "'source' must name one of"),
    ({"facts": {"desk": {"text": {"en": "the town hall"}, "source": "S1"}}}, "needs a text in each of ka, en"),
    ({"facts": {"mayor": {"value": "x", "source": "S1"}}}, "unknown; known facts are"),
    ({"name": {"ka": "Malo", "en": "Malo"}}, "Georgian script"),
    ({"country": "fr"}, "'country' must be 'it'"),
    ({"facts": {"phone": {"value": "+39 0445 585211", "source": "S1", "as_of": "last year"}}}, "'as_of'"),
    ({"facts": {"desk": {"text": {"ka": "მერია", "en": "the town hall"}, "source": "S1", "hours": "Mon 9-5"}}},
     "'hours': 'Mon 9-5' is not days then times"),
    ({"facts": {"desk": {"text": {"ka": "მერია", "en": "the town hall"}, "source": "S1", "hours": "Mo 09:00-12:00"}}},
     "give the place (or its country) a 'timezone'"),
    ({"timezone": "Europe/Schio"}, "'timezone' is a time zone name"),
])
def test_a_broken_file_is_refused_with_the_reason(tmp_path, change, problem):
    write(tmp_path, {**TOWN, **change})
    with pytest.raises(places.PlaceError, match=re.escape(problem)):
        places.load(tmp_path)


def test_a_town_needs_its_countrys_file(tmp_path):
    write(tmp_path, TOWN)
    (tmp_path / "it.yml").unlink()
    with pytest.raises(places.PlaceError, match="has no file"):
        places.load(tmp_path)


# --- the answers: actions/places.py -------------------------------------------------------

def answer(intent, language, metadata, earlier_metadata=None, earlier_text="/greet", entities=(), earlier_bot=None):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.places import ActionPlaceFacts

    latest = {"text": "...", "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities),
              "language": language, "writing": language}
    events = []
    if earlier_metadata or earlier_text != "/greet":
        events.append({"event": "user", "text": earlier_text, "parse_data": {"language": language},
                       "metadata": earlier_metadata})
    if earlier_bot:
        events.append({"event": "bot", "text": "...", "metadata": {"utter_action": earlier_bot}})
    events.append({"event": "user", "text": "...", "parse_data": latest, "metadata": metadata})
    dispatcher = CollectingDispatcher()
    ActionPlaceFacts().run(dispatcher, Tracker("citizen", {}, latest, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages


def test_a_town_named_by_the_page_gets_its_own_facts_with_their_dates():
    [message] = answer("ask_digital_services", "en", {"municipality": "schio", "country": "it"})
    assert message["response"] == "utter_place_facts"
    facts = message["facts"]
    assert facts.startswith("Schio:") and "https://www.comune.schio.vi.it" in facts
    assert "+39 0445 691111 (as of 2020-03)" in facts and "Faber Box" in facts
    [georgian] = answer("ask_digital_services", "ka", {"municipality": "schio"})
    assert georgian["facts"].startswith("შიო:") and "ოფიციალური ვებგვერდი" in georgian["facts"]


def test_a_place_without_facts_of_its_own_gets_its_countrys():
    [message] = answer("ask_digital_services", "ka", {"municipality": "akhalsopeli", "country": "ge"})
    assert message["facts"].startswith("საქართველო:") and "https://my.gov.ge" in message["facts"]
    [open_data] = answer("ask_open_data", "en", {"country": "ge"})
    assert "https://data.gov.ge" in open_data["facts"]


def test_what_no_source_gives_is_said_to_be_unknown_with_where_to_ask():
    [message] = answer("ask_open_data", "en", {"municipality": "schio"})
    assert message["response"] == "utter_place_unknown" and message["place"] == "Schio"
    assert message["where"] == " (https://www.comune.schio.vi.it)"


def test_the_place_is_remembered_from_an_earlier_message_and_unknown_places_say_nothing():
    # Telegram's start link sets it once (/start thiene); later messages carry no metadata
    [message] = answer("ask_digital_gym", "en", None, earlier_metadata={"municipality": "thiene"})
    assert message["facts"].startswith("Thiene:") and "digital gym" in message["facts"]
    assert [m["response"] for m in answer("ask_digital_services", "en", {"municipality": "atlantis"})] == \
        ["utter_ask_place"]
    assert answer("ask_event_date", "en", {"municipality": "schio"}) == []


@pytest.mark.parametrize("text, expected", [
    ("/greet thiene", ("/greet", {"municipality": "thiene"})),
    ("/greet GE", ("/greet", {"country": "ge"})),
    ("/greet isola-vicentina", ("/greet", {"municipality": "isola-vicentina"})),
    ("/greet", ("/greet", {})),
    ("/greet two words", ("/greet two words", {})),
])
def test_a_telegram_start_link_names_the_place(text, expected):
    from channels.telegram import start_place

    assert start_place(text) == expected


def test_an_edited_town_file_is_read_again_without_a_restart(tmp_path):
    from components.knowledge import ReloadingFolder

    path = write(tmp_path, TOWN)
    folder = ReloadingFolder(tmp_path, places.load, {}, patterns=("*.yml", "*/*.yml"))
    assert folder.current()["malo"].facts["phone"].value == "+39 0445 585211"
    assert folder.current() is folder.current(), "unchanged files are not read again"
    edited = {**TOWN, "facts": {"phone": {"value": "+39 0445 585999", "source": "S1"}}}
    path.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")
    assert folder.current()["malo"].facts["phone"].value == "+39 0445 585999"


# --- opening hours: components/opening_hours.py --------------------------------------------

def test_opening_hours_are_said_in_both_languages_with_ranges():
    from components.opening_hours import OpeningHours

    hours = OpeningHours.parse("Mo-Fr 08:30-12:30,14:00-16:30; Sa 09:00-12:00")
    assert hours.said("en") == "Monday–Friday 08:30–12:30, 14:00–16:30; Saturday 09:00–12:00"
    assert OpeningHours.parse("Mo,Fr 14:30-17:30").said("ka") == "ორშაბათი, პარასკევი 14:30–17:30"


@pytest.mark.parametrize("moment, en, ka", [
    ("2027-05-28T15:00", "open now, until 17:30", "ახლა ღიაა, 17:30-მდე"),  # a Friday
    ("2027-05-28T17:30", "closed now; opens Monday at 14:30", "ახლა დაკეტილია; გაიხსნება ორშაბათს, 14:30-ზე"),
    ("2027-05-27T10:00", "closed now; opens tomorrow at 14:30", "ახლა დაკეტილია; გაიხსნება ხვალ, 14:30-ზე"),
    ("2027-05-24T09:00", "closed now; opens today at 14:30", "ახლა დაკეტილია; გაიხსნება დღეს, 14:30-ზე"),
    ("2027-05-25T09:00", "closed now; opens Friday at 14:30", "ახლა დაკეტილია; გაიხსნება პარასკევს, 14:30-ზე"),
])
def test_whether_it_is_open_now(moment, en, ka):
    import datetime as dt

    from components.opening_hours import OpeningHours

    hours = OpeningHours.parse("Mo,Fr 14:30-17:30")
    assert hours.status(dt.datetime.fromisoformat(moment), "en") == en
    assert hours.status(dt.datetime.fromisoformat(moment), "ka") == ka


# --- a person to reach: ActionContact ------------------------------------------------------

def contact(language, metadata, monkeypatch, now="2027-05-28T15:00:00+02:00", entities=()):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.places import ActionContact

    monkeypatch.setenv("FIXED_TIME", now)
    latest = {"text": "...", "intent": {"name": "ask_contact", "confidence": 0.9}, "entities": list(entities),
              "language": language, "writing": language}
    events = [{"event": "user", "text": "...", "parse_data": latest, "metadata": metadata}]
    dispatcher = CollectingDispatcher()
    ActionContact().run(dispatcher, Tracker("citizen", {}, latest, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages


def test_a_person_to_reach_in_schio_with_whether_the_desk_is_open_now(monkeypatch):
    place, event = contact("en", {"municipality": "schio"}, monkeypatch)
    assert place["response"] == "utter_contact_place" and place["facts"].startswith("Schio:")
    assert "+39 0445 691111" in place["facts"] and "info@comune.schio.vi.it" in place["facts"]
    assert "QuiCittadino" in place["facts"] and "opening hours not in my sources" in place["facts"]
    # Friday 15:00 in Schio; the Faber Box help desk is open Monday and Friday 14:30-17:30
    assert "Faber Box" in place["facts"] and "open now, until 17:30" in place["facts"]
    assert event["response"] == "utter_contact_event" and "avatarlab.it" in event["ask"]
    # the same moment written in Tbilisi's time (UTC+4) is still 15:00 in Schio
    [same, _] = contact("ka", {"municipality": "schio"}, monkeypatch, now="2027-05-28T17:00:00+04:00")
    assert "ახლა ღიაა, 17:30-მდე" in same["facts"]
    [evening, _] = contact("ka", {"municipality": "schio"}, monkeypatch, now="2027-05-28T18:00:00+02:00")
    assert "ახლა დაკეტილია; გაიხსნება ორშაბათს, 14:30-ზე" in evening["facts"]


def test_a_person_to_reach_elsewhere(monkeypatch):
    [georgia, _] = contact("ka", {"municipality": "akhalsopeli", "country": "ge"}, monkeypatch)
    assert georgia["facts"].startswith("საქართველო:") and "იუსტიციის სახლი" in georgia["facts"]
    [valdagno, _] = contact("en", {"municipality": "valdagno"}, monkeypatch)
    assert "Progetto Giovani" in valdagno["facts"] and "open now, until 17:30" in valdagno["facts"]
    [malo, _] = contact("en", {"municipality": "malo"}, monkeypatch)  # no desk or number in the sources
    assert "official website: https://www.comune.malo.vi.it" in malo["facts"] and "+39" not in malo["facts"]
    [nowhere, event, asked] = contact("en", None, monkeypatch)
    assert nowhere["response"] == "utter_contact_no_place" and event["response"] == "utter_contact_event"
    assert asked["response"] == "utter_ask_place" and asked["buttons"][0]["payload"] == '/ask_contact{"place": "ge"}'
    [ge, _] = contact("ka", None, monkeypatch, entities=[{"entity": "place", "value": "ge"}])
    assert ge["facts"].startswith("საქართველო:")


# --- the place in the citizen's own words -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("I live in Malo", "malo"),
    ("I'm from Monte di Malo", "monte-di-malo"),  # the longer name, not Malo
    ("თბილისში ვცხოვრობ", "ge"),  # a town of Georgia without a file: Georgia's answers
    ("batumidan var", "ge"),
    ("ქუთაისელი ვარ", "ge"),
    ("ვალდანიოდან ვარ", "valdagno"),
    ("shioshi vcxovrob", "schio"),
    ("Thiene", "thiene"),  # the answer to "which municipality?"
    ("Thiene please", "thiene"),
    ("visa for italy?", None),  # a question about a country, not where the citizen lives
    ("how do I get to Schio?", None),  # the event's town, not the citizen's
    ("the event in Schio, when is it?", None),
    ("I speak Georgian", None),
    ("ra aris Ria mmarTveloba", None),
])
def test_a_place_in_the_citizens_words(text, expected):
    found = places.place_in_text(text, places.load())
    assert (found.id if found else None) == expected


def test_the_citizens_words_win_over_the_page_and_a_later_town_replaces_it():
    # on Schio's site, the citizen says they live in Malo: Malo's facts (a planned gym)
    [message] = answer("ask_digital_gym", "en", {"municipality": "schio"},
                       earlier_metadata={"municipality": "schio"}, earlier_text="I live in Malo")
    assert message["facts"].startswith("Malo:")
    [message] = answer("ask_digital_gym", "en", None, earlier_text="I live in Valdagno now")
    assert message["facts"].startswith("Valdagno:")


def test_with_no_place_the_assistant_asks_once_with_buttons():
    [asked] = answer("ask_digital_services", "ka", None)
    assert asked["response"] == "utter_ask_place"
    titles = [b["title"] for b in asked["buttons"]]
    assert titles[0] == "საქართველო" and "შიო" in titles
    assert {b["payload"] for b in asked["buttons"]} >= {'/ask_digital_services{"place": "schio"}'}
    # a button's place is the citizen's choice
    [message] = answer("ask_digital_services", "en", None, entities=[{"entity": "place", "value": "schio"}])
    assert message["facts"].startswith("Schio:")
    # asked already in this conversation: not again
    assert answer("ask_open_data", "en", None, earlier_bot="utter_ask_place") == []


def test_a_help_point_in_a_digital_services_answer_says_whether_it_is_open(monkeypatch):
    monkeypatch.setenv("FIXED_TIME", "2027-05-31T10:00:00+02:00")  # a Monday morning in Schio
    [message] = answer("ask_digital_gym", "en", {"municipality": "schio"})
    assert "Faber Box" in message["facts"] and "closed now; opens today at 14:30" in message["facts"]
    [services] = answer("ask_digital_services", "en", {"municipality": "schio"})
    assert "opening hours not in my sources" not in services["facts"]  # said only where a person is asked for


def test_help_with_online_services_in_georgia_names_the_public_service_hall():
    [message] = answer("ask_digital_gym", "ka", {"municipality": "akhalsopeli", "country": "ge"})
    assert message["facts"].startswith("საქართველო:") and "იუსტიციის სახლი" in message["facts"]


def set_place(text, entities=(), language="en", earlier=()):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.places import ActionSetPlace

    latest = {"text": text, "intent": {"name": "tell_place", "confidence": 0.9}, "entities": list(entities),
              "language": language}
    events = [*earlier, {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    ActionSetPlace().run(dispatcher, Tracker("citizen", {}, latest, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages, events


def test_telling_the_place_is_noted_and_used_by_the_next_answers():
    from rasa_sdk import Tracker

    from actions.places import place_of

    [noted], events = set_place("set my town to Villaverla")  # no word about living: the intent says it
    assert noted["response"] == "utter_place_set" and noted["place"] == "Villaverla"
    assert place_of(Tracker("c", {}, {}, events, False, None, {}, "action_listen"), places.load()).id == "villaverla"
    [georgian], _ = set_place("ქუთაისელი ვარ", language="ka")
    assert georgian["place"] == "საქართველო"


def test_change_my_town_asks_again_with_buttons_even_after_asking_once():
    asked_before = [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_ask_place"}}]
    [asked], _ = set_place("change my town", earlier=asked_before)
    assert asked["response"] == "utter_ask_place"
    assert asked["buttons"][0]["payload"] == '/tell_place{"place": "ge"}'
    [chosen], _ = set_place('/tell_place{"place": "schio"}', entities=[{"entity": "place", "value": "schio"}])
    assert chosen["place"] == "Schio"


@pytest.mark.parametrize("text, place, start", [
    ("ოზურგეთიდან ვარ სკოლის მასწავლებელი მეც შემიძლია წამოსვლა", "ge", 0.0),  # from Ozurgeti
    ("zugdideli var skolis maswavlebeli, me shemidzlia", "ge", 0.0),  # a Zugdidi man
    ("telavshi vcxovrob, ra aris my.gov.ge", "ge", 0.0),  # I live in Telavi
    ("im from ozurgeti work as school teacher, can teachers come", "ge", 0.0),
    ("what is the fee? i am from malo", "malo", 0.625),  # where "am from" starts
    ("from santorso here, is it free", "santorso", 0.0),
    ("ახალციხიდან ვარ, რა ღირს", "ge", 0.0),  # ახალციხე: its final e gives way to "from"
    ("mcxetidan vart", "ge", 0.0),  # მცხეთა, from Mtskheta
    ("გამარჯობა, ზუგდიდის სკოლიდან 3 მასწავლებელი ვართ", "ge", 1 / 6),  # from the Zugdidi school
])
def test_a_place_the_citizen_says_they_come_from_and_where_in_the_message(text, place, start):
    stated = places.stated_place(text, places.load())
    assert stated is not None and stated[0].id == place and stated[1] == pytest.approx(start, abs=0.01)


@pytest.mark.parametrize("text, said, rest", [
    ("im from ozurgeti, work as school teacher", "im from ozurgeti", "work as school teacher"),
    ("zugdidis municipalitetidan var ra girs", "zugdidis municipalitetidan var", "ra girs"),
    ("ახალციხიდან ვარ ენჯეოში ვმუშაობ", "ახალციხიდან ვარ", "ენჯეოში ვმუშაობ"),
    ("gamarjoba, kutaisidan var, rodis aris", "kutaisidan var", "rodis aris"),
    ("i am from kutaisi city, is it free", "am from kutaisi city", "is it free"),
])
def test_the_words_that_say_where_the_citizen_is_from(text, said, rest):
    words = TOKEN_PATTERN.findall(text)
    clause = places.place_clause(text, places.load())
    assert clause is not None
    _, start, end = clause
    assert " ".join(words[start:end]) == said and " ".join(words[end:]) == rest


@pytest.mark.parametrize("text", [
    "flights from batumi to schio?",  # from, but not where the citizen is from
    "how do i get from tbilisi airport to the venue",
    "ბათუმიდან როგორ ჩავიდე შიოში",  # how do I get from Batumi to Schio
    "is there a digital gym in malo",  # a place, nothing about living there
    "ბათუმის აეროპორტიდან როგორ ჩავიდე?",  # from Batumi's airport: no workplace
])
def test_a_place_named_for_another_reason_is_not_where_the_citizen_is_from(text):
    assert places.stated_place(text, places.load()) is None


@pytest.mark.parametrize("text, said", [
    # hello, I write from Zugdidi's city hall
    ("gamarjobat zugdidis meriidan gwert, ra aris avatari", "zugdidis meriidan gwert"),
    ("hi, i am a nurse in gori, can nurses come", "i am a nurse in gori"),
    ("we are students in batumi can we come", "we are students in batumi"),
    ("hello, we're two librarians from telavi, is it free", "we're two librarians from telavi"),
])
def test_a_place_clause_takes_the_words_that_say_it(text, said):
    clause = places.place_clause(text, places.load())
    assert clause is not None
    words = [match.group() for match in TOKEN_PATTERN.finditer(text)]
    assert " ".join(words[clause[1]:clause[2]]) == said


@pytest.mark.parametrize("text", ["i am interested in kutaisi digital services", "flights from batumi to schio?"])
def test_a_place_beside_other_words_is_no_home(text):
    assert places.place_clause(text, places.load()) is None


@pytest.mark.parametrize("text, located", [
    ("ბათუმში IT კონფერენცია როდის არის", ["ge"]),
    ("tbilisshi konferencia iqneba?", ["ge"]),
    ("a conference in tbilisi", ["ge"]),
    ("is the conference in schio", ["schio"]),
    ("batumidan rogor chavide konferenciaze", []),  # from Batumi: no event is put there
    ("how far is it from tbilisi", []),
])
def test_places_located_are_those_something_is_put_in(text, located):
    assert [place.id for place, _ in places.places_located(text, places.load())] == located
