"""Pages of provider selection, by topic: the pool and custody, the selection plan
and its panel, the bids and the scoring. Thin: ask the permission, call a service or
a selector, render; refusals say why.
"""

from .bids import bid, score, score_declare
from .custody import (
    custody,
    custody_extend,
    custody_handover,
    custody_new,
    custody_pick,
    index,
    pool,
)
from .plans import (
    contract,
    contract_record,
    panel_close,
    panel_member_add,
    panel_open,
    plan,
    plan_new,
    plan_publish,
    presentation_record,
    ranking,
    ranking_publish,
    report,
)

__all__ = [
    "index",
    "pool",
    "custody_new",
    "custody",
    "custody_pick",
    "custody_handover",
    "custody_extend",
    "plan_new",
    "plan",
    "plan_publish",
    "panel_member_add",
    "panel_open",
    "panel_close",
    "ranking_publish",
    "presentation_record",
    "contract_record",
    "ranking",
    "contract",
    "report",
    "bid",
    "score",
    "score_declare",
]
