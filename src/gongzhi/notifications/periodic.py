"""The worker's periodic check for messages: retries that have fallen due."""

from gongzhi.core.periodic import every

from .services import send_due


@every(minutes=1)
def send_retries(now):
    send_due(now)
