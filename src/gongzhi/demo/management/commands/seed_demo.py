"""gongzhi seed_demo: the demo neighbourhood with one login per role."""

import time

from django.core.management.base import BaseCommand

from gongzhi.accounts.models import User
from gongzhi.demo.builder import DEMO_PASSWORD
from gongzhi.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo: the Shuixia residents' area of Xianxia Xincun with its "
        "four compounds (invented units, areas and owners), companies, the provider pool and "
        "one login per role. Deterministic and idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the logins")

    def handle(self, *args, quiet_logins=False, **options):
        started = time.monotonic()
        personas = seed_demo()
        self.stdout.write(f"demo neighbourhood ready in {time.monotonic() - started:.1f}s")
        if quiet_logins:
            return
        names = dict(User.objects.values_list("username", "display_name"))
        phones = dict(User.objects.values_list("username", "phone"))
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins (password for all: {DEMO_PASSWORD}; user name or mobile number)"
        )
        for persona in personas:
            self.stdout.write(
                f"  {persona.username:<10} {phones.get(persona.username) or '':<12} "
                f"{names.get(persona.username, ''):<16} {persona.sees}"
            )
        self.stdout.write("SMS codes and messages of the demo go to var/outbox/sms.jsonl.")
        self.stdout.write("")
