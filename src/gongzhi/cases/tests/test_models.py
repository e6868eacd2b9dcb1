"""Due dates: overdue the day after, not on the day; a filing on its last day is on time."""

import datetime as dt

from django.utils import timezone

from gongzhi.cases.models import ActionItem, CommitteeFiling, WorkStatus, WorkTask

DUE = dt.date(2026, 3, 31)


def test_an_open_item_is_overdue_from_the_day_after_its_due_date():
    for model in (WorkTask, ActionItem):
        item = model(due_on=DUE, status=WorkStatus.OPEN)
        assert not item.overdue_on(DUE)
        assert item.overdue_on(DUE + dt.timedelta(days=1))
        item.status = WorkStatus.DONE
        assert not item.overdue_on(DUE + dt.timedelta(days=1))


def test_a_filing_on_the_thirtieth_day_is_on_time():
    filing = CommitteeFiling(due_by=DUE, filed_on=DUE)
    assert not filing.late and not filing.overdue
    filing.filed_on = DUE + dt.timedelta(days=1)
    assert filing.late and not filing.overdue


def test_an_unmade_filing_is_overdue_only_after_its_due_date():
    today = timezone.localdate()
    assert not CommitteeFiling(due_by=today).overdue
    assert CommitteeFiling(due_by=today - dt.timedelta(days=1)).overdue
