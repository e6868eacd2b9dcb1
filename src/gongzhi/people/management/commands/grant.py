"""`gongzhi grant`: give someone a role, and invite them by SMS."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Role
from gongzhi.core.errors import ApplicationError
from gongzhi.people.services.grants import person_grant
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    PropertyCompany,
    SubDistrict,
)

ROLES = {
    "official": Role.SUB_DISTRICT_OFFICIAL,
    "clerk": Role.CLERK,
    "committee": Role.COMMITTEE_MEMBER,
    "company": Role.COMPANY_STAFF,
    "expert": Role.EXPERT,
    "economic": Role.ECONOMIC_OFFICER,
    "foundation": Role.FOUNDATION_CLERK,
    "district": Role.DISTRICT_OFFICER,
    "merchant": Role.MERCHANT,
}
# Roles over an organisation, and the kind it must be.
ORGANISATION_ROLES = {
    Role.FOUNDATION_CLERK: OrganisationKind.FOUNDATION,
    Role.DISTRICT_OFFICER: OrganisationKind.GOVERNMENT_OFFICE,
    Role.MERCHANT: OrganisationKind.MERCHANT,
}


class Command(BaseCommand):
    help = (
        "Give a person (found or created by mobile number) a role over a scope, and send "
        "them an SMS invitation with a link to set a password. Roles and their scope: "
        "official --sub-district; clerk --area (with --sub-district when the name is not "
        "unique); committee --compound (with --area) [--term-ends YYYY-MM-DD]; company "
        "--company (name or credit code); expert; economic --sub-district; foundation, "
        "district and merchant --organisation (the foundation, the office running a "
        "certification scheme, the shop). Example: gongzhi grant official "
        "--sub-district 新华路街道 --phone 13800138000 --name 王芳"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", choices=sorted(ROLES))
        parser.add_argument("--phone", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--sub-district")
        parser.add_argument("--area")
        parser.add_argument("--compound")
        parser.add_argument("--company")
        parser.add_argument("--organisation")
        parser.add_argument("--term-ends", type=dt.date.fromisoformat)

    def _one(self, queryset, label: str, value: str):
        found = list(queryset[:2])
        if not found:
            raise CommandError(_("No %(what)s named %(name)s.") % {"what": label, "name": value})
        if len(found) > 1:
            raise CommandError(
                _(
                    "Several %(what)s are named %(name)s: "
                    "narrow it down with --sub-district or --area."
                )
                % {"what": label, "name": value}
            )
        return found[0]

    def handle(self, *args, role, phone, name, **options):
        role = ROLES[role]
        scope = {}
        sub_name, area_name = options.get("sub_district"), options.get("area")
        needs = {
            Role.SUB_DISTRICT_OFFICIAL: ("sub_district", "--sub-district"),
            Role.ECONOMIC_OFFICER: ("sub_district", "--sub-district"),
            Role.FOUNDATION_CLERK: ("organisation", "--organisation"),
            Role.DISTRICT_OFFICER: ("organisation", "--organisation"),
            Role.MERCHANT: ("organisation", "--organisation"),
            Role.CLERK: ("area", "--area"),
            Role.COMMITTEE_MEMBER: ("compound", "--compound"),
            Role.COMPANY_STAFF: ("company", "--company"),
        }.get(role)
        if needs and not options.get(needs[0]):
            raise CommandError(_("This role needs %(option)s.") % {"option": needs[1]})
        if role in ORGANISATION_ROLES:
            value = options["organisation"]
            scope["organisation"] = self._one(
                Organisation.objects.filter(kind=ORGANISATION_ROLES[role], name=value),
                _("organisation"),
                value,
            )
        elif role in (Role.SUB_DISTRICT_OFFICIAL, Role.ECONOMIC_OFFICER):
            scope["sub_district"] = self._one(
                SubDistrict.objects.filter(name=sub_name), _("sub-district"), sub_name
            )
        elif role == Role.CLERK:
            areas = Neighbourhood.objects.filter(name=area_name)
            if sub_name:
                areas = areas.filter(sub_district__name=sub_name)
            scope["neighbourhood"] = self._one(areas, _("residents' area"), area_name)
        elif role == Role.COMMITTEE_MEMBER:
            compounds = Compound.objects.filter(name=options["compound"])
            if area_name:
                compounds = compounds.filter(neighbourhood__name=area_name)
            if sub_name:
                compounds = compounds.filter(neighbourhood__sub_district__name=sub_name)
            scope["compound"] = self._one(compounds, _("compound"), options["compound"])
        elif role == Role.COMPANY_STAFF:
            value = options["company"]
            companies = PropertyCompany.objects.filter(
                credit_code=value.upper()
            ) or PropertyCompany.objects.filter(name=value)
            scope["company"] = self._one(companies, _("property company"), value)
        try:
            membership = person_grant(
                actor=None,
                role=role,
                phone=phone,
                name=name,
                term_ends_on=options.get("term_ends"),
                **scope,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        where = next(iter(scope.values()), "")
        self.stdout.write(
            _("%(name)s (%(phone)s) is %(role)s of %(where)s; an SMS invitation is queued.")
            % {"name": name, "phone": membership.user.phone, "role": role.label, "where": where}
        )
