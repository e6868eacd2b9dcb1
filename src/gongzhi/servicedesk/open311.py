"""Open311 GeoReport v2 at ``/open311/v2/``, so that existing civic tools can read
and post to the desk.

- ``GET services.json`` — the categories (``service_code``, ``service_name`` …);
- ``GET services/{service_code}.json`` — its attributes: the compound (required when
  neither the point nor the address names one) and the building;
- ``GET requests.json`` — filters ``service_request_id`` (comma-separated),
  ``service_code``, ``start_date``, ``end_date``, ``status`` (open, closed); the
  latest 1,000 at most (90 days by default, as the spec suggests);
- ``GET requests/{id}.json``;
- ``POST requests.json`` — form-encoded, ``api_key`` required (``gongzhi
  open311_key``); the place by ``lat``/``long`` (the nearest compound within 500 m),
  by ``address_string`` (a compound's name or address) or the ``compound`` attribute.

Public reads carry no personal data: no description, no reporter, no unit; the point
is the compound's. ``status`` is ``open`` or ``closed`` as the spec says, and our
richer status and outcome are in ``status_notes``. Errors are the spec's
``[{"code", "description"}]`` with 400, 403 or 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.registry.models import Building, Compound, SubDistrict

from .events import DeskEvent
from .geo import metres
from .models import OPEN_STATUSES, Category, Channel, Open311Key, Place, ServiceRequest, Status
from .services.requests import NEARBY_METRES, create_request
from .services.routing import party_label

KEY_PREFIX = "o311_"
POSTS_PER_HOUR = 60
MAX_LISTED = 1000


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def key_issue(*, name: str, sub_district: SubDistrict) -> tuple[Open311Key, str]:
    """A new integrator key; the raw value is shown once and only its hash kept."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the integrator's name."))
    raw = KEY_PREFIX + secrets.token_urlsafe(24)
    key = Open311Key.objects.create(
        name=name[:100], sub_district=sub_district, key_hash=_hash(raw), prefix=raw[:10]
    )
    audit_log(event_type=DeskEvent.OPEN311_KEY_ISSUED, actor=None, subject=key, new={"name": name})
    return key, raw


@transaction.atomic
def key_revoke(*, key: Open311Key) -> Open311Key:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_log(event_type=DeskEvent.OPEN311_KEY_REVOKED, actor=None, subject=key)
    return key


def _key(raw: str) -> Open311Key | None:
    if not raw or not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    return (
        Open311Key.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .select_related("sub_district")
        .first()
    )


def _categories(request) -> list[Category]:
    """The categories of the sub-district named by ``jurisdiction_id`` (its id), or of
    every sub-district."""
    rows = Category.objects.filter(active=True).select_related("sub_district")
    jurisdiction = request.GET.get("jurisdiction_id", "")
    if jurisdiction.isdigit():
        rows = rows.filter(sub_district_id=int(jurisdiction))
    return list(rows.order_by("sub_district_id", "position"))


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": category.sub_district.name,
    }


@require_GET
def services(request):
    return _json([_service(c) for c in _categories(request)])


@require_GET
def service_definition(request, code: str):
    category = next((c for c in _categories(request) if c.code == code), None)
    if category is None:
        return _error(404, _("No such service."))
    compounds = Compound.objects.filter(
        neighbourhood__sub_district_id=category.sub_district_id
    ).order_by("name")
    return _json(
        {
            "service_code": category.code,
            "attributes": [
                {
                    "variable": True,
                    "code": "compound",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": (
                        "the compound, when neither lat/long nor address_string names it"
                    ),
                    "order": 1,
                    "description": "小区",
                    "values": [{"key": str(c.pk), "name": c.name} for c in compounds],
                },
                {
                    "variable": True,
                    "code": "building",
                    "datatype": "string",
                    "required": False,
                    "datatype_description": "the building's name, e.g. 3号楼",
                    "order": 2,
                    "description": "楼栋",
                },
            ],
        }
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _public(request_: ServiceRequest) -> dict:
    status = "open" if request_.status in OPEN_STATUSES else "closed"
    notes = str(Status(request_.status).label)
    if request_.outcome:
        from .models import Outcome

        notes += f" · {Outcome(request_.outcome).label}"
    compound = request_.compound
    return {
        "service_request_id": str(request_.pk),
        "status": status,
        "status_notes": notes,
        "service_name": request_.category.name,
        "service_code": request_.category.code,
        "agency_responsible": party_label(request_),
        "service_notice": "",
        "requested_datetime": _iso(request_.created_at),
        "updated_datetime": _iso(
            request_.closed_at
            or request_.resolved_at
            or request_.accepted_at
            or request_.created_at
        ),
        "expected_datetime": _iso(request_.resolve_due) if status == "open" else None,
        "address": f"{compound.neighbourhood.name} {compound.name}",
        "lat": float(compound.latitude) if compound.latitude is not None else None,
        "long": float(compound.longitude) if compound.longitude is not None else None,
    }


def _date(text: str) -> dt.datetime | None:
    try:
        parsed = parse_datetime(text) if text else None
    except ValueError:  # well-formed but impossible (month 13)
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _listing(request):
    rows = ServiceRequest.objects.select_related(
        "category", "compound__neighbourhood", "party_company", "party_organisation"
    )
    ids = request.GET.get("service_request_id", "")
    if ids:
        wanted = [part.strip() for part in ids.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) <= 18 for part in wanted):
            return _error(400, _("service_request_id: comma-separated numbers."))
        return _json([_public(r) for r in rows.filter(pk__in=[int(p) for p in wanted])])
    code = request.GET.get("service_code", "")
    if code:
        rows = rows.filter(category__code=code)
    start_text, end_text = request.GET.get("start_date", ""), request.GET.get("end_date", "")
    start, end = _date(start_text), _date(end_text)
    if (start_text and start is None) or (end_text and end is None):
        return _error(
            400, _("start_date and end_date are ISO 8601 times, e.g. 2026-11-01T00:00:00+08:00.")
        )
    if start is None and end is None:
        start = clock.now() - dt.timedelta(days=90)
    if start is not None:
        rows = rows.filter(created_at__gte=start)
    if end is not None:
        rows = rows.filter(created_at__lte=end)
    status = request.GET.get("status", "")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        rows = rows.exclude(status__in=OPEN_STATUSES)
    elif status:
        return _error(400, _("status is open or closed."))
    jurisdiction = request.GET.get("jurisdiction_id", "")
    if jurisdiction.isdigit():
        rows = rows.filter(compound__neighbourhood__sub_district_id=int(jurisdiction))
    return _json([_public(r) for r in rows.order_by("-created_at")[:MAX_LISTED]])


@csrf_exempt  # an API for other systems: authenticated by api_key, no cookies involved
@require_http_methods(["GET", "POST"])
def requests(request):
    if request.method == "GET":
        return _listing(request)
    return _post(request)


@require_GET
def request_detail(request, pk: int):
    found = (
        ServiceRequest.objects.select_related(
            "category", "compound__neighbourhood", "party_company", "party_organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        return _error(404, _("No such service request."))
    return _json([_public(found)])


def _compound_for(key: Open311Key, data) -> Compound | None:
    compounds = Compound.objects.filter(neighbourhood__sub_district=key.sub_district)
    chosen = data.get("attribute[compound]", "")
    if chosen:
        return compounds.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    lat, lon = data.get("lat", ""), data.get("long", "")
    if lat or lon:
        try:
            point = Decimal(lat), Decimal(lon)
        except InvalidOperation:
            raise ApplicationError(_("lat and long are decimal degrees.")) from None
        nearest = None
        for compound in compounds.exclude(latitude=None).exclude(longitude=None):
            distance = metres(compound.latitude, compound.longitude, *point)  # type: ignore[arg-type]
            if distance <= NEARBY_METRES and (nearest is None or distance < nearest[0]):
                nearest = (distance, compound)
        return nearest[1] if nearest else None
    address = (data.get("address_string", "") or "").strip()
    if address:
        for compound in compounds:
            if compound.name in address or (compound.address and compound.address in address):
                return compound
    return None


def _post(request):
    data = request.POST
    key = _key(data.get("api_key", ""))
    if key is None:
        return _error(403, _("A valid api_key is required."))
    try:
        ratelimit.require("open311-post", str(key.pk), limit=POSTS_PER_HOUR, window=3600)
    except RateLimited as exc:
        return _error(429, exc.message)
    category = Category.objects.filter(
        sub_district=key.sub_district, code=data.get("service_code", ""), active=True
    ).first()
    if category is None:
        return _error(400, _("service_code: no such service."))
    try:
        compound = _compound_for(key, data)
        if compound is None:
            return _error(
                400,
                _(
                    "Say where: lat/long within a compound, its name in address_string, "
                    "or attribute[compound]."
                ),
            )
        building = None
        if data.get("attribute[building]"):
            building = Building.objects.filter(
                compound=compound, name=data["attribute[building]"].strip()
            ).first()
            if building is None:
                return _error(
                    400,
                    _("attribute[building]: no such building in %(compound)s.")
                    % {"compound": compound.name},
                )
        lat, lon = data.get("lat", ""), data.get("long", "")
        name = " ".join(
            part for part in (data.get("last_name", ""), data.get("first_name", "")) if part
        ).strip()
        created = create_request(
            compound=compound,
            category=category,
            place=Place.BUILDING if building else Place.OTHER,
            description=data.get("description", ""),
            building=building,
            unit=None,
            place_note=(data.get("address_string", "") or "")[:200],
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lon) if lon else None,
            emergency=False,
            warranty=False,
            paid=False,
            asset=None,
            photos=(),
            channel=Channel.OPEN311,
            reporter=None,
            recorded_by=None,
            reporter_name=name[:100],
            reporter_phone=(data.get("phone", "") or "")[:20],
            actor=None,
            now=clock.now(),
        )
    except ApplicationError as exc:
        return _error(400, exc.message)
    return _json(
        [{"service_request_id": str(created.pk), "service_notice": "", "account_id": None}],
        status=201,
    )
