"""The worker's checks for service requests: overdue ones escalated (and carried onto
the next four-party meeting), resolved ones the reporter left alone closed."""

from gongzhi.core.periodic import every

from .services.care import close_quiet, escalate


@every(minutes=10)
def overdue_requests(now):
    escalate(now)


@every(minutes=60)
def quiet_requests(now):
    close_quiet(now)
