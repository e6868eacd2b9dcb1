"""The worker's daily round for agreements: expire those past their date, and remind
the officers of those expiring within a month."""

from gongzhi.core import clock
from gongzhi.core.periodic import every

from .services import agreements_expire, expiry_reminders


@every(minutes=60)
def agreements(now):
    today = clock.today(now)
    agreements_expire(today)
    expiry_reminders(today)
