"""Meetings as an iCalendar file (RFC 5545) for phones and desktop calendars."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from .models import Meeting, MeetingStatus


def meetings_ics(meetings: Iterable[Meeting], *, name: str, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//gongzhi//meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", meeting.starts_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.get_kind_display()}：{meeting.title}")
        event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add(
            "status",
            {
                MeetingStatus.PLANNED: "CONFIRMED",
                MeetingStatus.HELD: "CONFIRMED",
                MeetingStatus.CANCELLED: "CANCELLED",
            }[MeetingStatus(meeting.status)],
        )
        calendar.add_component(event)
    return calendar.to_ical()
