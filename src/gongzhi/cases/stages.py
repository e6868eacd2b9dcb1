"""The stages of a consolidation case and what each needs. Pure: no database.

The selectors gather the facts of a case (``CaseFacts``); ``missing`` says in words
what still stands between the case and a stage, e.g. "茅台雅苑的业主表决尚未通过".
A stage can be marked not applicable for one compound (a waiver with a reason);
its per-compound checks then skip that compound.

    opened → task force formed → stakeholders engaged → custody assigned →
    legality confirmed → owners' approval in every compound → professional
    evaluation → disclosure → contracts signed → management areas merged →
    owners' committees merged → completed
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.i18n import gettext_noop


class Stage(models.TextChoices):
    OPENED = "opened", _("case opened")
    TASK_FORCE = "task_force", _("task force formed")
    ENGAGEMENT = "engagement", _("stakeholders engaged")
    CUSTODY = "custody", _("custody applied and assigned")
    LEGALITY = "legality", _("legality confirmed")
    APPROVAL = "approval", _("owners' approval in every compound")
    EVALUATION = "evaluation", _("professional evaluation")
    DISCLOSURE = "disclosure", _("disclosure")
    CONTRACTS = "contracts", _("contracts signed")
    AREAS_MERGED = "areas_merged", _("management areas merged")
    COMMITTEES_MERGED = "committees_merged", _("owners' committees merged")
    COMPLETED = "completed", _("completed")


ORDER: tuple[str, ...] = tuple(Stage.values)
# Stages checked compound by compound; only these can be waived for one compound.
PER_COMPOUND = (Stage.ENGAGEMENT, Stage.CUSTODY, Stage.APPROVAL, Stage.CONTRACTS)


def next_stage(current: str) -> str | None:
    index = ORDER.index(current)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def reached(current: str, stage: str) -> bool:
    return ORDER.index(current) >= ORDER.index(stage)


@dataclass(frozen=True)
class CompoundFacts:
    name: str
    waived: frozenset[str] = frozenset()
    exiting_company: str | None = None
    intention_recorded: bool = False
    committee_briefed: bool = False
    residents_met: bool = False
    custody_assigned: bool = False
    approval_passed: bool | None = None  # None: no final result for this compound
    contract_signed: bool = False


@dataclass(frozen=True)
class CaseFacts:
    compounds: tuple[CompoundFacts, ...]
    now: dt.datetime
    task_force: bool = False
    task_force_leader: bool = False
    task_force_members: int = 0
    work_plan_tasks: int = 0
    legal_opinions: int = 0
    unsigned_opinions: tuple[str, ...] = ()
    approval_title: str | None = None  # None: no decision linked
    approval_final: bool = False
    plan_linked: bool = False
    panel_closed: bool = False
    ranking_published: bool = False
    disclosure_linked: bool = False
    disclosure_published: bool = False
    disclosure_until: dt.datetime | None = None
    areas_merged: bool = False
    committee_recorded: bool = False
    old_committees_in_office: tuple[str, ...] = ()
    filings_outstanding: tuple[str, ...] = ()
    reelection_under_way: bool = False
    open_action_items: int = 0


@dataclass(frozen=True)
class Missing:
    template: str
    params: tuple[tuple[str, object], ...] = field(default=())
    compound: str | None = None

    def text(self, translate: Callable[[str], str] = str) -> str:
        message = translate(self.template)
        return message % dict(self.params) if self.params else message


NO_TASK_FORCE = gettext_noop("No task force has been formed.")
NO_LEADER = gettext_noop("The task force has no leader.")
NO_MEMBERS = gettext_noop("The task force has no members.")
NO_WORK_PLAN = gettext_noop("The task force has no work plan yet (no tasks).")
NO_INTENTION = gettext_noop("%(compound)s: the intention of %(company)s is not recorded.")
NOT_BRIEFED = gettext_noop(
    "%(compound)s: its owners' committee has not been briefed at a four-party meeting."
)
NO_RESIDENTS_MEETING = gettext_noop("%(compound)s: no residents' meeting has been held.")
NO_CUSTODY = gettext_noop("%(compound)s: no custodian has been assigned.")
NO_OPINION = gettext_noop("No expert opinion of an industry association has been uploaded.")
UNSIGNED = gettext_noop("“%(title)s” has not been signed off.")
NO_DECISION = gettext_noop("No owners' decision is linked to the case.")
NOT_FINAL = gettext_noop("The owners' decision “%(title)s” has no final result yet.")
NOT_PASSED = gettext_noop("%(compound)s: the owners' decision has not passed.")
NO_PLAN = gettext_noop("No selection plan is linked to the case.")
PANEL_OPEN = gettext_noop("The evaluation panel has not finished scoring.")
NO_RANKING = gettext_noop("The ranking of candidates has not been published.")
NO_NOTICE = gettext_noop("No disclosure notice is linked to the case.")
NOTICE_DRAFT = gettext_noop("The disclosure notice has not been published.")
NOTICE_UP = gettext_noop(
    "The disclosure notice is up until %(date)s; its full period has not ended."
)
NO_CONTRACT = gettext_noop("%(compound)s: no service contract has been recorded.")
NOT_MERGED = gettext_noop("The management areas have not been merged into one.")
NO_COMMITTEE = gettext_noop("The merged owners' committee has not been recorded.")
STILL_IN_OFFICE = gettext_noop("Still in office: %(names)s.")
FILING_OUTSTANDING = gettext_noop("Filing not yet made: %(what)s.")
REELECTION = gettext_noop("The committee re-election is still under way.")
OPEN_ITEMS = gettext_noop("%(count)d action items of the case's meetings are still open.")

# A problem found in a compound: its message template and the template's parameters.
Problem = tuple[str, tuple[tuple[str, object], ...]]
Check = Callable[[CompoundFacts], Iterator[Problem]]


def _each(facts: CaseFacts, stage: str, check: Check) -> list[Missing]:
    found: list[Missing] = []
    for compound in facts.compounds:
        if stage in compound.waived:
            continue
        found += [
            Missing(template, (("compound", compound.name), *params), compound.name)
            for template, params in check(compound)
        ]
    return found


def _engagement(compound: CompoundFacts) -> Iterator[Problem]:
    if compound.exiting_company and not compound.intention_recorded:
        yield NO_INTENTION, (("company", compound.exiting_company),)
    if not compound.committee_briefed:
        yield NOT_BRIEFED, ()
    if not compound.residents_met:
        yield NO_RESIDENTS_MEETING, ()


def _custody(compound: CompoundFacts) -> Iterator[Problem]:
    if not compound.custody_assigned:
        yield NO_CUSTODY, ()


def _approval(compound: CompoundFacts) -> Iterator[Problem]:
    if not compound.approval_passed:
        yield NOT_PASSED, ()


def _contracts(compound: CompoundFacts) -> Iterator[Problem]:
    if not compound.contract_signed:
        yield NO_CONTRACT, ()


def missing(stage: str, facts: CaseFacts) -> list[Missing]:
    """What is missing before the case may reach ``stage``; empty when nothing is."""
    if stage == Stage.TASK_FORCE:
        if not facts.task_force:
            return [Missing(NO_TASK_FORCE)]
        found = []
        if not facts.task_force_leader:
            found.append(Missing(NO_LEADER))
        if facts.task_force_members == 0:
            found.append(Missing(NO_MEMBERS))
        if facts.work_plan_tasks == 0:
            found.append(Missing(NO_WORK_PLAN))
        return found
    if stage == Stage.ENGAGEMENT:
        return _each(facts, stage, _engagement)
    if stage == Stage.CUSTODY:
        return _each(facts, stage, _custody)
    if stage == Stage.LEGALITY:
        if facts.legal_opinions == 0:
            return [Missing(NO_OPINION)]
        return [Missing(UNSIGNED, (("title", title),)) for title in facts.unsigned_opinions]
    if stage == Stage.APPROVAL:
        if facts.approval_title is None:
            return [Missing(NO_DECISION)]
        if not facts.approval_final:
            return [Missing(NOT_FINAL, (("title", facts.approval_title),))]
        return _each(facts, stage, _approval)
    if stage == Stage.EVALUATION:
        if not facts.plan_linked:
            return [Missing(NO_PLAN)]
        if not facts.panel_closed:
            return [Missing(PANEL_OPEN)]
        return [] if facts.ranking_published else [Missing(NO_RANKING)]
    if stage == Stage.DISCLOSURE:
        if not facts.disclosure_linked:
            return [Missing(NO_NOTICE)]
        if not facts.disclosure_published:
            return [Missing(NOTICE_DRAFT)]
        until = facts.disclosure_until
        if until is not None and until > facts.now:
            return [Missing(NOTICE_UP, (("date", until.strftime("%Y-%m-%d %H:%M")),))]
        return []
    if stage == Stage.CONTRACTS:
        return _each(facts, stage, _contracts)
    if stage == Stage.AREAS_MERGED:
        return [] if facts.areas_merged else [Missing(NOT_MERGED)]
    if stage == Stage.COMMITTEES_MERGED:
        if not facts.committee_recorded:
            return [Missing(NO_COMMITTEE)]
        found = []
        if facts.old_committees_in_office:
            names = "、".join(facts.old_committees_in_office)
            found.append(Missing(STILL_IN_OFFICE, (("names", names),)))
        found += [Missing(FILING_OUTSTANDING, (("what", w),)) for w in facts.filings_outstanding]
        if facts.reelection_under_way:
            found.append(Missing(REELECTION))
        return found
    if stage == Stage.COMPLETED:
        count = facts.open_action_items
        return [Missing(OPEN_ITEMS, (("count", count),))] if count else []
    return []


def compound_status(stage: str, compound: CompoundFacts) -> str:
    """For the timeline grid: "waived", "done" or "missing" for a per-compound stage."""
    if stage in compound.waived:
        return "waived"
    checks: dict[str, Check] = {
        Stage.ENGAGEMENT: _engagement,
        Stage.CUSTODY: _custody,
        Stage.APPROVAL: _approval,
        Stage.CONTRACTS: _contracts,
    }
    return "missing" if list(checks[stage](compound)) else "done"
