"""The worker's periodic check for decisions: reminders before voting closes."""

from gongzhi.core.periodic import every

from .notify import remind_closing


@every(minutes=10)
def closing_reminders(now):
    remind_closing(now)
