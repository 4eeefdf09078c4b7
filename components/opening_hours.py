"""Opening hours of a desk in a place file, and whether it is open at a given moment.

Written as OpenStreetMap writes them (the ``opening_hours`` key), in the part of that
syntax a desk needs: rules separated by ``;``, each days then times::

    Mo-Fr 08:30-12:30,14:00-16:30; Sa 09:00-12:00
    Mo,Fr 14:30-17:30

Days are Mo Tu We Th Fr Sa Su, alone, in lists (``Mo,Fr``) or ranges (``Mo-Fr``); a day
not named is closed. A later rule for a day replaces an earlier one, as in OSM. Public
holidays are not known: the answer says "usually". Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Tuple

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = {
    "ka": ("ორშაბათი", "სამშაბათი", "ოთხშაბათი", "ხუთშაბათი", "პარასკევი", "შაბათი", "კვირა"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# "on Friday": Georgian's dative (პარასკევ-ს)
ON_DAY = {
    "ka": ("ორშაბათს", "სამშაბათს", "ოთხშაბათს", "ხუთშაბათს", "პარასკევს", "შაბათს", "კვირას"),
    "en": DAY_NAMES["en"],
}
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_SPAN = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE = re.compile(rf"^(?P<days>{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*) (?P<times>{_SPAN}(?:,{_SPAN})*)$")

Span = Tuple[dt.time, dt.time]


def _time(text: str) -> dt.time:
    hours, minutes = map(int, text.split(":"))
    if hours == 24 and minutes == 0:
        return dt.time.max
    return dt.time(hours, minutes)  # ValueError for 25:00 or 12:60


@dataclass(frozen=True)
class OpeningHours:
    text: str
    week: Tuple[Tuple[Span, ...], ...]  # Monday first: the day's spans, in order

    @classmethod
    def parse(cls, text: str) -> "OpeningHours":
        """ValueError (saying what is wrong) for anything outside the syntax above."""
        week: list[Tuple[Span, ...]] = [()] * 7
        rules = [rule.strip() for rule in text.split(";")]
        if not text.strip() or not all(rules):
            raise ValueError("write days then times, e.g. 'Mo-Fr 09:00-13:00; Sa 09:00-12:00'")
        for rule in rules:
            match = _RULE.match(rule)
            if not match:
                raise ValueError(f"'{rule}' is not days then times, e.g. 'Mo,Fr 14:30-17:30'")
            spans = []
            for span in match["times"].split(","):
                start, end = (_time(t) for t in span.split("-"))
                if not start < end:
                    raise ValueError(f"'{span}' ends before it starts")
                spans.append((start, end))
            spans.sort()
            if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
                raise ValueError(f"'{rule}' has times that overlap")
            for part in match["days"].split(","):
                first, _, last = part.partition("-")
                start_day, end_day = DAYS.index(first), DAYS.index(last or first)
                if end_day < start_day:
                    raise ValueError(f"'{part}': write ranges Monday first, e.g. 'Mo-Fr'")
                for day in range(start_day, end_day + 1):
                    week[day] = tuple(spans)
        return cls(text=text.strip(), week=tuple(week))

    def said(self, language: str) -> str:
        """"Monday, Friday 14:30–17:30; Saturday 09:00–12:00": days with the same hours
        together, in the order of the week."""
        groups: list[Tuple[Tuple[Span, ...], list[int]]] = []
        for day, spans in enumerate(self.week):
            if not spans:
                continue
            for same, days in groups:
                if same == spans:
                    days.append(day)
                    break
            else:
                groups.append((spans, [day]))
        return "; ".join(_days(days, language) + " " + ", ".join(_span(s) for s in spans) for spans, days in groups)

    def now(self, moment: dt.datetime) -> Tuple[bool, Optional[Tuple[int, dt.time]]]:
        """(open, what next) at ``moment`` (in the place's time zone): open → (True, (day,
        closing time)); closed → (False, (days from today, opening time)) or (False,
        None) when it never opens."""
        today, clock = moment.weekday(), moment.time().replace(tzinfo=None)
        for start, end in self.week[today]:
            if start <= clock < end:
                return True, (0, end)
        for ahead in range(0, 8):
            for start, _ in self.week[(today + ahead) % 7]:
                if ahead > 0 or clock < start:
                    return False, (ahead, start)
        return False, None

    def status(self, moment: dt.datetime, language: str) -> str:
        """"open now, until 17:30" / "closed now; opens Friday at 14:30", in ``language``."""
        is_open, then = self.now(moment)
        ka = language == "ka"
        if is_open and then:
            return f"ახლა ღიაა, {_clock(then[1])}-მდე" if ka else f"open now, until {_clock(then[1])}"
        if then is None:
            return "ახლა დაკეტილია" if ka else "closed now"
        ahead, opens = then
        if ahead == 0:
            day = "დღეს" if ka else "today"
        elif ahead == 1:
            day = "ხვალ" if ka else "tomorrow"
        else:
            day = ON_DAY[language][(moment.weekday() + ahead) % 7]
        return f"ახლა დაკეტილია; გაიხსნება {day}, {_clock(opens)}-ზე" if ka else f"closed now; opens {day} at {_clock(opens)}"


def _days(days: list[int], language: str) -> str:
    """"Monday–Friday", "Monday, Friday": runs of three days or more as a range."""
    names = DAY_NAMES[language]
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ", ".join(
        f"{names[a]}–{names[b]}" if b - a >= 2 else ", ".join(names[d] for d in range(a, b + 1)) for a, b in runs
    )


def _clock(t: dt.time) -> str:
    return "24:00" if t == dt.time.max else t.strftime("%H:%M")


def _span(span: Span) -> str:
    return f"{_clock(span[0])}–{_clock(span[1])}"
