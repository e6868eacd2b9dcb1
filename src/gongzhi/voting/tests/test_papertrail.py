"""The paper trail: evidence, delivery, boxes, the public count, signatures and
proxies, flags, conflicts, objections, re-verification and retention."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.demo.images import tiny_png
from gongzhi.registry.models import Ownership
from gongzhi.registry.tests.factories import OwnerFactory, unit_with_owners
from gongzhi.voting import services as paper
from gongzhi.voting.ledger import chain_problems, head_hash
from gongzhi.voting.models import Ballot, BallotState, Decision
from gongzhi.voting.services import (
    ballot_cast_online,
    decision_announce,
    decision_close,
    decision_finalise,
    decision_open,
)

from .conftest import AFTER, CLOSES, DURING, OPENS, T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PNG = tiny_png("scan")
PDF = b"%PDF-1.4\n% a scan\n"


def upload(data=PNG, name="scan.png"):
    return SimpleUploadedFile(name, data)


def opened(scene, **fields):
    decision = scene.decision()
    if fields:
        Decision.objects.filter(pk=decision.pk).update(**fields)
    decision = decision_announce(
        decision=Decision.objects.get(pk=decision.pk), actor=scene.clerk, now=T0
    )
    return decision_open(decision=decision, actor=scene.clerk, now=OPENS)


def entry(decision, number):
    return decision.register.get(unit_number=number)


def scan(decision, scene, data=PDF):
    return paper.evidence_store(
        decision=decision, kind="scan", upload=upload(data, "s.pdf"), actor=scene.clerk
    )


@pytest.fixture
def counting(scene):
    """An open decision whose window has closed, a sealed box opened at a count
    session with two owner witnesses."""
    decision = opened(scene, min_witnesses=2)
    box = paper.box_create(
        decision=decision, label="一号箱", seal_number="SX-0001", actor=scene.clerk
    )
    paper.box_event(
        box=box,
        kind="sealed",
        at=OPENS,
        place="居委会",
        present=["李干事", "周委员"],
        actor=scene.clerk,
        now=OPENS,
    )
    paper.box_event(
        box=box,
        kind="moved",
        at=CLOSES,
        place="居委会会议室",
        present=["李干事"],
        actor=scene.clerk,
        now=AFTER,
    )
    session = paper.count_start(
        decision=decision,
        place="居委会会议室",
        scrutineers=["王监票"],
        counters=["赵计票"],
        witnesses=[scene.owners[3], scene.owners[4]],
        actor=scene.clerk,
        now=AFTER,
    )
    paper.count_open_box(
        session=session, box=box, present=["王监票", "赵计票"], actor=scene.clerk, now=AFTER
    )
    return decision, box, session


def enter(
    counting,
    scene,
    number,
    choice="agree",
    signature="owner",
    signer="业主本人",
    bearer="",
    **extra,
):
    decision, box, session = counting
    item = decision.items.get()
    return paper.count_enter_sheet(
        session=session,
        box=box,
        entry=entry(decision, number),
        choices={item.pk: choice},
        signature=signature,
        signer_name=signer,
        handed_in_by=bearer,
        scan=scan(decision, scene),
        actor=scene.clerk,
        now=AFTER,
        **extra,
    )


class TestEvidence:
    def test_image_is_kept_with_its_hash_under_a_name_of_its_own(self, scene, settings):
        decision = opened(scene)
        evidence = paper.evidence_store(
            decision=decision,
            kind="delivery",
            upload=upload(name="../../etc/x.png"),
            actor=scene.clerk,
        )
        assert evidence.content_type == "image/png" and len(evidence.sha256) == 64
        stored = Path(evidence.file.path)
        assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
        assert stored.name.startswith(evidence.sha256[:24]) and ".." not in evidence.file.name
        assert paper.evidence_intact(evidence)

    @pytest.mark.parametrize(
        ("data", "message"), [(b"MZ\x90\x00 not a picture", "Only JPEG"), (b"", "empty")]
    )
    def test_other_files_are_refused(self, scene, data, message):
        decision = opened(scene)
        with pytest.raises(ApplicationError, match=message):
            paper.evidence_store(
                decision=decision, kind="scan", upload=upload(data, "x.png"), actor=scene.clerk
            )

    def test_too_large_is_refused(self, scene, settings):
        settings.UPLOAD_MAX_BYTES = 1024 * 1024
        decision = opened(scene)
        with pytest.raises(ApplicationError, match="larger than 1 MB"):
            paper.evidence_store(
                decision=decision,
                kind="scan",
                upload=upload(PNG + b"0" * (1024 * 1024)),
                actor=scene.clerk,
            )


class TestDelivery:
    def test_each_method_with_what_proves_it(self, scene):
        decision = opened(scene)
        proof = paper.evidence_store(
            decision=decision, kind="delivery", upload=upload(), actor=scene.clerk
        )
        with pytest.raises(ApplicationError, match="signed for"):
            paper.delivery_record(
                decision=decision,
                entry=entry(decision, "1-101"),
                method="hand",
                delivered_at=DURING,
                actor=scene.clerk,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="its number"):
            paper.delivery_record(
                decision=decision,
                entry=entry(decision, "1-101"),
                method="registered_mail",
                delivered_at=DURING,
                actor=scene.clerk,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="future"):
            paper.delivery_record(
                decision=decision,
                entry=entry(decision, "1-101"),
                method="posted",
                delivered_at=DURING,
                actor=scene.clerk,
                now=OPENS,
            )
        delivery = paper.delivery_record(
            decision=decision,
            entry=entry(decision, "1-101"),
            method="hand",
            delivered_at=DURING,
            recipient="张三",
            delivered_by="李干事",
            evidence=proof,
            actor=scene.clerk,
            now=DURING,
        )
        assert delivery.evidence == proof
        event = decision.ledger.get(event="delivery")
        assert event.payload["evidence"] == proof.sha256

    def test_non_voter_clause_counts_only_delivered_units(self, scene):
        decision = scene.decision(non_voter_clause=True)
        decision = decision_announce(decision=decision, actor=scene.clerk, now=T0)
        decision = decision_open(decision=decision, actor=scene.clerk, now=OPENS)
        item = decision.items.get()
        for number in ("1-101", "1-102"):
            from gongzhi.voting.services import ballot_enter_paper

            ballot_enter_paper(
                decision=decision,
                entry=entry(decision, number),
                choices={item.pk: "agree"},
                clerk=scene.clerk,
                now=DURING,
            )
        paper.delivery_record(
            decision=decision,
            entry=entry(decision, "1-201"),
            method="posted",
            delivered_at=DURING,
            actor=scene.clerk,
            now=DURING,
        )
        result = decision_close(decision=decision, actor=scene.clerk, now=AFTER)
        option = result.data["items"][0]["options"][0]
        (plain,) = option["without_clause"]["compounds"]
        (clause,) = option["with_clause"]["compounds"]
        # 4 persons: O0 (1-101, 1-301), O1+O2 (1-102), O3 (1-201), O4 (1-202)
        assert plain["participating"]["heads"] == 2
        assert plain["delivered_not_returned"] == {"area": "80.00", "heads": 1}
        assert clause["participating"]["heads"] == 3  # the delivered 1-201 follows the majority
        assert clause["agree"]["heads"] == 3
        assert clause["participating"]["area"] == "210.00"  # 1-202 and 1-301 were never delivered

    def test_online_delivery_on_signing_in_is_recorded_once(self, scene):
        decision = opened(scene)
        entries = [entry(decision, "1-101"), entry(decision, "1-301")]
        assert (
            paper.delivery_record_online(decision=decision, entries=entries, user=scene.owner_user)
            == 2
        )
        assert (
            paper.delivery_record_online(decision=decision, entries=entries, user=scene.owner_user)
            == 0
        )


class TestBoxes:
    def test_custody_order_is_enforced(self, scene):
        decision = opened(scene)
        box = paper.box_create(decision=decision, label="A", seal_number="S1", actor=scene.clerk)
        with pytest.raises(ApplicationError, match="sealed before"):
            paper.box_event(
                box=box,
                kind="moved",
                at=DURING,
                place="x",
                present=["甲"],
                actor=scene.clerk,
                now=DURING,
            )
        paper.box_event(
            box=box,
            kind="sealed",
            at=DURING,
            place="居委会",
            present=["甲", "乙"],
            actor=scene.clerk,
            now=DURING,
        )
        with pytest.raises(ApplicationError, match="already sealed"):
            paper.box_event(
                box=box,
                kind="sealed",
                at=DURING,
                place="居委会",
                present=["甲"],
                actor=scene.clerk,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="only at a count session"):
            paper.box_event(
                box=box,
                kind="opened",
                at=DURING,
                place="居委会",
                present=["甲"],
                actor=scene.clerk,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="precede the announcement"):
            paper.box_event(
                box=box,
                kind="moved",
                at=T0 - dt.timedelta(days=1),
                place="x",
                present=["甲"],
                actor=scene.clerk,
                now=DURING,
            )
        with pytest.raises(ApplicationError, match="people present"):
            paper.box_event(
                box=box,
                kind="moved",
                at=DURING,
                place="居委会",
                present=[" "],
                actor=scene.clerk,
                now=DURING,
            )
        assert [e.payload["kind"] for e in decision.ledger.filter(event="box")] == ["sealed"]


class TestCountSession:
    def test_witnesses_meet_the_rules_of_procedure(self, scene):
        decision = opened(scene, min_witnesses=3)
        kwargs = dict(
            decision=decision,
            place="会议室",
            scrutineers=["王"],
            counters=["赵"],
            actor=scene.clerk,
            now=AFTER,
        )
        with pytest.raises(ApplicationError, match="at least 3 owner witnesses; 2 are named"):
            paper.count_start(witnesses=[scene.owners[3], scene.owners[4]], **kwargs)
        stranger = OwnerFactory(sub_district=scene.neighbourhood.sub_district)
        with pytest.raises(ApplicationError, match="Not owners on the register"):
            paper.count_start(witnesses=[scene.owners[3], scene.owners[4], stranger], **kwargs)
        session = paper.count_start(
            witnesses=[scene.owners[0], scene.owners[3], scene.owners[4]], **kwargs
        )
        assert session.witnesses.count() == 3

    def test_committee_members_cannot_witness(self, scene):
        from gongzhi.registry.services import (
            MemberSpec,
            management_area_establish,
            owners_committee_create,
        )

        area = management_area_establish(
            name="区", compounds=[scene.compound], on=dt.date(2020, 1, 1), actor=None
        )
        owners_committee_create(
            management_area=area,
            name="业委会",
            term_start=dt.date(2023, 1, 1),
            term_end=dt.date(2028, 1, 1),
            members=[MemberSpec(name="王五", role="chair", owner=scene.owners[3])],
            actor=None,
        )
        decision = opened(scene, min_witnesses=1)
        with pytest.raises(ApplicationError, match="Committee members cannot be witnesses"):
            paper.count_start(
                decision=decision,
                place="会议室",
                scrutineers=["王"],
                counters=["赵"],
                witnesses=[scene.owners[3]],
                actor=scene.clerk,
                now=AFTER,
            )

    def test_sheets_need_an_opened_box_and_a_scan(self, scene, counting):
        decision, box, session = counting
        other = paper.box_create(
            decision=decision, label="二号箱", seal_number="SX-0002", actor=scene.clerk
        )
        item = decision.items.get()
        with pytest.raises(ApplicationError, match="Open the box"):
            paper.count_enter_sheet(
                session=session,
                box=other,
                entry=entry(decision, "1-101"),
                choices={item.pk: "agree"},
                signature="owner",
                signer_name="甲",
                handed_in_by="",
                scan=scan(decision, scene),
                actor=scene.clerk,
                now=AFTER,
            )
        delivery_proof = paper.evidence_store(
            decision=decision, kind="delivery", upload=upload(), actor=scene.clerk
        )
        with pytest.raises(ApplicationError, match="with its scan"):
            paper.count_enter_sheet(
                session=session,
                box=box,
                entry=entry(decision, "1-101"),
                choices={item.pk: "agree"},
                signature="owner",
                signer_name="甲",
                handed_in_by="",
                scan=delivery_proof,
                actor=scene.clerk,
                now=AFTER,
            )

    def test_valid_unsigned_and_unauthorised_sheets(self, scene, counting):
        decision, _box, _session = counting
        signed = enter(counting, scene, "1-101")
        unsigned = enter(counting, scene, "1-102", signature="unsigned", signer="")
        proxy = enter(counting, scene, "1-201", signature="proxy", signer="代理人甲")
        authorised = enter(
            counting,
            scene,
            "1-202",
            signature="proxy",
            signer="代理人乙",
            authorisation=paper.evidence_store(
                decision=decision, kind="authorisation", upload=upload(), actor=scene.clerk
            ),
            id_copy=paper.evidence_store(
                decision=decision, kind="id_copy", upload=upload(), actor=scene.clerk
            ),
        )
        assert [s.rejected_reason == "" for s in (signed, unsigned, proxy, authorised)] == [
            True,
            False,
            False,
            True,
        ]
        assert "cannot be attributed" in unsigned.rejected_reason
        assert "without a written authorisation" in proxy.rejected_reason
        counted = Ballot.objects.filter(state="effective").values_list(
            "entry__unit_number", flat=True
        )
        assert sorted(counted) == ["1-101", "1-202"]
        assert Ballot.objects.get(entry__unit_number="1-101").sheet == signed
        # dated inside the window, although entered after it
        assert Ballot.objects.get(entry__unit_number="1-101").cast_at < CLOSES

    def test_close_carries_the_head_hash_and_ends_entry(self, scene, counting):
        decision, _box, session = counting
        enter(counting, scene, "1-101")
        session = paper.count_close(session=session, actor=scene.clerk, now=AFTER)
        assert session.head_hash == head_hash(decision)
        with pytest.raises(ApplicationError, match="closed"):
            enter(counting, scene, "1-102")
        assert chain_problems(decision) == []


class TestFlagsAndConflicts:
    def test_proxy_and_bearer_over_the_cap_are_flagged_not_refused(self, scene, counting):
        decision, *_ = counting
        Decision.objects.filter(pk=decision.pk).update(proxy_cap=1)
        decision.refresh_from_db()
        docs = dict(
            authorisation=paper.evidence_store(
                decision=decision, kind="authorisation", upload=upload(), actor=scene.clerk
            ),
            id_copy=paper.evidence_store(
                decision=decision, kind="id_copy", upload=upload(), actor=scene.clerk
            ),
        )
        enter(
            counting, scene, "1-101", signature="proxy", signer="王 代理", bearer="刘跑腿", **docs
        )
        enter(counting, scene, "1-102", signature="proxy", signer="王代理", bearer="刘跑腿", **docs)
        kinds = sorted({f.kind for f in paper.sheet_flags(decision)})
        assert kinds == ["bearer_cap", "proxy_cap"]
        assert Ballot.objects.filter(state="effective").count() == 2  # still counted

    def test_owner_changed_and_developer_signature(self, scene, counting):
        decision, *_ = counting
        developer_unit = unit_with_owners(scene.compound, "9-999", "50.00", [], status="unsold")
        del developer_unit  # not on the frozen register: only existing entries are flagged
        sold_on = entry(decision, "1-201")
        Ownership.objects.filter(unit=sold_on.unit).delete()
        Ownership.objects.create(
            unit=sold_on.unit, owner=OwnerFactory(sub_district=scene.neighbourhood.sub_district)
        )
        enter(counting, scene, "1-201")
        assert [f.kind for f in paper.sheet_flags(decision)] == ["owner_changed"]

    def test_conflict_report_lists_what_the_rules_did(self, scene, counting):
        decision, *_ = counting
        item = decision.items.get()
        ballot_cast_online(
            decision=decision,
            entry=entry(decision, "1-101"),
            choices={item.pk: "agree"},
            user=scene.owner_user,
            now=DURING,
        )
        enter(counting, scene, "1-101", choice="disagree")
        enter(counting, scene, "1-102", signature="unsigned", signer="")
        rows = {(c.entry.unit_number, c.kind): c for c in paper.conflict_report(decision)}
        assert "first valid one" in rows[("1-101", "several_ballots")].outcome
        assert "cannot be attributed" in rows[("1-102", "unsigned")].outcome


class TestObjectionsAndReverification:
    @pytest.fixture
    def preliminary(self, scene, counting):
        decision, _box, session = counting
        self.sheet = enter(counting, scene, "1-101")
        enter(counting, scene, "1-102")
        enter(counting, scene, "1-201")
        paper.count_close(session=session, actor=scene.clerk, now=AFTER)
        self.result = decision_close(
            decision=decision, actor=scene.clerk, now=AFTER + dt.timedelta(minutes=1)
        )
        return Decision.objects.get(pk=decision.pk)

    def test_objection_in_the_period_by_a_registered_owner_must_be_answered(
        self, scene, preliminary
    ):
        during = self.result.published_at + dt.timedelta(days=1)
        with pytest.raises(PermissionRefused, match="Only owners"):
            paper.objection_lodge(
                decision=preliminary, user=scene.outsider, text="不服", now=during
            )
        objection = paper.objection_lodge(
            decision=preliminary, user=scene.owner_user, text="1-201 的签名不是业主本人", now=during
        )
        assert objection.owner == scene.owners[0]
        with pytest.raises(ApplicationError, match="during the period"):
            paper.objection_lodge(
                decision=preliminary,
                user=scene.owner_user,
                text="晚了",
                now=self.result.published_at + dt.timedelta(days=8),
            )
        later = self.result.published_at + dt.timedelta(days=8)
        with pytest.raises(ApplicationError, match="1 objection"):
            decision_finalise(decision=preliminary, actor=scene.clerk, now=later)
        paper.objection_answer(
            objection=objection, answer="已上门核实，见复核记录。", actor=scene.clerk
        )
        decision_finalise(decision=preliminary, actor=scene.clerk, now=later)

    def test_disowned_ballot_is_excluded_and_the_final_result_recounted(self, scene, preliminary):
        evidence = paper.evidence_store(
            decision=preliminary, kind="reverification", upload=upload(), actor=scene.clerk
        )
        with pytest.raises(ApplicationError, match="with its evidence"):
            paper.reverification_record(
                sheet=self.sheet, method="call", outcome="disowned", actor=scene.clerk
            )
        paper.reverification_record(
            sheet=self.sheet,
            method="visit",
            outcome="disowned",
            evidence=evidence,
            note="业主称未曾投票",
            actor=scene.clerk,
        )
        ballot = Ballot.objects.get(sheet=self.sheet)
        assert ballot.state == BallotState.EXCLUDED
        final = decision_finalise(
            decision=preliminary,
            actor=scene.clerk,
            now=self.result.published_at + dt.timedelta(days=8),
        )
        before = self.result.data["items"][0]["options"][0]["without_clause"]["combined"][
            "participating"
        ]
        after = final.data["items"][0]["options"][0]["without_clause"]["combined"]["participating"]
        assert (before["heads"], after["heads"]) == (3, 2)
        assert preliminary.ledger.filter(event="reverification").exists()
        call_command("verify_decision", str(preliminary.pk), stdout=io.StringIO())

    def test_retention_covers_a_year_and_the_committee_term(self, scene, preliminary):
        final = decision_finalise(
            decision=preliminary,
            actor=scene.clerk,
            now=self.result.published_at + dt.timedelta(days=8),
        )
        until = paper.retention_until(preliminary)
        assert until >= (final.published_at + dt.timedelta(days=365)).date()

    def test_changed_scan_is_reported_by_verify_decision(self, scene, preliminary):
        stored = Path(self.sheet.scan.file.path)
        stored.write_bytes(stored.read_bytes() + b"tampered")
        with pytest.raises(CommandError):
            call_command(
                "verify_decision", str(preliminary.pk), stdout=io.StringIO(), stderr=io.StringIO()
            )


def test_developer_unit_signed_by_someone_else_is_flagged(scene):
    developer_unit = unit_with_owners(scene.compound, "9-901", "50.00", [], status="unsold")
    scene.compound.developer_representative = "开发商代表 孙某"
    scene.compound.save()
    decision = opened(scene, min_witnesses=1)
    box = paper.box_create(decision=decision, label="箱", seal_number="S", actor=scene.clerk)
    paper.box_event(
        box=box,
        kind="sealed",
        at=OPENS,
        place="居委会",
        present=["甲"],
        actor=scene.clerk,
        now=OPENS,
    )
    session = paper.count_start(
        decision=decision,
        place="会议室",
        scrutineers=["王"],
        counters=["赵"],
        witnesses=[scene.owners[3]],
        actor=scene.clerk,
        now=AFTER,
    )
    paper.count_open_box(session=session, box=box, present=["王"], actor=scene.clerk, now=AFTER)
    item = decision.items.get()
    developer_entry = decision.register.get(unit=developer_unit)
    for signer in ("开发商代表 孙某", "售楼处 某某"):
        paper.count_enter_sheet(
            session=session,
            box=box,
            entry=developer_entry,
            choices={item.pk: "agree"},
            signature="owner",
            signer_name=signer,
            handed_in_by="",
            scan=scan(decision, scene),
            actor=scene.clerk,
            now=AFTER,
        )
    flags = [f for f in paper.sheet_flags(decision) if f.kind == "developer_signature"]
    assert [f.sheet.signer_name for f in flags] == ["售楼处 某某"]
    assert "售楼处 某某" in flags[0].message
