"""factory_boy factories for registry and accounts test data."""

from decimal import Decimal

import factory

from gongzhi.accounts.models import Membership, Role, User
from gongzhi.registry.models import (
    Building,
    Compound,
    Neighbourhood,
    Owner,
    Ownership,
    PropertyCompany,
    SubDistrict,
    Unit,
)


class SubDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubDistrict
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试街道{n}")
    district = "长宁区"
    city = "上海市"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    sub_district = factory.SubFactory(SubDistrictFactory)
    name = factory.Sequence(lambda n: f"测试居民区{n}")


def _credit_code(n: int) -> str:
    from gongzhi.core.identifiers import credit_code_check_character

    first17 = f"91310105{n:09d}"
    return first17 + credit_code_check_character(first17)


class PropertyCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropertyCompany

    name = factory.Sequence(lambda n: f"测试物业{n}")
    credit_code = factory.Sequence(_credit_code)


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    compound = factory.SubFactory(CompoundFactory)
    building = None
    number = factory.Sequence(lambda n: f"1-{n:03d}")
    area = Decimal("60.00")


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    sub_district = factory.SubFactory(SubDistrictFactory)
    identifier = factory.Sequence(lambda n: f"O-{n:06d}")
    name = factory.Sequence(lambda n: f"张{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    unit = factory.SubFactory(UnitFactory)
    owner = factory.SubFactory(OwnerFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


def unit_with_owners(compound, number, area, owners, **fields) -> Unit:
    """A unit of ``compound`` owned by the given Owner objects (none: developer-held)."""
    unit = UnitFactory(compound=compound, number=number, area=Decimal(area), **fields)
    for owner in owners:
        Ownership.objects.create(unit=unit, owner=owner)
    return unit


def user_with_role(name: str, role=None, **scope) -> User:
    """A user, with a membership in ``role`` over ``scope`` (sub_district=, neighbourhood=,
    compound=, owner=, company=) when a role is given."""
    from gongzhi.accounts.services import membership_grant

    account = UserFactory(username=name)
    if role:
        membership_grant(user=account, role=role, actor=None, **scope)
    return account
