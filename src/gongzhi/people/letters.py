"""Activation letters: one A4 page per unit and owner, with the owner's one-time code
and a QR code to the activation page — for owners the roll has no mobile or ID
number for (or for all owners of a compound). Printed in the background."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gongzhi.core.jobs import background, job_advance, job_note, job_result, job_total
from gongzhi.core.masking import mask_name
from gongzhi.core.pdf import draw_qr, register_font, wrap
from gongzhi.registry.models import Compound, Owner, Unit

from .services.claims import activation_codes_issue, activation_format

WITHOUT_CONTACT = "without_contact"
EVERYONE = "all"


def letter_owners(compound: Compound, which: str) -> list[tuple[Unit, Owner]]:
    """(unit, owner) pairs of the compound, in building and room order."""
    units = (
        Unit.objects.filter(compound=compound)
        .select_related("building")
        .prefetch_related("owners")
        .order_by("building__name", "number")
    )
    pairs = []
    for unit in units:
        for owner in unit.owners.all():
            if which == WITHOUT_CONTACT and owner.phone and owner.id_number_hash:
                continue
            pairs.append((unit, owner))
    return pairs


def letters_pdf(
    *, compound: Compound, pairs: list[tuple[Unit, Owner]], codes: dict[int, str]
) -> bytes:
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"账户激活函 {compound.name}")
    canvas.setAuthor("gongzhi")
    width, height = A4
    margin = 20 * mm
    page_url = settings.BASE_URL + reverse("people:activate")
    issued = timezone.localdate()
    for unit, owner in pairs:
        code = activation_format(codes[owner.pk])
        y = height - margin
        canvas.setFont(font, 18)
        canvas.drawString(margin, y, "共治平台账户激活函")
        y -= 28
        canvas.setFont(font, 12)
        where = f"{compound.name} {unit.building.name if unit.building else ''} {unit.number}"
        canvas.drawString(margin, y, f"房屋：{where}")
        y -= 18
        canvas.drawString(margin, y, f"业主：{mask_name(owner.name) or '（未登记姓名）'}")
        y -= 30
        draw_qr(
            canvas, f"{page_url}?code={quote(code)}", width - margin - 40 * mm, y - 30 * mm, 40 * mm
        )
        canvas.setFont(font, 11)
        body = (
            f"尊敬的业主：{compound.neighbourhood.name}居民委员会使用“共治”平台组织业主表决、"
            "发布公示、征询意见。您可凭本函激活自己的账户，在手机上查看表决和公示、在线表决。"
        )
        for line in wrap(body, width - 2 * margin - 46 * mm, 11):
            canvas.drawString(margin, y, line)
            y -= 16
        y -= 8
        canvas.setFont(font, 12)
        canvas.drawString(margin, y, "激活方法：")
        y -= 18
        steps = [
            "1. 用手机扫描右侧二维码，或在浏览器打开：",
            f"   {page_url}",
            f"2. 输入激活码 {code} 和您本人的手机号码；",
            "3. 输入短信验证码并设置密码，即可登录。",
        ]
        canvas.setFont(font, 11)
        for line in steps:
            canvas.drawString(margin, y, line)
            y -= 17
        y -= 10
        canvas.setFont(font, 22)
        canvas.drawString(margin, y, f"激活码：{code}")
        y -= 30
        canvas.setFont(font, 9)
        notes = (
            "激活码仅可使用一次，有效期 180 天；请妥善保管，勿转交他人。"
            "共有人各自收到本人的激活函。"
            "如房屋信息有误，或无法激活，请携带身份证和不动产权证书到居委会办理。"
        )
        for line in wrap(notes, width - 2 * margin, 9):
            canvas.drawString(margin, y, line)
            y -= 13
        canvas.drawString(
            margin, margin - 6 * mm, f"{compound.neighbourhood.name} · {issued:%Y年%m月%d日} 印制"
        )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@background("people.activation_letters")
def print_letters(job, *, compound_id: int, which: str, actor_id: int | None) -> None:
    """Issue codes and print the letters of a compound."""
    from gongzhi.accounts.models import User

    compound = Compound.objects.select_related("neighbourhood").get(pk=compound_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    pairs = letter_owners(compound, which)
    job_total(job, len(pairs))
    owners = list({owner.pk: owner for _unit, owner in pairs}.values())
    codes = activation_codes_issue(compound=compound, owners=owners, actor=actor)
    pdf = letters_pdf(compound=compound, pairs=pairs, codes=codes)
    job_advance(job, len(pairs))
    job_note(job, f"{len(pairs)} letters for {len(owners)} owners")
    job_result(job, pdf, f"activation-letters-{compound.pk}.pdf", "application/pdf")
