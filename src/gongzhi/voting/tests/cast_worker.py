"""A process that casts ballots and acknowledges each one only after it is committed.

Run by ``test_concurrency.test_killed_process_loses_no_acknowledged_ballot``, which
kills it with SIGKILL in the middle of its work. DATABASE_URL names its database.
"""

import datetime as dt
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from gongzhi.accounts.models import User
    from gongzhi.registry.models import Compound, Neighbourhood, Owner, Ownership, SubDistrict, Unit
    from gongzhi.voting.services import (
        ItemSpec,
        ballot_enter_paper,
        decision_announce,
        decision_create,
        decision_open,
    )

    call_command("migrate", verbosity=0)
    sub_district = SubDistrict.objects.create(name="kill-test")
    neighbourhood = Neighbourhood.objects.create(sub_district=sub_district, name="kill-test")
    compound = Compound.objects.create(neighbourhood=neighbourhood, name="kill-test")
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for n in range(units):
        unit = Unit.objects.create(compound=compound, number=str(n), area="50.00")
        owner = Owner.objects.create(sub_district=sub_district, identifier=f"K{n}")
        Ownership.objects.create(unit=unit, owner=owner)
    clerk = User.objects.create(username="clerk")
    now = timezone.now()
    decision = decision_create(
        neighbourhood=neighbourhood,
        title="kill test",
        text="",
        compounds=[compound],
        items=[ItemSpec(text="?", matter="4")],
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        actor=clerk,
    )
    decision = decision_announce(
        decision=decision,
        actor=clerk,
        now=now - dt.timedelta(days=20),
        notice_override_reason="test",
    )
    decision = decision_open(decision=decision, actor=clerk, now=now)
    item = decision.items.get()
    print("READY", flush=True)
    for entry in decision.register.order_by("pk"):
        (ballot,) = ballot_enter_paper(
            decision=decision, entry=entry, choices={item.pk: "agree"}, clerk=clerk
        )
        # The service returned: its transaction is committed. Only now acknowledge.
        print(f"ACK {ballot.pk}", flush=True)


if __name__ == "__main__":
    main()
