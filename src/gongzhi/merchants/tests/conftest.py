"""The certification scheme every merchants test starts from: a district office with
its officer, a scheme of three criteria (pass mark 70), a sub-district's economic
officer, a shop with its merchant, and three experts (passwords set for the browser)."""

import pytest

from gongzhi.accounts.models import Role
from gongzhi.merchants import services
from gongzhi.merchants.models import Scheme
from gongzhi.registry.models import Organisation, OrganisationKind
from gongzhi.registry.tests.factories import SubDistrictFactory, user_with_role

PASSWORD = "pw-for-tests-1"


def user(name, role=None, **scope):
    account = user_with_role(name, role, **scope)
    account.set_password(PASSWORD)
    account.save()
    return account


@pytest.fixture
def scheme():
    sd = SubDistrictFactory(name="仙霞新村街道", district="长宁区")
    other_sd = SubDistrictFactory(name="新华路街道", district="长宁区")
    office = Organisation.objects.create(kind=OrganisationKind.GOVERNMENT_OFFICE, name="团区委")
    officer = user("district", Role.DISTRICT_OFFICER, organisation=office)
    plan = Scheme.objects.create(
        run_by=office, district="长宁区", name="青春经济特色商家认证", number_prefix="CNQC"
    )
    version = services.version_create(
        scheme=plan,
        criteria=[
            ("youth", "青春特色", 40),
            ("quality", "品质与服务", 40),
            ("community", "社区贡献", 20),
        ],
        pass_mark=70,
        valid_months=24,
        actor=officer,
    )
    econ = user("econ", Role.ECONOMIC_OFFICER, sub_district=sd)
    shop = services.merchant_save(
        actor=econ,
        sub_district=sd,
        name="向野制果",
        address="茅台路553号",
        category="bakery",
        latitude="31.2100",
        longitude="121.3900",
    )
    keeper = user("keeper", Role.MERCHANT, organisation=shop.organisation)
    reviewers = [user(f"r{i}", Role.EXPERT) for i in range(3)]
    return {
        "sd": sd,
        "other_sd": other_sd,
        "office": office,
        "officer": officer,
        "scheme": plan,
        "version": version,
        "econ": econ,
        "shop": shop,
        "keeper": keeper,
        "reviewers": reviewers,
        "other_econ": user("econ2", Role.ECONOMIC_OFFICER, sub_district=other_sd),
    }
