"""Reads of street-improvement projects: what the reader may see, and each project's
figures (weighted progress, budget and spending in fen, exact)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from gongzhi.accounts.scopes import scopes_for

from .models import ItemStatus, Project, ProjectItem
from .progress import weighted


def visible_to(user) -> QuerySet[Project]:
    """Published projects for everyone; drafts for those who manage them."""
    scopes = scopes_for(user)
    base = Project.objects.select_related("sub_district")
    if scopes.superuser:
        return base
    return base.filter(
        Q(published=True)
        | Q(sub_district_id__in=scopes.sub_districts)
        | Q(neighbourhoods__in=scopes.neighbourhoods)
    ).distinct()


@dataclass
class Figures:
    progress: Decimal  # percent, one decimal, weighted over the items not cancelled
    budget_fen: int
    spent_fen: int
    items: int
    done: int

    @property
    def spent_share(self) -> Decimal | None:
        if not self.budget_fen:
            return None
        return (Decimal(self.spent_fen) * 100 / Decimal(self.budget_fen)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def figures(items: list[ProjectItem]) -> Figures:
    counted = [i for i in items if i.status != ItemStatus.CANCELLED]
    return Figures(
        progress=weighted((i.progress, i.weight) for i in counted),
        budget_fen=sum(i.budget_fen for i in counted),
        spent_fen=sum(i.spent_fen for i in items),  # money spent stays spent
        items=len(counted),
        done=sum(1 for i in counted if i.status == ItemStatus.DONE),
    )
