"""Pages of a consolidation case and its meetings. Thin: ask the permission, call a
service or a selector, render; refusals say why.
"""

from .cases import ACTIONS, act, case_calendar, detail, index, new, opinion_file, public, sign_off
from .meetings import (
    action_item_close,
    meeting,
    meeting_calendar,
    meeting_cancel,
    meeting_new,
    meeting_record,
    meetings,
)

__all__ = [
    "index",
    "new",
    "detail",
    "public",
    "ACTIONS",
    "act",
    "sign_off",
    "opinion_file",
    "case_calendar",
    "meeting_new",
    "meeting",
    "meeting_record",
    "meeting_cancel",
    "action_item_close",
    "meeting_calendar",
    "meetings",
]
