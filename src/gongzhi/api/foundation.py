"""The community foundation's disclosure over JSON: every public restricted fund with
what was given, paid out and is left, as yuan strings exact to the fen."""

from __future__ import annotations

from ninja import Router, Schema

from gongzhi.core.money import yuan_text
from gongzhi.foundation import selectors

router = Router(tags=["foundation"])


class FundOut(Schema):
    name: str
    beneficiary: str
    donated: str
    disbursed: str
    balance: str


@router.get("/funds", response=list[FundOut], auth=None)
def funds(request):
    """Public restricted funds; amounts in yuan with two decimals ("50000.00")."""
    found = list(selectors.public_funds().order_by("starts_on", "pk"))
    sums = selectors.figures(found)
    return [
        {
            "name": fund.name,
            "beneficiary": fund.beneficiary,
            "donated": yuan_text(sums[fund.pk].donated),
            "disbursed": yuan_text(sums[fund.pk].disbursed),
            "balance": yuan_text(sums[fund.pk].balance),
        }
        for fund in found
    ]
