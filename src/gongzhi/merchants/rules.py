"""Who may do what in the featured-merchant certification (django-rules).

- ``merchants.run``        change a scheme, set panels, decide applications, suspend
                           and revoke certificates, handle outdated reports: the
                           officers of the office that runs the scheme
- ``merchants.nominate``   nominate (推送) a merchant of the sub-district: its
                           economic-development officers and officials
- ``merchants.keep``       a shop's own profile and applications: its merchant
- ``merchants.review``     score an application: the members of its panel
- ``merchants.view_application``  any of the above for that application
- ``merchants.view_merchant``  a shop's profile: anyone while it holds a valid
                           certificate; otherwise its merchant, its sub-district's
                           officers and the office that certified it
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Application, Merchant, Scheme


def _scheme_office(obj) -> int | None:
    if isinstance(obj, Scheme):
        return obj.run_by_id
    if isinstance(obj, Application):
        return obj.version.scheme.run_by_id
    return None


@rules.predicate
def runs_scheme(user, obj) -> bool:
    office = _scheme_office(obj)
    return office is not None and office in scopes_for(user).schemes_run_by


@rules.predicate
def nominates(user, obj) -> bool:
    merchant = obj.merchant if isinstance(obj, Application) else obj
    if not isinstance(merchant, Merchant):
        return False
    scopes = scopes_for(user)
    return merchant.sub_district_id in (scopes.economic_sub_districts | scopes.sub_districts)


@rules.predicate
def keeps(user, obj) -> bool:
    merchant = obj.merchant if isinstance(obj, Application) else obj
    return (
        isinstance(merchant, Merchant)
        and merchant.organisation_id in scopes_for(user).merchant_organisations
    )


@rules.predicate
def on_panel(user, application) -> bool:
    return (
        isinstance(application, Application)
        and user.is_authenticated
        and application.panel.filter(pk=user.pk).exists()
    )


@rules.predicate
def listed(user, merchant) -> bool:
    """In the public directory: holds a certificate valid today."""
    from gongzhi.core import clock

    from .selectors import current_certificate

    return (
        isinstance(merchant, Merchant) and current_certificate(merchant, clock.today()) is not None
    )


@rules.predicate
def certifies(user, merchant) -> bool:
    """The office whose scheme last certified the shop (a revoked shop stays theirs)."""
    from .selectors import latest_certificate

    latest = latest_certificate(merchant) if isinstance(merchant, Merchant) else None
    return latest is not None and latest.application.version.scheme.run_by_id in (
        scopes_for(user).schemes_run_by
    )


rules.add_perm("merchants.run", rules.is_superuser | runs_scheme)
rules.add_perm("merchants.nominate", rules.is_superuser | nominates)
rules.add_perm("merchants.keep", rules.is_superuser | keeps)
rules.add_perm("merchants.review", on_panel)
rules.add_perm(
    "merchants.view_merchant", listed | rules.is_superuser | keeps | nominates | certifies
)
rules.add_perm(
    "merchants.view_application",
    rules.is_superuser | runs_scheme | nominates | keeps | on_panel,
)
