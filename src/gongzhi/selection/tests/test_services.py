"""Custody by proximity and hiring through an expert panel."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.selection import services
from gongzhi.selection.models import ConflictOfInterest, Custody, PoolEntry

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


def request_for(pool):
    return services.custody_request_create(
        compound=pool.compound,
        requested_by="committee",
        reason="大楼物业书面告知退出",
        exiting_company=pool.companies["大楼物业"],
        exit_notice_date=dt.date(2026, 5, 1),
        actor=pool.users["committee"],
        now=NOW,
    )


class TestCustodyRequest:
    def test_committee_request_with_the_handover_checklist(self, pool):
        request = request_for(pool)
        assert sorted(request.handover.values_list("kind", flat=True)) == [
            "equipment",
            "funds",
            "keys",
            "premises",
            "records",
        ]

    def test_owners_may_ask_only_where_there_is_no_committee(self, pool):
        with pytest.raises(ApplicationError, match="has an owners' committee"):
            services.custody_request_create(
                compound=pool.compound,
                requested_by="owners",
                reason="x",
                supporters=pool.owners,
                actor=pool.users["clerk"],
                now=NOW,
            )

    def test_twenty_percent_of_the_legal_headcount_exactly(self, pool):
        # 10 owners, each one unit: 2 supporters are exactly 20 %
        with pytest.raises(ApplicationError, match="1 of 10 owners"):
            services.custody_request_create(
                compound=pool.bare_compound,
                requested_by="owners",
                reason="x",
                supporters=pool.bare_owners[:1],
                actor=pool.users["clerk"],
                now=NOW,
            )
        request = services.custody_request_create(
            compound=pool.bare_compound,
            requested_by="owners",
            reason="x",
            supporters=pool.bare_owners[:2],
            actor=pool.users["clerk"],
            now=NOW,
        )
        assert request.supporters.count() == 2

    def test_committee_path_needs_a_committee(self, pool):
        with pytest.raises(ApplicationError, match="no owners' committee"):
            services.custody_request_create(
                compound=pool.bare_compound,
                requested_by="committee",
                reason="x",
                actor=pool.users["clerk"],
                now=NOW,
            )


class TestCustodyPick:
    def test_candidates_are_ranked_by_distance_with_exclusions_explained(self, pool):
        from gongzhi.selection.selectors import custody_candidates

        ranked, excluded = custody_candidates(pool.compound, on=TODAY)
        assert [r.candidate.name for r in ranked] == ["纺原物业", "虹桥物业"]
        assert ranked[0].nearest.label == "茅台雅苑"
        reasons = {e.candidate.name: e.reason() for e in excluded}
        assert reasons == {
            "古北物业": "suspended from the pool: 考核不合格",
            "北新泾物业": "admission expired on 2026-01-01",
            "天山物业": "no capacity left for another management area",
        }

    def test_declared_conflict_excludes(self, pool):
        from gongzhi.selection.selectors import custody_candidates

        ConflictOfInterest.objects.create(
            company=pool.companies["纺原物业"],
            compound=pool.compound,
            reason="负责人系业委会主任亲属",
        )
        ranked, excluded = custody_candidates(pool.compound, on=TODAY)
        assert [r.candidate.name for r in ranked] == ["虹桥物业"]
        assert (
            "负责人系业委会主任亲属" in {e.candidate.name: e.reason() for e in excluded}["纺原物业"]
        )

    def test_nearest_is_picked_for_six_months_and_recorded(self, pool):
        custody = services.custody_assign(
            request=request_for(pool),
            company=pool.companies["纺原物业"],
            starts_on=TODAY,
            months=6,
            actor=pool.users["official"],
            now=NOW,
        )
        assert (custody.rank, custody.ends_on) == (1, dt.date(2026, 12, 1))
        assert custody.candidates[0]["company"] == "纺原物业"
        pool.compound.refresh_from_db()
        assert pool.compound.property_company == pool.companies["纺原物业"]
        assert PoolEntry.objects.get(company=pool.companies["纺原物业"]).capacity == 1

    def test_seven_months_is_refused(self, pool):
        with pytest.raises(ApplicationError, match="at most 6 months"):
            services.custody_assign(
                request=request_for(pool),
                company=pool.companies["纺原物业"],
                starts_on=TODAY,
                months=7,
                actor=pool.users["official"],
                now=NOW,
            )
        assert not Custody.objects.exists()

    def test_other_than_the_nearest_needs_a_written_reason(self, pool):
        request = request_for(pool)
        with pytest.raises(ApplicationError, match="纺原物业 is nearer"):
            services.custody_assign(
                request=request,
                company=pool.companies["虹桥物业"],
                starts_on=TODAY,
                months=6,
                actor=pool.users["official"],
                now=NOW,
            )
        custody = services.custody_assign(
            request=request,
            company=pool.companies["虹桥物业"],
            starts_on=TODAY,
            months=6,
            reason="纺原物业已满负荷",
            actor=pool.users["official"],
            now=NOW,
        )
        assert custody.rank == 2

    @pytest.mark.parametrize(
        ("company", "message"),
        [
            ("古北物业", "suspended"),
            ("大楼物业", "not in the temporary-provider pool"),
            ("北新泾物业", "expired"),
        ],
    )
    def test_excluded_or_outside_the_pool_is_refused(self, pool, company, message):
        with pytest.raises(ApplicationError, match=message):
            services.custody_assign(
                request=request_for(pool),
                company=pool.companies[company],
                starts_on=TODAY,
                months=3,
                actor=pool.users["official"],
                now=NOW,
            )

    def test_extension_is_a_new_record_within_six_months(self, pool):
        custody = services.custody_assign(
            request=request_for(pool),
            company=pool.companies["纺原物业"],
            starts_on=TODAY,
            months=6,
            actor=pool.users["official"],
            now=NOW,
        )
        with pytest.raises(ApplicationError, match="at most 6 months"):
            services.custody_extend(
                custody=custody, months=7, reason="选聘未完成", actor=pool.users["official"]
            )
        extension = services.custody_extend(
            custody=custody, months=3, reason="选聘未完成", actor=pool.users["official"]
        )
        assert (extension.starts_on, extension.ends_on, extension.extends) == (
            dt.date(2026, 12, 1),
            dt.date(2027, 3, 1),
            custody,
        )

    def test_month_arithmetic_keeps_the_last_day(self):
        # custody uses the one month arithmetic of core.clock
        from gongzhi.core.clock import add_months

        assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


class TestPool:
    def test_suspension_needs_a_reason(self, pool):
        entry = PoolEntry.objects.get(company=pool.companies["纺原物业"])
        with pytest.raises(ApplicationError, match="needs a reason"):
            services.pool_entry_set_status(
                entry=entry, status="suspended", reason="", actor=pool.users["official"]
            )
        services.pool_entry_set_status(
            entry=entry, status="suspended", reason="投诉核实中", actor=pool.users["official"]
        )
        entry.refresh_from_db()
        assert (entry.status, entry.status_reason) == ("suspended", "投诉核实中")


def make_plan(pool, decision, **kwargs):
    return services.plan_create(
        neighbourhood=pool.neighbourhood,
        title="水霞小区物业服务企业选聘",
        compounds=[pool.compound],
        decision=decision,
        bids_close_at=NOW + dt.timedelta(days=10),
        actor=pool.users["clerk"],
        **kwargs,
    )


def panel(pool, plan, experts=4, others=1, declare=True):
    members = []
    for n in range(experts):
        members.append(
            services.panel_add_member(
                plan=plan,
                user=pool.users[f"expert{n}"],
                name=f"专家{n}",
                affiliation="industry_expert",
                is_expert=True,
                actor=pool.users["clerk"],
            )
        )
    for n in range(others):
        members.append(
            services.panel_add_member(
                plan=plan,
                user=pool.users["committee"] if n == 0 else pool.users["clerk"],
                name=f"代表{n}",
                affiliation="owners_committee",
                is_expert=False,
                actor=pool.users["clerk"],
            )
        )
    if declare:
        for member in members:
            services.panel_declare(member=member, user=member.user)
    return members


def bid(pool, plan, company, fee, now=NOW):
    user = pool.users["fangyuan" if company == "纺原物业" else "hongqiao"]
    return services.bid_submit(
        plan=plan,
        company=pool.companies[company],
        fees={"residential": fee, "parking": "0.50"},
        staff=12,
        public_revenue_share="70",
        term_months=36,
        actor=user,
        now=now,
    )


class TestHiring:
    def test_plan_waits_for_the_owners_decision(self, pool, passed_decision):
        from gongzhi.voting.models import Decision

        draft = Decision.objects.create(
            neighbourhood=pool.neighbourhood,
            title="未表决",
            opens_at=NOW,
            closes_at=NOW + dt.timedelta(days=1),
            created_by=pool.users["clerk"],
        )
        with pytest.raises(ApplicationError, match="has not passed"):
            services.plan_publish(plan=make_plan(pool, draft), actor=pool.users["clerk"], now=NOW)
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        assert plan.status == "published"

    def test_bids_until_the_deadline_only(self, pool, passed_decision):
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        first = bid(pool, plan, "纺原物业", "1.80")
        changed = bid(pool, plan, "纺原物业", "1.75", now=NOW + dt.timedelta(days=1))
        assert first.pk == changed.pk and changed.fees["residential"] == "1.75"
        with pytest.raises(ApplicationError, match="Bids closed"):
            bid(pool, plan, "虹桥物业", "1.50", now=NOW + dt.timedelta(days=10))

    @pytest.mark.parametrize(
        ("fees", "message"),
        [
            ({"residential": "-1"}, "positive amount"),
            ({"parking": "1"}, "residential"),
            ({"residential": "abc"}, "not a number"),
        ],
    )
    def test_bad_fees_are_refused(self, pool, passed_decision, fees, message):
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        with pytest.raises(ApplicationError, match=message):
            services.bid_submit(
                plan=plan,
                company=pool.companies["纺原物业"],
                fees=fees,
                staff=5,
                public_revenue_share="70",
                term_months=36,
                actor=pool.users["fangyuan"],
                now=NOW,
            )

    def test_non_compliant_panel_cannot_score(self, pool, passed_decision):
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        bid(pool, plan, "纺原物业", "1.80")
        panel(pool, plan, experts=3, others=2)  # 5 members, 3 experts: less than 2/3
        with pytest.raises(ApplicationError, match="3 of 5 members are experts"):
            services.panel_open(
                plan=plan, actor=pool.users["clerk"], now=NOW + dt.timedelta(days=11)
            )

    def test_undeclared_member_blocks_scoring(self, pool, passed_decision):
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        bid(pool, plan, "纺原物业", "1.80")
        panel(pool, plan, declare=False)
        with pytest.raises(ApplicationError, match="have not declared"):
            services.panel_open(
                plan=plan, actor=pool.users["clerk"], now=NOW + dt.timedelta(days=11)
            )

    def test_scoring_ranking_and_contract(self, pool, passed_decision):
        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision, aggregate="mean"),
            actor=pool.users["clerk"],
            now=NOW,
        )
        fangyuan, hongqiao = (
            bid(pool, plan, "纺原物业", "1.80"),
            bid(pool, plan, "虹桥物业", "1.20"),
        )
        members = panel(pool, plan)
        with pytest.raises(ApplicationError, match="after bids close"):
            services.panel_open(plan=plan, actor=pool.users["clerk"], now=NOW)
        closes = NOW + dt.timedelta(days=11)
        services.panel_open(plan=plan, actor=pool.users["clerk"], now=closes)
        good = {"plan": "22", "staffing": "18", "standards": "18", "record": "13"}
        poor = {"plan": "12", "staffing": "10", "standards": "9", "record": "8"}
        with pytest.raises(ApplicationError, match="outside 0 to 25"):
            services.score_submit(
                member=members[0],
                values={fangyuan.pk: {**good, "plan": "26"}, hongqiao.pk: poor},
                user=members[0].user,
            )
        with pytest.raises(PermissionRefused):
            services.score_submit(
                member=members[0],
                values={fangyuan.pk: good, hongqiao.pk: poor},
                user=members[1].user,
            )
        for member in members:
            services.score_submit(
                member=member, values={fangyuan.pk: good, hongqiao.pk: poor}, user=member.user
            )
        with pytest.raises(ApplicationError, match="already submitted"):
            services.score_submit(
                member=members[0],
                values={fangyuan.pk: good, hongqiao.pk: poor},
                user=members[0].user,
            )
        result = services.panel_close(
            plan=plan, actor=pool.users["clerk"], now=closes + dt.timedelta(hours=2)
        ).result
        first, second = result["results"]
        # quality sets price: the cheaper bid promises far less, so the dearer one wins
        assert (first["company"], first["rank"], second["company"]) == ("纺原物业", 1, "虹桥物业")
        assert Decimal(first["price_points"]) == Decimal("20.00")
        with pytest.raises(ApplicationError, match="at least 3 days"):
            services.ranking_publish(
                plan=plan,
                posted_from=closes,
                posted_until=closes + dt.timedelta(days=2),
                actor=pool.users["clerk"],
            )
        with pytest.raises(ApplicationError, match="within 3 days"):
            services.ranking_publish(
                plan=plan,
                posted_from=closes + dt.timedelta(days=4),
                posted_until=closes + dt.timedelta(days=8),
                actor=pool.users["clerk"],
            )
        ranking = services.ranking_publish(
            plan=plan,
            posted_from=closes + dt.timedelta(days=1),
            posted_until=closes + dt.timedelta(days=4),
            actor=pool.users["clerk"],
        )
        assert [c["company"] for c in ranking.candidates] == ["纺原物业", "虹桥物业"]
        with pytest.raises(ApplicationError, match="not among the ranked"):
            services.contract_record(
                plan=plan,
                company=pool.companies["天山物业"],
                compounds=[pool.compound],
                fees={"residential": "1.80"},
                service_items=[],
                public_revenue_share="70",
                starts_on=dt.date(2026, 7, 1),
                ends_on=dt.date(2029, 6, 30),
                signed_on=dt.date(2026, 6, 20),
                actor=pool.users["clerk"],
            )
        contract = services.contract_record(
            plan=plan,
            company=pool.companies["纺原物业"],
            compounds=[pool.compound],
            fees={"residential": "1.80"},
            service_items=[{"item": "保洁", "level": "一级"}],
            public_revenue_share="70",
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2029, 6, 30),
            signed_on=dt.date(2026, 6, 20),
            actor=pool.users["clerk"],
        )
        assert contract.compounds.get() == pool.compound
        pool.compound.refresh_from_db()
        assert pool.compound.property_company == pool.companies["纺原物业"]

    def test_fee_is_weighted_by_property_type_area(self, pool, passed_decision):
        from gongzhi.selection.selectors import plan_fees

        plan = services.plan_publish(
            plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
        )
        b = bid(pool, plan, "纺原物业", "2.00")
        # 300.00 m² residential at 2.00 and 12.00 m² parking at 0.50: (600 + 6) / 312
        assert plan_fees(plan)[b.pk] == Decimal("1.9423")
