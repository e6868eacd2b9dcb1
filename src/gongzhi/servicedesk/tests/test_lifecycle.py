"""A request from report to closure: routing, every step guarded, history kept, the
reopen window to the second, the clock paused by a deferral."""

import datetime as dt

import pytest

from gongzhi.core.audit import AuditEvent
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.selection.models import ServiceContract
from gongzhi.servicedesk.models import Outcome, PartyKind, RequestEvent, ServiceRequest, Status
from gongzhi.servicedesk.services import care, steps
from gongzhi.servicedesk.services.requests import request_me_too

from .conftest import T0

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def test_a_leak_from_report_to_the_owners_confirmation(desk):
    u = desk.users
    item = desk.report(place="unit", unit=desk.units["mine"], description="卫生间顶部渗水")
    assert (item.status, item.party, item.party_company) == (
        Status.SUBMITTED,
        PartyKind.COMPANY,
        desk.companies["纺原物业"],
    )
    assert item.building == desk.building  # from the unit
    assert (item.response_due, item.resolve_due) == (T0 + D, T0 + 3 * D)
    item = steps.request_accept(request=item, actor=u["provider"], now=T0 + H)
    item = steps.request_assign(request=item, executor=u["worker"], actor=u["provider"], now=T0 + H)
    item = steps.request_start(request=item, actor=u["worker"], now=T0 + 2 * H)
    item = steps.request_resolve(
        request=item, outcome=Outcome.FIXED, reason="", actor=u["worker"], now=T0 + 5 * H
    )
    assert (item.status, item.resolved_at) == (Status.RESOLVED, T0 + 5 * H)
    care.feedback_give(
        request=item, actor=u["owner"], fixed=True, overall=5, speed=4, attitude=5, now=T0 + 6 * H
    )
    item.refresh_from_db()
    assert (item.status, item.closed_at) == (Status.CLOSED, T0 + 6 * H)
    steps_taken = list(item.events.values_list("kind", "from_status", "to_status"))
    assert steps_taken == [
        ("submitted", "", "submitted"),
        ("accepted", "submitted", "accepted"),
        ("assigned", "accepted", "assigned"),
        ("started", "assigned", "in_progress"),
        ("resolved", "in_progress", "resolved"),
        ("feedback", "resolved", "resolved"),
        ("closed", "resolved", "closed"),
    ]
    roles = dict(item.events.values_list("kind", "role"))
    assert roles["accepted"] == "纺原物业" and roles["feedback"] == "报事人"
    assert AuditEvent.objects.filter(subject_id=str(item.pk)).count() >= 6


def test_the_company_under_contract_gets_the_request_not_the_registry_one(desk):
    # 纺原物业 is the registry's; 大楼物业 took over by contract on 2026-03-01
    contract = ServiceContract.objects.create(
        company=desk.companies["大楼物业"],
        public_revenue_share="70",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2029, 2, 28),
        signed_on=dt.date(2026, 2, 1),
        recorded_by=desk.users["clerk"],
    )
    contract.compounds.add(desk.shuixia)
    before = desk.report(now=T0 - 2 * D)  # 2026-02-28: the old company's
    after = desk.report(now=T0)
    assert before.party_company == desk.companies["纺原物业"]
    assert after.party_company == desk.companies["大楼物业"]
    assert desk.users["other_company"].has_perm("servicedesk.work_request", after)
    assert not desk.users["provider"].has_perm("servicedesk.work_request", after)


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("start", Status.SUBMITTED),
        ("resume", Status.ACCEPTED),
        ("close", Status.ACCEPTED),
        ("reopen", Status.ACCEPTED),
        ("accept", Status.RESOLVED),
        ("defer", Status.SUBMITTED),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(desk, step, status):
    u = desk.users
    item = desk.report()
    if status != Status.SUBMITTED:
        item = steps.request_accept(request=item, actor=u["provider"], now=T0 + H)
    if status == Status.RESOLVED:
        item = steps.request_resolve(
            request=item, outcome=Outcome.FIXED, reason="", actor=u["provider"], now=T0 + 2 * H
        )
    events = RequestEvent.objects.count()
    calls = {
        "start": lambda: steps.request_start(request=item, actor=u["provider"]),
        "resume": lambda: steps.request_resume(request=item, actor=u["provider"]),
        "close": lambda: steps.request_close(request=item, actor=u["owner"]),
        "reopen": lambda: steps.request_reopen(request=item, actor=u["owner"], reason="还在漏"),
        "accept": lambda: steps.request_accept(request=item, actor=u["provider"]),
        "defer": lambda: steps.request_defer(
            request=item, until=T0 + 5 * D, reason="等配件", actor=u["provider"], now=T0
        ),
    }
    with pytest.raises(ApplicationError, match="cannot be|不能"):
        calls[step]()
    assert ServiceRequest.objects.get(pk=item.pk).status == status
    assert RequestEvent.objects.count() == events


def test_a_deferral_pauses_the_clock_exactly(desk):
    u = desk.users
    item = desk.report()
    item = steps.request_accept(request=item, actor=u["provider"], now=T0 + H)
    before = item.resolve_due
    item = steps.request_defer(
        request=item, until=T0 + H + 10 * D, reason="配件订货中", actor=u["provider"], now=T0 + H
    )
    assert item.status == Status.DEFERRED
    assert item.resolve_due - before == 10 * D
    assert not item.overdue_at(T0 + 9 * D)  # deferred: never overdue
    item = steps.request_resume(request=item, actor=u["provider"], now=T0 + 2 * D)
    assert item.status == Status.ACCEPTED and item.deferred_until is None
    assert item.resolve_due == before + 10 * D  # resuming early gives nothing back
    with pytest.raises(ApplicationError):
        steps.request_defer(
            request=item, until=T0 + 2 * D, reason="x", actor=u["provider"], now=T0 + 2 * D
        )
    with pytest.raises(ApplicationError):
        steps.request_defer(
            request=item,
            until=T0 + 2 * D + 90 * D + dt.timedelta(seconds=1),
            reason="x",
            actor=u["provider"],
            now=T0 + 2 * D,
        )


def _resolved(desk, at=T0 + 5 * H, outcome=Outcome.PARTLY_FIXED, reason="临时处理"):
    item = desk.report()
    item = steps.request_accept(request=item, actor=desk.users["provider"], now=T0 + H)
    return steps.request_resolve(
        request=item, outcome=outcome, reason=reason, actor=desk.users["provider"], now=at
    )


def test_reopening_is_possible_for_exactly_fourteen_days(desk):
    item = _resolved(desk)
    last = T0 + 5 * H + 14 * D
    with pytest.raises(ApplicationError, match="14"):
        steps.request_reopen(
            request=item,
            actor=desk.users["owner"],
            reason="还在漏",
            now=last + dt.timedelta(seconds=1),
        )
    item = steps.request_reopen(request=item, actor=desk.users["owner"], reason="还在漏", now=last)
    assert (item.status, item.reopen_count, item.outcome) == (Status.ACCEPTED, 1, "")
    assert item.resolve_due == last + 3 * D  # a full resolution time again


def test_the_quiet_close_waits_exactly_fourteen_days(desk):
    item = _resolved(desk, outcome=Outcome.FIXED, reason="")
    assert care.close_quiet(T0 + 5 * H + 14 * D) == 0
    assert care.close_quiet(T0 + 5 * H + 14 * D + dt.timedelta(seconds=1)) == 1
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.events.last().reason  # says why it closed


def test_the_company_may_not_close_for_a_reporter_with_an_account(desk):
    item = _resolved(desk)
    with pytest.raises(PermissionRefused):
        steps.request_close(request=item, actor=desk.users["provider"], now=T0 + 6 * H)
    # a phone report: the clerk confirms with the caller and closes
    phoned = desk.report(
        "clerk", channel="phone", reporter_name="陈阿姨", reporter_phone="13900001111"
    )
    assert phoned.reporter is None and phoned.recorded_by == desk.users["clerk"]
    phoned = steps.request_accept(request=phoned, actor=desk.users["provider"], now=T0 + H)
    phoned = steps.request_resolve(
        request=phoned, outcome=Outcome.FIXED, reason="", actor=desk.users["provider"]
    )
    phoned = steps.request_close(request=phoned, actor=desk.users["clerk"])
    assert phoned.status == Status.CLOSED


def test_not_fixed_feedback_reopens_and_each_rating_is_one_to_five(desk):
    item = _resolved(desk)
    for bad in (0, 6, "五", None):
        with pytest.raises(ApplicationError):
            care.feedback_give(
                request=item, actor=desk.users["owner"], fixed=True, overall=bad, speed=3,
                attitude=3, now=T0 + 6 * H,
            )  # fmt: skip
    with pytest.raises(PermissionRefused):
        care.feedback_give(
            request=item, actor=desk.users["neighbour"], fixed=True, overall=5, speed=5,
            attitude=5, now=T0 + 6 * H,
        )  # fmt: skip
    care.feedback_give(
        request=item, actor=desk.users["owner"], fixed=False, overall=2, speed=3, attitude=4,
        comment="还在滴水", now=T0 + 6 * H,
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == (Status.ACCEPTED, 1)
    assert item.events.filter(kind="reopened", reason="还在滴水").exists()


def test_a_transfer_goes_to_the_water_company_with_fresh_times_and_a_reason(desk):
    u = desk.users
    item = desk.report()
    item = steps.request_accept(request=item, actor=u["provider"], now=T0 + H)
    with pytest.raises(ApplicationError):
        steps.request_transfer(
            request=item, party=PartyKind.ORGANISATION, reason=" ", actor=u["provider"],
            organisation=desk.water,
        )  # fmt: skip
    later = T0 + 4 * D
    item = steps.request_transfer(
        request=item,
        party=PartyKind.ORGANISATION,
        reason="二次供水泵房归自来水公司",
        actor=u["provider"],
        organisation=desk.water,
        now=later,
    )
    assert (item.status, item.party_organisation, item.party_company) == (
        Status.SUBMITTED,
        desk.water,
        None,
    )
    assert (item.response_due, item.resolve_due) == (later + D, later + 3 * D)
    event = item.events.get(kind="transferred")
    assert (event.from_party, event.to_party, event.reason) == (
        "纺原物业",
        "自来水公司",
        "二次供水泵房归自来水公司",
    )
    # utilities have no accounts: the area's clerks act for them; the company no more
    assert u["clerk"].has_perm("servicedesk.work_request", item)
    assert not u["provider"].has_perm("servicedesk.work_request", item)


def test_the_company_returns_what_is_not_its_own_to_the_residents_committee(desk):
    u = desk.users
    item = desk.report(category="sanitation", description="楼下私搭棚子")
    item = steps.request_return(request=item, reason="违建由城管处理", actor=u["provider"])
    assert (item.party, item.status) == (PartyKind.RESIDENTS_COMMITTEE, Status.SUBMITTED)
    assert u["clerk"].has_perm("servicedesk.work_request", item)
    assert not u["other_clerk"].has_perm("servicedesk.work_request", item)


def test_a_duplicate_joins_its_reporter_to_the_first_request(desk):
    u = desk.users
    first = desk.report("neighbour", description="东门道闸坏了")
    second = desk.report("owner", description="道闸抬不起来")
    second = steps.request_resolve(
        request=second,
        outcome=Outcome.DUPLICATE,
        reason="同一问题",
        duplicate_of=first,
        actor=u["provider"],
    )
    assert second.duplicate_of == first
    assert first.watcher_links.filter(user=u["owner"]).exists()
    with pytest.raises(ApplicationError):
        steps.request_resolve(
            request=first, outcome=Outcome.DUPLICATE, reason="x", duplicate_of=first,
            actor=u["provider"],
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="why|原因|理由"):
        steps.request_resolve(
            request=first, outcome=Outcome.WONT_FIX, reason="", actor=u["provider"]
        )


def test_me_too_once_and_only_from_the_compound(desk):
    item = desk.report()
    request_me_too(request=item, actor=desk.users["neighbour"])
    request_me_too(request=item, actor=desk.users["neighbour"])
    assert item.watcher_links.count() == 1
    assert item.events.filter(kind="me_too").count() == 1
    with pytest.raises(PermissionRefused):
        request_me_too(request=item, actor=desk.users["maotai_owner"])
    with pytest.raises(ApplicationError):
        request_me_too(request=item, actor=desk.users["owner"])  # their own


def test_only_someone_acting_for_the_party_is_assigned(desk):
    u = desk.users
    item = steps.request_accept(request=desk.report(), actor=u["provider"], now=T0 + H)
    with pytest.raises(ApplicationError):
        steps.request_assign(request=item, executor=u["other_company"], actor=u["provider"])
    with pytest.raises(PermissionRefused):
        steps.request_assign(request=item, executor=u["worker"], actor=u["other_company"])
    assert ServiceRequest.objects.get(pk=item.pk).executor is None


def test_a_reason_carrying_a_nul_character_is_refused_and_changes_nothing(client, desk):
    """Posted text reaches the database through views that read the form directly; a NUL
    character would fail the write on PostgreSQL half-way through (a server error) and
    pass silently on SQLite. It is refused before any view runs, on both."""
    item = desk.report(category="sanitation", description="楼下私搭棚子")
    client.force_login(desk.users["provider"])
    response = client.post(f"/requests/{item.pk}/return/", {"reason": "违建\x00由城管处理"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    item.refresh_from_db()
    assert (item.party, item.status) == (PartyKind.COMPANY, Status.SUBMITTED)
    assert not item.events.filter(kind="returned").exists()
