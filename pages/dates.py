"""German date wording for occurrences, shared by public pages and embeds."""

import datetime as dt

WEEKDAYS = (
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
)
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


class OccurrenceDays:
    """Day arithmetic of an occurrence, shared by the model and the loaded list rows."""

    start_date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    label: str

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.start_date


def german_date(day: dt.date, *, weekday: bool = True, year: bool = True) -> str:
    """ "Montag, 24. August 2020" (the form readers know from print programmes)."""
    text = f"{day.day}. {MONTHS[day.month - 1]}"
    if year:
        text += f" {day.year}"
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def german_time(time: dt.time) -> str:
    return f"{time:%H:%M}"


def occurrence_text(occurrence: OccurrenceDays) -> str:
    """One occurrence in words: a day, a day with times, or a range of days.

    "Montag, 24. August 2020, 15:00–19:00 Uhr" · "Samstag, 26. September bis Sonntag,
    4. Oktober 2020" · an editor's label such as "Sommerferien 2020" replaces the dates.
    """
    if occurrence.label:
        return occurrence.label
    start, last = occurrence.start_date, occurrence.last_date
    if last == start:
        text = german_date(start)
        if occurrence.start_time:
            text += f", {german_time(occurrence.start_time)}"
            if occurrence.end_time and occurrence.end_time != occurrence.start_time:
                text += f"–{german_time(occurrence.end_time)}"
            text += " Uhr"
        return text
    if occurrence.start_time:
        end_time = occurrence.end_time or occurrence.start_time
        return (
            f"{german_date(start)}, {german_time(occurrence.start_time)} Uhr bis "
            f"{german_date(last)}, {german_time(end_time)} Uhr"
        )
    return f"{german_date(start, year=start.year != last.year)} bis {german_date(last)}"


def occurrence_short(occurrence: OccurrenceDays) -> str:
    """Compact form for narrow lists: "Mo., 24.08.2020, 15:00 Uhr", "26.09.–04.10.2020"."""
    start, last = occurrence.start_date, occurrence.last_date
    if last != start:
        first = f"{start:%d.%m.}" if start.year == last.year else f"{start:%d.%m.%Y}"
        return f"{first}–{last:%d.%m.%Y}"
    text = f"{WEEKDAYS[start.weekday()][:2]}., {start:%d.%m.%Y}"
    if occurrence.start_time:
        text += f", {german_time(occurrence.start_time)} Uhr"
    return text
