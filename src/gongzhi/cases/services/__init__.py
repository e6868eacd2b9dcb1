"""Writes for the consolidation case, by topic: the case and its stages, the task
force and its work, the mergers at the end, and the meetings (四位一体).
"""

from .cases import FILING_DAYS, LINKS, case_advance, case_link, case_open, stage_waive
from .meetings import action_item_close, meeting_cancel, meeting_plan, meeting_record
from .mergers import areas_merge, committees_merge, filing_record, reelection_start
from .taskforce import (
    MemberEntry,
    intention_record,
    legal_opinion_sign_off,
    legal_opinion_upload,
    task_force_form,
    task_force_member_add,
    work_task_add,
    work_task_close,
)

__all__ = [
    "FILING_DAYS",
    "case_open",
    "case_advance",
    "stage_waive",
    "LINKS",
    "case_link",
    "MemberEntry",
    "task_force_form",
    "task_force_member_add",
    "work_task_add",
    "work_task_close",
    "intention_record",
    "legal_opinion_upload",
    "legal_opinion_sign_off",
    "areas_merge",
    "reelection_start",
    "committees_merge",
    "filing_record",
    "meeting_plan",
    "meeting_record",
    "meeting_cancel",
    "action_item_close",
]
