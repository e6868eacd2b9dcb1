"""The worker's periodic check for meetings: action items past their day."""

from gongzhi.core.periodic import every

from .notify import remind_overdue


@every(minutes=60)
def overdue_action_items(now):
    remind_overdue(now)
