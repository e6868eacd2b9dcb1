"""Reporting a service request: by an owner for their compound, by staff on someone's
behalf, or by an Open311 client; checked completely before anything is written, then
routed. Neighbours join an open request with "me too"; photos are added later."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock, ratelimit
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.identifiers import InvalidIdentifier, normalise_mobile
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Building, Compound, Unit

from .. import deadlines
from ..geo import metres
from ..models import (
    OPEN_STATUSES,
    Asset,
    Category,
    Channel,
    Incident,
    PhotoStage,
    Place,
    RequestPhoto,
    ServiceRequest,
    Watcher,
)
from .routing import history_add, party_label, policy_minutes, route

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

MAX_DESCRIPTION = 2000
MAX_PHOTOS = 5
NEARBY_METRES = 500  # a map point further than this from the compound is refused
REPORT_LIMITS = {"per_user": 10, "per_address": 30, "window": 3600}

# --- reporting ------------------------------------------------------------------


def similar_open(*, compound: Compound, category: Category, building: Building | None = None):
    """Open requests of the same kind in the same compound (and building), to join
    with "me too" instead of reporting twice."""
    candidates = ServiceRequest.objects.filter(
        compound=compound, category=category, status__in=OPEN_STATUSES
    )
    if building is not None:
        candidates = candidates.filter(building=building)
    return candidates.order_by("-created_at")[:5]


def request_report(
    *,
    actor: User | None,
    compound: Compound,
    category: Category,
    place: str,
    description: str,
    building: Building | None = None,
    unit: Unit | None = None,
    place_note: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    emergency: bool = False,
    warranty: bool = False,
    paid: bool = False,
    asset: Asset | None = None,
    photos: Sequence[Any] = (),
    channel: str = Channel.ONLINE,
    reporter_name: str = "",
    reporter_phone: str = "",
    address: str = "",
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Report a request: an owner for their compound, or staff on someone's behalf
    (a phone call, a walk-in, a meeting). Checked completely before anything is
    written; routed to the party the category names for this compound."""
    now = clock.now(now)
    if actor is None or not actor.is_authenticated:
        raise PermissionRefused(_("Sign in to report."))
    ratelimit.require(
        "desk-report-user",
        str(actor.pk),
        limit=REPORT_LIMITS["per_user"],
        window=REPORT_LIMITS["window"],
    )
    if address:
        ratelimit.require(
            "desk-report-addr",
            address,
            limit=REPORT_LIMITS["per_address"],
            window=REPORT_LIMITS["window"],
        )
    if not actor.has_perm("servicedesk.report", compound):
        raise PermissionRefused(
            _("You may not report for %(compound)s.") % {"compound": compound.name}
        )
    if channel not in Channel.values or channel == Channel.OPEN311:
        raise ApplicationError(_("Unknown channel."))
    staff = actor.is_superuser or actor.has_perm("servicedesk.manage_assets", compound)
    on_behalf = channel != Channel.ONLINE or bool(reporter_name or reporter_phone)
    if on_behalf and not staff:
        raise PermissionRefused(_("Only staff record a request on someone's behalf."))
    if unit is not None and unit.compound_id == compound.pk and not staff:
        if not actor.has_perm("registry.view_unit", unit):
            raise PermissionRefused(_("This is not your unit."))
    return create_request(
        compound=compound,
        category=category,
        place=place,
        description=description,
        building=building,
        unit=unit,
        place_note=place_note,
        latitude=latitude,
        longitude=longitude,
        emergency=emergency,
        warranty=warranty,
        paid=paid,
        asset=asset,
        photos=photos,
        channel=channel,
        reporter=None if on_behalf else actor,
        recorded_by=actor if on_behalf else None,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        actor=actor,
        now=now,
    )


def create_request(
    *,
    compound: Compound,
    category: Category,
    place: str,
    description: str,
    building: Building | None,
    unit: Unit | None,
    place_note: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    emergency: bool,
    warranty: bool,
    paid: bool,
    asset: Asset | None,
    photos: Sequence[Any],
    channel: str,
    reporter,
    recorded_by,
    reporter_name: str,
    reporter_phone: str,
    actor: User | None,
    now: dt.datetime,
) -> ServiceRequest:
    """Check what a request says about itself and write it: the caller has checked who
    reports (a signed-in person, or an Open311 key)."""
    if category.sub_district_id != compound.neighbourhood.sub_district_id or not category.active:
        raise ApplicationError(_("Unknown category for this compound."))
    if place not in Place.values:
        raise ApplicationError(_("Say where it is."))
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe what is wrong."))
    if len(description) > MAX_DESCRIPTION:
        raise ApplicationError(
            _("The description is longer than %(max)d characters.") % {"max": MAX_DESCRIPTION}
        )
    if building is not None and building.compound_id != compound.pk:
        raise ApplicationError(
            _("This building is not in %(compound)s.") % {"compound": compound.name}
        )
    if unit is not None:
        if unit.compound_id != compound.pk:
            raise ApplicationError(
                _("This unit is not in %(compound)s.") % {"compound": compound.name}
            )
        building = building or unit.building
    if place == Place.UNIT and unit is None:
        raise ApplicationError(_("Choose the unit."))
    if asset is not None and asset.compound_id != compound.pk:
        raise ApplicationError(
            _("This asset is not in %(compound)s.") % {"compound": compound.name}
        )
    _check_point(compound, latitude, longitude)
    reporter_phone = _phone(reporter_phone)
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
    checked = [read_upload(photo, kinds=("jpeg", "png")) for photo in photos]
    response, resolve = policy_minutes(
        category, deadlines.urgency(emergency=emergency, warranty=warranty, paid=paid)
    )
    due = deadlines.due(now, response, resolve)
    with transaction.atomic():
        request = ServiceRequest(
            compound=compound,
            building=building,
            unit=unit,
            place=place,
            place_note=(place_note or "").strip()[:200],
            latitude=latitude,
            longitude=longitude,
            category=category,
            asset=asset,
            description=description,
            emergency=emergency,
            warranty=warranty,
            paid=paid,
            channel=channel,
            reporter=reporter,
            reporter_name=(reporter_name or "").strip()[:100],
            reporter_phone=(reporter_phone or "").strip()[:20],
            recorded_by=recorded_by,
            created_at=now,
            response_due=due.response,
            resolve_due=due.resolve,
            party=category.party,
        )
        route(request, category.party, organisation=category.organisation, on=now.date())
        request.incident = _open_incident_for(request)
        request.save()
        for upload in checked:
            upload.save_into(
                RequestPhoto(request=request, stage=PhotoStage.REPORT, uploaded_by=actor)
            )
        history_add(request, "submitted", actor, now=now)
    from ..notify import tell_handlers

    tell_handlers(request, "submitted")
    return request


LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def _phone(value: str) -> str:
    """The caller's number as typed by staff: a mobile (normalised) or a landline."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        return normalise_mobile(text)
    except InvalidIdentifier:
        if LANDLINE.fullmatch(text.replace(" ", "")):
            return text.replace(" ", "")
    raise ApplicationError(
        _("Reporter's phone %(value)s: give a mobile number or a landline like 021-62345678.")
        % {"value": text[:20]}
    )


def _check_point(compound: Compound, latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("Give both coordinates of the map point, or neither."))
    if latitude is None or longitude is None:
        return
    if not (Decimal(-90) <= latitude <= Decimal(90) and Decimal(-180) <= longitude <= Decimal(180)):
        raise ApplicationError(_("The map point is not a place on Earth."))
    if compound.latitude is not None and compound.longitude is not None:
        distance = metres(compound.latitude, compound.longitude, latitude, longitude)
        if distance > NEARBY_METRES:
            raise ApplicationError(
                _(
                    "The map point is %(metres)d m from %(compound)s, more than %(limit)d m: "
                    "report it where it is."
                )
                % {"metres": distance, "compound": compound.name, "limit": NEARBY_METRES}
            )


def _open_incident_for(request: ServiceRequest) -> Incident | None:
    """A lift fault in a building whose lift is known to be out joins that incident."""
    if request.building_id is None or request.category.asset_kind != "lift":
        return None
    return (
        Incident.objects.filter(
            building_id=request.building_id, kind="lift_out", ended_at__isnull=True
        )
        .order_by("-started_at")
        .first()
    )


@transaction.atomic
def request_me_too(
    *, request: ServiceRequest, actor: User, now: dt.datetime | None = None
) -> Watcher:
    """A neighbour joins an open request instead of reporting it again."""
    now = clock.now(now)
    if not request.is_open:
        raise ApplicationError(_("Only an open request is joined."))
    if not actor.has_perm("servicedesk.report", request.compound):
        raise PermissionRefused(
            _("You may not report for %(compound)s.") % {"compound": request.compound.name}
        )
    if request.reporter_id == actor.pk:
        raise ApplicationError(_("This is your own request."))
    watcher, created = Watcher.objects.get_or_create(request=request, user=actor)
    if created:
        history_add(
            request,
            "me_too",
            actor,
            old_status=request.status,
            old_party=party_label(request),
            now=now,
        )
    return watcher


def photos_add(
    *, request: ServiceRequest, stage: str, photos: Sequence[Any], actor: User
) -> list[RequestPhoto]:
    """Before/after photos from the executor (or more photos from the reporter)."""
    if stage not in PhotoStage.values:
        raise ApplicationError(_("Unknown stage."))
    allowed = actor.has_perm("servicedesk.work_request", request) or (
        stage == PhotoStage.REPORT and request.reporter_id == actor.pk
    )
    if not allowed:
        raise PermissionRefused(_("You may not add photos to this request."))
    if not photos:
        raise ApplicationError(_("Choose a photo."))
    if request.photos.count() + len(photos) > 3 * MAX_PHOTOS:
        raise ApplicationError(_("This request has enough photos."))
    checked = [read_upload(photo, kinds=("jpeg", "png")) for photo in photos]
    with transaction.atomic():
        return [
            upload.save_into(RequestPhoto(request=request, stage=stage, uploaded_by=actor))
            for upload in checked
        ]
