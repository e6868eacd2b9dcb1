"""Removing the demo leaves a real sub-district untouched, and keeps a demo account
that real work used."""

import io

import pytest
from django.core.management import call_command

from gongzhi.accounts.models import Membership, User
from gongzhi.core.models import AuditEvent
from gongzhi.demo.seed import seed_demo
from gongzhi.registry.models import Compound, Owner, PropertyCompany, SubDistrict, Unit
from gongzhi.registry.services import roll_import, roll_read
from gongzhi.voting.models import Decision

pytestmark = pytest.mark.django_db(transaction=True)

ROLL = "小区,楼栋,房号,面积,业主\n番禺小区,1号楼,101,60.00,A1\n番禺小区,1号楼,102,61.00,B1\n"


def real_area(actor=None):
    call_command("create_area", district="长宁区", sub_district="新华路街道", area="番禺居民区")
    call_command("grant", "official", sub_district="新华路街道", phone="13800138000", name="王芳")
    from gongzhi.registry.models import Neighbourhood

    roll = roll_read(io.BytesIO(ROLL.encode()), name="roll.csv")
    roll_import(
        rows=roll.rows,
        neighbourhood=Neighbourhood.objects.get(name="番禺居民区"),
        actor=actor,
        file_name=roll.name,
    )


def test_remove_demo_leaves_the_real_area_untouched(capsys):
    seed_demo()
    real_area()
    real_counts = (
        Unit.objects.filter(compound__name="番禺小区").count(),
        Owner.objects.filter(identifier__in=["A1", "B1"]).count(),
    )
    call_command("remove_demo", dry_run=True)
    assert "would remove" in capsys.readouterr().out
    assert SubDistrict.objects.filter(is_demo=True).exists()  # a dry run removes nothing
    call_command("remove_demo")
    assert "Demo removed" in capsys.readouterr().out
    assert not SubDistrict.objects.filter(is_demo=True).exists()
    assert (
        not Decision.objects.exists() and not PropertyCompany.objects.filter(is_demo=True).exists()
    )
    assert not User.objects.filter(is_demo=True).exists()
    assert list(Compound.objects.values_list("name", flat=True)) == ["番禺小区"]
    assert real_counts == (2, 2)
    assert Unit.objects.count() == 2 and Owner.objects.count() == 2
    official = User.objects.get(phone="13800138000")
    assert Membership.objects.filter(user=official).exists()
    assert not AuditEvent.objects.filter(subject_label__contains="水霞").exists()
    call_command("remove_demo")
    assert "No demo data" in capsys.readouterr().out


def test_a_demo_account_used_for_real_work_is_kept():
    seed_demo()
    admin = User.objects.get(username="admin")
    real_area(actor=admin)  # the demo admin imported a real roll
    call_command("remove_demo")
    assert User.objects.filter(username="admin").exists()
    assert not User.objects.filter(username="owner").exists()
    assert Unit.objects.count() == 2
