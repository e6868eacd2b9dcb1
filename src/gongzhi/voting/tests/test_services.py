"""The decision's life: guarded transitions, the frozen register, ballots from
every channel, corrections, codes and results."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.models import AuditEvent, EventType
from gongzhi.voting.ledger import chain_problems, head_hash
from gongzhi.voting.models import (
    Ballot,
    BallotState,
    Confirmation,
    DecisionStatus,
    LedgerEntry,
    ResultStage,
)
from gongzhi.voting.services import (
    ItemSpec,
    ballot_cast_online,
    ballot_cast_with_code,
    ballot_confirm_paper,
    ballot_correct,
    ballot_enter_paper,
    codes_issue,
    decision_announce,
    decision_cancel,
    decision_close,
    decision_extend,
    decision_finalise,
    decision_open,
    register_correct,
)

from .conftest import AFTER, CLOSES, DURING, OPENS, T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def announced(scene, **kwargs):
    decision = scene.decision(**kwargs)
    return decision_announce(decision=decision, actor=scene.clerk, now=T0)


def opened(scene, **kwargs):
    decision = announced(scene, **kwargs)
    return decision_open(decision=decision, actor=scene.clerk, now=OPENS)


def entry(decision, number):
    return decision.register.get(unit_number=number)


def yes(decision, value="agree"):
    return {item.pk: value for item in decision.items.all()}


class TestCreate:
    def test_item_proposes_the_preset_of_its_matter(self, scene):
        decision = scene.decision(
            items=[
                ItemSpec(text="选聘物业", matter="4"),
                ItemSpec(text="筹集维修资金", matter="6"),
                ItemSpec(text="按老规则", matter="4", rule="property-law-2007:ordinary"),
            ]
        )
        assert [i.rule for i in decision.items.all()] == [
            "civil-code-2021:ordinary",
            "civil-code-2021:major",
            "property-law-2007:ordinary",
        ]

    def test_alternatives_need_at_least_two_and_always_offer_rejection(self, scene):
        with pytest.raises(ApplicationError, match="at least two"):
            scene.decision(items=[ItemSpec(text="选哪家", matter="4", options=["纺原物业"])])
        decision = scene.decision(
            items=[ItemSpec(text="选哪家", matter="4", options=["纺原物业", "虹桥物业"])]
        )
        assert decision.items.get().choice_values() == ["option:0", "option:1", "reject", "abstain"]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"compounds": []}, "at least one compound"),
            ({"items": []}, "at least one question"),
            ({"closes_at": OPENS}, "close after it opens"),
            ({"title": " "}, "needs a title"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_created(self, scene, kwargs, message):
        from gongzhi.voting.models import Decision

        with pytest.raises(ApplicationError, match=message):
            scene.decision(**kwargs)
        assert not Decision.objects.exists()


class TestAnnounce:
    def test_freezes_the_register_and_starts_the_ledger(self, scene):
        decision = announced(scene)
        assert decision.status == DecisionStatus.ANNOUNCED
        assert decision.register.count() == 5
        couple = entry(decision, "1-102")
        assert sorted(couple.owner_links.values_list("owner__identifier", flat=True)) == [
            "O1",
            "O2",
        ]
        first = LedgerEntry.objects.get(decision=decision)
        assert first.event == "register_frozen" and first.payload["units"] == 5
        assert AuditEvent.objects.filter(event_type=EventType.DECISION_STATUS_CHANGED).count() == 1

    def test_register_is_frozen_against_later_registry_changes(self, scene):
        decision = announced(scene)
        unit = scene.units[0]
        unit.area = Decimal("99.99")
        unit.save()
        assert entry(decision, "1-101").area == Decimal("60.00")

    def test_less_than_fifteen_days_notice_is_refused_without_a_reason(self, scene):
        decision = scene.decision(opens_at=T0 + dt.timedelta(days=14, hours=23))
        with pytest.raises(ApplicationError, match="物业管理条例 Art. 14"):
            decision_announce(decision=decision, actor=scene.clerk, now=T0)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT
        assert not decision.register.exists()

    def test_exactly_fifteen_days_is_enough(self, scene):
        decision = scene.decision(opens_at=T0 + dt.timedelta(days=15))
        decision_announce(decision=decision, actor=scene.clerk, now=T0)

    def test_override_is_recorded(self, scene):
        decision = scene.decision(opens_at=T0 + dt.timedelta(days=3))
        decision_announce(
            decision=decision,
            actor=scene.clerk,
            now=T0,
            notice_override_reason="台风抢修，业主大会决定",
        )
        decision.refresh_from_db()
        assert decision.notice_override_reason == "台风抢修，业主大会决定"
        event = AuditEvent.objects.get(event_type=EventType.DECISION_STATUS_CHANGED)
        assert event.new["notice_override"] == "台风抢修，业主大会决定"

    def test_failed_matter_cannot_be_put_again_during_cooling_off(self, scene):
        failed = opened(scene)
        decision_close(decision=failed, actor=scene.clerk, now=AFTER)  # nobody voted: failed
        again = scene.decision(
            opens_at=AFTER + dt.timedelta(days=20), closes_at=AFTER + dt.timedelta(days=30)
        )
        with pytest.raises(ApplicationError, match="failed within the last 90 days"):
            decision_announce(decision=again, actor=scene.clerk, now=AFTER + dt.timedelta(days=1))
        decision_announce(
            decision=again,
            actor=scene.clerk,
            now=AFTER + dt.timedelta(days=1),
            cooling_off_override_reason="开发商交付后业主结构变化",
        )

    def test_cannot_announce_twice(self, scene):
        decision = announced(scene)
        with pytest.raises(ApplicationError, match="Only a draft"):
            decision_announce(decision=decision, actor=scene.clerk, now=T0)


class TestRegisterCorrection:
    def test_correction_before_opening_is_recorded_with_its_reason(self, scene):
        decision = announced(scene)
        correction = register_correct(
            entry=entry(decision, "1-101"),
            field="area",
            value="61.50",
            reason="不动产登记簿更正",
            actor=scene.clerk,
        )
        assert entry(decision, "1-101").area == Decimal("61.50")
        correction.refresh_from_db()
        assert (correction.old_value, correction.new_value) == ("60.00", "61.50")
        assert decision.ledger.filter(event="register_corrected").count() == 1

    def test_no_correction_after_opening(self, scene):
        decision = opened(scene)
        with pytest.raises(ApplicationError, match="before voting opens"):
            register_correct(
                entry=entry(decision, "1-101"),
                field="area",
                value="61",
                reason="x",
                actor=scene.clerk,
            )

    def test_correction_needs_a_reason(self, scene):
        decision = announced(scene)
        with pytest.raises(ApplicationError, match="reason"):
            register_correct(
                entry=entry(decision, "1-101"),
                field="area",
                value="61",
                reason=" ",
                actor=scene.clerk,
            )


class TestWindow:
    def test_cannot_open_before_the_announced_time(self, scene):
        decision = announced(scene)
        with pytest.raises(ApplicationError, match="not before"):
            decision_open(decision=decision, actor=scene.clerk, now=OPENS - dt.timedelta(minutes=1))

    def test_cannot_close_early(self, scene):
        decision = opened(scene)
        with pytest.raises(ApplicationError, match="cannot close early"):
            decision_close(
                decision=decision, actor=scene.clerk, now=CLOSES - dt.timedelta(seconds=1)
            )

    def test_extension_within_the_maximum_is_posted(self, scene):
        decision = opened(scene)
        decision_extend(
            decision=decision,
            new_closes_at=CLOSES + dt.timedelta(days=7),
            reason="参与率不足",
            actor=scene.clerk,
        )
        decision_extend(
            decision=decision,
            new_closes_at=CLOSES + dt.timedelta(days=14),
            reason="再延",
            actor=scene.clerk,
        )
        with pytest.raises(ApplicationError, match="at most 14 days"):
            decision_extend(
                decision=decision,
                new_closes_at=CLOSES + dt.timedelta(days=15),
                reason="x",
                actor=scene.clerk,
            )
        decision.refresh_from_db()
        assert decision.closes_at == CLOSES + dt.timedelta(days=14)
        assert [e.reason for e in decision.extensions.all()] == ["参与率不足", "再延"]

    def test_extension_needs_a_reason(self, scene):
        decision = opened(scene)
        with pytest.raises(ApplicationError, match="reason"):
            decision_extend(
                decision=decision,
                new_closes_at=CLOSES + dt.timedelta(days=1),
                reason="",
                actor=scene.clerk,
            )

    def test_guarded_transitions(self, scene):
        decision = scene.decision()
        with pytest.raises(ApplicationError, match="cannot become"):
            decision_open(decision=decision, actor=scene.clerk, now=OPENS)
        decision_cancel(decision=decision, reason="重复创建", actor=scene.clerk)
        with pytest.raises(ApplicationError, match="cannot become"):
            decision_cancel(decision=decision, reason="again", actor=scene.clerk)


class TestOnlineBallots:
    def test_owner_votes_for_each_of_their_units_with_a_receipt(self, scene):
        decision = opened(scene)
        first = ballot_cast_online(
            decision=decision,
            entry=entry(decision, "1-101"),
            choices=yes(decision),
            user=scene.owner_user,
            now=DURING,
        )
        assert first[0].state == BallotState.EFFECTIVE and len(first[0].receipt) == 8
        ballot_cast_online(
            decision=decision,
            entry=entry(decision, "1-301"),
            choices=yes(decision, "disagree"),
            user=scene.owner_user,
            now=DURING,
        )
        assert Ballot.objects.filter(state="effective").count() == 2

    def test_owner_cannot_vote_for_another_unit(self, scene):
        decision = opened(scene)
        with pytest.raises(PermissionRefused, match="not an owner"):
            ballot_cast_online(
                decision=decision,
                entry=entry(decision, "1-201"),
                choices=yes(decision),
                user=scene.owner_user,
                now=DURING,
            )
        assert not Ballot.objects.exists()

    def test_nothing_is_accepted_outside_the_window(self, scene):
        decision = opened(scene)
        for moment in (OPENS - dt.timedelta(seconds=1), CLOSES):
            with pytest.raises(ApplicationError, match="accepted from"):
                ballot_cast_online(
                    decision=decision,
                    entry=entry(decision, "1-101"),
                    choices=yes(decision),
                    user=scene.owner_user,
                    now=moment,
                )
        assert not Ballot.objects.exists()

    def test_paper_only_rules(self, scene):
        decision = opened(scene, online_voting=False)
        with pytest.raises(ApplicationError, match="paper ballots only"):
            ballot_cast_online(
                decision=decision,
                entry=entry(decision, "1-101"),
                choices=yes(decision),
                user=scene.owner_user,
                now=DURING,
            )

    def test_every_question_must_be_answered_with_a_valid_choice(self, scene):
        decision = opened(scene)
        with pytest.raises(ApplicationError, match="not a choice"):
            ballot_cast_online(
                decision=decision,
                entry=entry(decision, "1-101"),
                choices=yes(decision, "maybe"),
                user=scene.owner_user,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="every question"):
            ballot_cast_online(
                decision=decision,
                entry=entry(decision, "1-101"),
                choices={},
                user=scene.owner_user,
                now=DURING,
            )


class TestChannelConflicts:
    def test_first_valid_ballot_locks_the_unit_and_the_other_is_kept_rejected(self, scene):
        decision = opened(scene)
        ballot_cast_online(
            decision=decision,
            entry=entry(decision, "1-101"),
            choices=yes(decision),
            user=scene.owner_user,
            now=DURING,
        )
        later = ballot_enter_paper(
            decision=decision,
            entry=entry(decision, "1-101"),
            choices=yes(decision, "disagree"),
            clerk=scene.clerk,
            now=DURING + dt.timedelta(hours=1),
        )
        assert later[0].state == BallotState.REJECTED
        assert "first valid ballot counts" in later[0].reason
        effective = Ballot.objects.get(state="effective")
        assert effective.choice == "agree" and effective.channel == "online"

    def test_paper_received_in_time_is_entered_after_the_window(self, scene):
        decision = opened(scene)
        ballots = ballot_enter_paper(
            decision=decision,
            entry=entry(decision, "1-201"),
            choices=yes(decision),
            clerk=scene.clerk,
            received_at=CLOSES - dt.timedelta(hours=1),
            now=AFTER,
        )
        assert ballots[0].state == BallotState.EFFECTIVE
        with pytest.raises(ApplicationError, match="accepted from"):
            ballot_enter_paper(
                decision=decision,
                entry=entry(decision, "1-202"),
                choices=yes(decision),
                clerk=scene.clerk,
                received_at=CLOSES,
                now=AFTER,
            )


class TestPaperConfirmation:
    def test_second_clerk_confirms_or_flags(self, scene):
        decision = opened(scene, paper_double_entry=True)
        ballot_enter_paper(
            decision=decision,
            entry=entry(decision, "1-201"),
            choices=yes(decision),
            clerk=scene.clerk,
            now=DURING,
        )
        ballot_enter_paper(
            decision=decision,
            entry=entry(decision, "1-202"),
            choices=yes(decision),
            clerk=scene.clerk,
            now=DURING,
        )
        with pytest.raises(ApplicationError, match="another clerk"):
            ballot_confirm_paper(
                decision=decision,
                entry=entry(decision, "1-201"),
                choices=yes(decision),
                clerk=scene.clerk,
            )
        ballot_confirm_paper(
            decision=decision,
            entry=entry(decision, "1-201"),
            choices=yes(decision),
            clerk=scene.clerk2,
        )
        ballot_confirm_paper(
            decision=decision,
            entry=entry(decision, "1-202"),
            choices=yes(decision, "disagree"),
            clerk=scene.clerk2,
        )
        states = dict(Ballot.objects.values_list("entry__unit_number", "confirmation"))
        assert states == {"1-201": Confirmation.CONFIRMED, "1-202": Confirmation.DISPUTED}

    def test_correction_keeps_who_when_old_and_new(self, scene):
        decision = opened(scene)
        (ballot,) = ballot_enter_paper(
            decision=decision,
            entry=entry(decision, "1-201"),
            choices=yes(decision),
            clerk=scene.clerk,
            now=DURING,
        )
        corrected = ballot_correct(
            ballot=ballot, choice="disagree", reason="录入错误，原票为不同意", actor=scene.clerk2
        )
        ballot.refresh_from_db()
        assert ballot.state == BallotState.SUPERSEDED and ballot.choice == "agree"
        assert corrected.supersedes == ballot and corrected.recorded_by == scene.clerk2
        assert Ballot.objects.filter(state="effective").get().choice == "disagree"


class TestCodes:
    def test_code_and_phone_digits_cast_a_ballot_once(self, scene):
        decision = opened(scene)
        codes = codes_issue(
            decision=decision, entries=[entry(decision, "1-102")], actor=scene.clerk
        )
        code = codes[entry(decision, "1-102").pk]
        # co-owner O2's phone ends with 0002
        ballots = ballot_cast_with_code(
            code=code.lower(),
            phone_last4="0002",
            choices=yes(decision),
            client="1.2.3.4",
            now=DURING,
        )
        assert ballots[0].channel == "code" and ballots[0].state == "effective"
        with pytest.raises(PermissionRefused, match="already been used"):
            ballot_cast_with_code(
                code=code, phone_last4="0002", choices=yes(decision), client="1.2.3.4", now=DURING
            )

    def test_codes_are_stored_only_as_hashes(self, scene):
        from gongzhi.voting.models import OneTimeCode

        decision = opened(scene)
        code = codes_issue(
            decision=decision, entries=[entry(decision, "1-101")], actor=scene.clerk
        )[entry(decision, "1-101").pk]
        stored = OneTimeCode.objects.get()
        assert code not in stored.code_hash and len(stored.code_hash) == 64

    def test_wrong_digits_count_and_lock_the_code(self, scene):
        from gongzhi.voting.models import OneTimeCode

        decision = opened(scene)
        code = codes_issue(
            decision=decision, entries=[entry(decision, "1-101")], actor=scene.clerk
        )[entry(decision, "1-101").pk]
        for attempt in range(4):
            with pytest.raises(PermissionRefused, match="do not match"):
                ballot_cast_with_code(
                    code=code,
                    phone_last4="9999",
                    choices=yes(decision),
                    client=f"10.0.0.{attempt}",
                    now=DURING,
                )
        with pytest.raises(PermissionRefused, match="now locked"):
            ballot_cast_with_code(
                code=code, phone_last4="9999", choices=yes(decision), client="10.0.0.9", now=DURING
            )
        with pytest.raises(PermissionRefused, match="locked after repeated failures"):
            ballot_cast_with_code(
                code=code, phone_last4="0000", choices=yes(decision), client="10.0.0.10", now=DURING
            )
        assert OneTimeCode.objects.get().failed_attempts == 5
        assert not Ballot.objects.exists()

    def test_one_address_cannot_guess_codes_without_limit(self, scene, settings):
        settings.VOTE_CODE_RATE_LIMIT = {"per_address": 3, "window_seconds": 3600}
        decision = opened(scene)
        for _ in range(3):
            with pytest.raises(PermissionRefused, match="not valid"):
                ballot_cast_with_code(
                    code="AAAAAAAAAA",
                    phone_last4="0000",
                    choices=yes(decision),
                    client="6.6.6.6",
                    now=DURING,
                )
        with pytest.raises(PermissionRefused, match="Too many attempts"):
            ballot_cast_with_code(
                code="AAAAAAAAAA",
                phone_last4="0000",
                choices=yes(decision),
                client="6.6.6.6",
                now=DURING,
            )

    def test_reissuing_invalidates_the_old_code(self, scene):
        decision = opened(scene)
        target = entry(decision, "1-101")
        old = codes_issue(decision=decision, entries=[target], actor=scene.clerk)[target.pk]
        codes_issue(decision=decision, entries=[target], actor=scene.clerk)
        with pytest.raises(PermissionRefused, match="not valid"):
            ballot_cast_with_code(
                code=old, phone_last4="0000", choices=yes(decision), client="1.1.1.1", now=DURING
            )


class TestResults:
    def vote(self, decision, scene, choices_by_unit):
        for number, choice in choices_by_unit.items():
            ballot_enter_paper(
                decision=decision,
                entry=entry(decision, number),
                choices=yes(decision, choice),
                clerk=scene.clerk,
                now=DURING,
            )

    def test_preliminary_result_on_close_carries_the_ledger_head(self, scene):
        decision = opened(scene)
        # 5 units, 4 persons (O0 holds 1-101 and 1-301); total area 340.00
        self.vote(
            decision,
            scene,
            {"1-101": "agree", "1-301": "agree", "1-102": "agree", "1-201": "disagree"},
        )
        result = decision_close(decision=decision, actor=scene.clerk, now=AFTER)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.PRELIMINARY
        assert result.stage == ResultStage.PRELIMINARY
        assert result.head_hash == head_hash(decision)
        (item,) = result.data["items"]
        (compound,) = item["options"][0]["without_clause"]["compounds"]
        assert compound["total"] == {"area": "340.00", "heads": 4}
        assert compound["participating"] == {"area": "250.00", "heads": 3}
        assert compound["agree"] == {"area": "170.00", "heads": 2}
        # participation 250/340 >= 2/3 and 3/4 heads; approval 170/250 > 1/2, 2/3 > 1/2
        assert result.passed
        assert chain_problems(decision) == []

    def test_final_only_after_the_objection_period(self, scene):
        decision = opened(scene)
        result = decision_close(decision=decision, actor=scene.clerk, now=AFTER)
        with pytest.raises(ApplicationError, match="Objections may be lodged until"):
            decision_finalise(
                decision=decision, actor=scene.clerk, now=result.published_at + dt.timedelta(days=6)
            )
        final = decision_finalise(
            decision=decision, actor=scene.clerk, now=result.published_at + dt.timedelta(days=7)
        )
        assert final.stage == ResultStage.FINAL
        assert final.data == result.data

    def test_tampering_with_the_ledger_is_detected(self, scene):
        decision = opened(scene)
        self.vote(decision, scene, {"1-101": "agree"})
        ballot_event = decision.ledger.get(event="ballot")
        ballot_event.payload = {**ballot_event.payload, "choice": "disagree"}
        ballot_event.save()
        problems = [str(p) for p in chain_problems(decision)]
        assert problems == [f"#{ballot_event.sequence}: ballot: content was changed"]


def test_a_decision_text_going_public_is_stored_with_numbers_masked(scene):
    decision = scene.decision(
        title="联系 <b>138</b>00138000",
        text="负责人 110101 19900307 002X，电话 １３９００１３９０００",
    )
    decision.refresh_from_db()
    assert "138****8000" in decision.title
    assert "1101**********002X" in decision.text and "139****9000" in decision.text
