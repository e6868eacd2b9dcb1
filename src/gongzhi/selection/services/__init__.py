"""Writes for provider selection, by topic: the pool, custody (托管), selection plans
and bids, the expert panel and its ranking, and the contracts signed.
"""

from .contracts import contract_record
from .custody import (
    MAX_CUSTODY_MONTHS,
    active_committee,
    custody_assign,
    custody_extend,
    custody_request_create,
    handover_mark,
    supporting_share,
)
from .panel import (
    RANKING_MIN_POSTING,
    RANKING_PUBLISH_WITHIN,
    evaluate_plan,
    evaluation_json,
    panel_add_member,
    panel_close,
    panel_declare,
    panel_open,
    presentation_record,
    ranking_publish,
    score_submit,
)
from .plans import bid_submit, document_store, plan_create, plan_publish
from .pool import pool_entry_set_status

__all__ = [
    "pool_entry_set_status",
    "MAX_CUSTODY_MONTHS",
    "active_committee",
    "supporting_share",
    "custody_request_create",
    "handover_mark",
    "custody_assign",
    "custody_extend",
    "plan_create",
    "plan_publish",
    "document_store",
    "bid_submit",
    "RANKING_PUBLISH_WITHIN",
    "RANKING_MIN_POSTING",
    "panel_add_member",
    "panel_declare",
    "panel_open",
    "score_submit",
    "panel_close",
    "evaluate_plan",
    "evaluation_json",
    "ranking_publish",
    "presentation_record",
    "contract_record",
]
