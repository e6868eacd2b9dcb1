import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from gongzhi.core.identifiers import InvalidIdentifier
from gongzhi.registry.models import PropertyCompany, Unit

from .factories import CompoundFactory

pytestmark = pytest.mark.django_db


def test_company_credit_code_is_validated_on_save():
    with pytest.raises(InvalidIdentifier):
        PropertyCompany.objects.create(name="坏代码", credit_code="91350100M000100Y44")
    company = PropertyCompany(name="好代码", credit_code="91350100m000100y43")
    company.save()
    assert company.credit_code == "91350100M000100Y43"


def test_credit_code_field_validator_for_forms():
    company = PropertyCompany(name="x", credit_code="91350100M000100Y44")
    with pytest.raises(ValidationError):
        company.full_clean()


def test_database_refuses_non_positive_area():
    with pytest.raises(IntegrityError):
        Unit.objects.create(compound=CompoundFactory(), number="1", area="0.00")
