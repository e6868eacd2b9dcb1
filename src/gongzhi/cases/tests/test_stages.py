"""The stage guards, pure: each says in words what is missing."""

import datetime as dt

from gongzhi.cases.stages import (
    ORDER,
    CaseFacts,
    CompoundFacts,
    Stage,
    compound_status,
    missing,
    next_stage,
)
from gongzhi.core.i18n import translator

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def facts(*compounds, **kwargs):
    return CaseFacts(compounds=tuple(compounds), now=NOW, **kwargs)


def texts(stage, case_facts, translate=str):
    return [m.text(translate) for m in missing(stage, case_facts)]


def test_the_stages_run_in_the_order_of_the_reference_case():
    assert ORDER[0] == Stage.OPENED and ORDER[-1] == Stage.COMPLETED
    assert next_stage(Stage.APPROVAL) == Stage.EVALUATION
    assert next_stage(Stage.COMPLETED) is None


def test_task_force_needs_a_leader_members_and_a_work_plan():
    assert texts(Stage.TASK_FORCE, facts()) == ["No task force has been formed."]
    assert texts(Stage.TASK_FORCE, facts(task_force=True)) == [
        "The task force has no leader.",
        "The task force has no members.",
        "The task force has no work plan yet (no tasks).",
    ]
    ready = facts(task_force=True, task_force_leader=True, task_force_members=3, work_plan_tasks=1)
    assert missing(Stage.TASK_FORCE, ready) == []


def test_engagement_per_compound_and_a_waiver_skips_one():
    shuixia = CompoundFacts("水霞小区", exiting_company="仙霞物业", residents_met=True)
    maotai = CompoundFacts("茅台雅苑", committee_briefed=True)
    assert texts(Stage.ENGAGEMENT, facts(shuixia, maotai)) == [
        "水霞小区: the intention of 仙霞物业 is not recorded.",
        "水霞小区: its owners' committee has not been briefed at a four-party meeting.",
        "茅台雅苑: no residents' meeting has been held.",
    ]
    waived = CompoundFacts("茅台雅苑", waived=frozenset({Stage.ENGAGEMENT}))
    assert [m.compound for m in missing(Stage.ENGAGEMENT, facts(shuixia, waived))] == [
        "水霞小区",
        "水霞小区",
    ]
    assert compound_status(Stage.ENGAGEMENT, waived) == "waived"
    assert compound_status(Stage.ENGAGEMENT, shuixia) == "missing"


def test_custody_waived_where_the_chosen_provider_already_serves():
    served = CompoundFacts("茅台雅苑", waived=frozenset({Stage.CUSTODY}))
    assert (
        missing(Stage.CUSTODY, facts(served, CompoundFacts("安虹小区", custody_assigned=True)))
        == []
    )


def test_approval_names_the_compound_that_did_not_pass_in_chinese():
    failed = CompoundFacts("茅台雅苑", approval_passed=False)
    passed = CompoundFacts("水霞小区", approval_passed=True)
    assert texts(Stage.APPROVAL, facts(passed, failed)) == [
        "No owners' decision is linked to the case."
    ]
    linked = facts(passed, failed, approval_title="同意由纺原物业提供物业服务")
    assert texts(Stage.APPROVAL, linked) == [
        "The owners' decision “同意由纺原物业提供物业服务” has no final result yet."
    ]
    final = facts(passed, failed, approval_title="x", approval_final=True)
    assert texts(Stage.APPROVAL, final, translator("zh-hans")) == ["茅台雅苑的业主表决尚未通过。"]
    no_result = facts(CompoundFacts("安虹小区"), approval_title="x", approval_final=True)
    assert len(missing(Stage.APPROVAL, no_result)) == 1  # no result counts as not passed


def test_evaluation_and_disclosure_in_order():
    assert texts(Stage.EVALUATION, facts()) == ["No selection plan is linked to the case."]
    assert texts(Stage.EVALUATION, facts(plan_linked=True)) == [
        "The evaluation panel has not finished scoring."
    ]
    assert texts(Stage.EVALUATION, facts(plan_linked=True, panel_closed=True)) == [
        "The ranking of candidates has not been published."
    ]
    up = facts(disclosure_linked=True, disclosure_published=True, disclosure_until=NOW)
    assert missing(Stage.DISCLOSURE, up) == []  # ends exactly now: its full period is over
    later = NOW + dt.timedelta(seconds=60)
    still = facts(disclosure_linked=True, disclosure_published=True, disclosure_until=later)
    assert texts(Stage.DISCLOSURE, still) == [
        "The disclosure notice is up until 2026-06-01 09:01; its full period has not ended."
    ]


def test_committees_merged_needs_the_old_ones_out_the_filings_made_the_election_over():
    assert texts(Stage.COMMITTEES_MERGED, facts()) == [
        "The merged owners' committee has not been recorded."
    ]
    pending = facts(
        committee_recorded=True,
        old_committees_in_office=("水霞小区业委会",),
        filings_outstanding=("record of the new committee：水霞居民区业委会",),
        reelection_under_way=True,
    )
    assert texts(Stage.COMMITTEES_MERGED, pending) == [
        "Still in office: 水霞小区业委会.",
        "Filing not yet made: record of the new committee：水霞居民区业委会.",
        "The committee re-election is still under way.",
    ]


def test_completion_waits_for_open_action_items():
    assert texts(Stage.COMPLETED, facts(open_action_items=2)) == [
        "2 action items of the case's meetings are still open."
    ]
    assert missing(Stage.COMPLETED, facts()) == []
