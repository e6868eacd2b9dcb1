"""The demo's business services: the 11 April ceremony "云南省商会走进仙霞" with its
three kinds of agreement and their commitments, three enterprises the chamber
recommended at different stages, the chamber president's ¥50,000 gift through the
community foundation to the 金平县 fund with its receipt and a first payment, and
the district's featured-merchant certification with its first five shops (向野制果
and howlow好时毛咖啡 at their real addresses, nominated by this sub-district) and a
revoked one, and the youth-economy market.

The two shops' names and addresses and the event's outline come from the public
story; everything else — enterprises, people, amounts beyond the gift, receipt
numbers, scores, coordinates, other shops — is INVENTED. Seeded once."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.accounts.models import Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.foundation import services as foundation
from gongzhi.foundation.models import DisclosureReport
from gongzhi.merchants import services as merchants
from gongzhi.merchants.models import Application, Certificate, Merchant, Scheme
from gongzhi.partners import services as partners
from gongzhi.partners.models import Agreement, Stage
from gongzhi.registry.models import Organisation, OrganisationKind, SubDistrict

from .images import tiny_png
from .names import DEMO_PASSWORD

D = dt.date
CEREMONY = D(2026, 4, 11)
SCHEME = "长宁区青春经济特色商家认证"
FUND = "金平县帮扶专项基金"

BUSINESS_PERSONAS = {
    # username: (display name, phone)
    "economic": ("街道经发中心 陈主任", "19900000008"),
    "foundation": ("仙霞社区基金会 刘会计", "19900000009"),
    "merchant": ("向野制果 店主", "19900000010"),
    "district": ("区认证办 赵老师", "19900000011"),
}

# name, address, category, sub-district key, latitude, longitude, story
SHOPS = [
    (
        "向野制果",
        "茅台路553号",
        "bakery",
        "xianxia",
        "31.213900",
        "121.393800",
        "社区里的蛋糕店，年轻店主手作水果蛋糕，也在青春经济市集摆摊。",
    ),
    (
        "howlow好时毛咖啡",
        "虹古路324-1临号",
        "cafe",
        "xianxia",
        "31.201600",
        "121.392000",
        "街角的小咖啡馆，常办邻里分享会。",
    ),
    (
        "拾光书影（演示）",
        "天山路600号（虚构）",
        "creative",
        "tianshan",
        "31.214600",
        "121.404500",
        "旧书与独立影像的小空间（演示数据）。",
    ),
    (
        "青禾轻食（演示）",
        "娄山关路88号（虚构）",
        "food",
        "tianshan",
        "31.210800",
        "121.410200",
        "面向上班族的轻食小店（演示数据）。",
    ),
    (
        "木作研习社（演示）",
        "遵义路120号（虚构）",
        "creative",
        "tianshan",
        "31.208100",
        "121.413600",
        "木工体验和亲子手作（演示数据）。",
    ),
]
REVOKED_SHOP = (
    "旧时光奶茶（演示）", "仙霞路300号（虚构）", "cafe", "xianxia", "31.209000", "121.389500",
    "（演示数据）",
)  # fmt: skip


def _user(username: str, display_name: str, phone: str = "") -> User:
    user, created = User.objects.get_or_create(username=username)
    user.display_name = display_name
    user.phone = phone or user.phone
    user.is_demo = True
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _organisation(kind: str, name: str, sub_district: SubDistrict | None = None) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        kind=kind,
        name=name,
        defaults={"sub_district": sub_district, "is_demo": sub_district is None},
    )
    return organisation


def seed_business(sub_district: SubDistrict) -> None:
    if Agreement.objects.filter(sub_district=sub_district).exists():
        return
    tianshan, _ = SubDistrict.objects.update_or_create(
        name="天山路街道（演示）",
        defaults={"district": "长宁区", "city": "上海市", "is_demo": True},
    )
    areas = {"xianxia": sub_district, "tianshan": tianshan}
    office = _organisation(OrganisationKind.SUB_DISTRICT_OFFICE, "仙霞新村街道办事处", sub_district)
    branch = _organisation(
        OrganisationKind.PARTY_BRANCH, "仙霞新村街道经济发展中心党支部", sub_district
    )
    chamber = _organisation(OrganisationKind.CHAMBER_OF_COMMERCE, "上海市云南商会")
    chamber_branch = _organisation(OrganisationKind.PARTY_BRANCH, "上海市云南商会党支部")
    fund_body = _organisation(OrganisationKind.FOUNDATION, "仙霞社区基金会", sub_district)
    # The district's office, filed under the demo sub-district so that removing the
    # demo takes the scheme with it.
    scheme_office = _organisation(
        OrganisationKind.GOVERNMENT_OFFICE, "长宁区青春经济特色商家认证办公室（演示）", sub_district
    )

    name, phone = BUSINESS_PERSONAS["economic"]
    economic = _user("economic", name, phone)
    membership_grant(
        user=economic, role=Role.ECONOMIC_OFFICER, actor=None, sub_district=sub_district
    )
    tianshan_officer = _user("economic2", "天山路街道经发 演示干部")
    membership_grant(
        user=tianshan_officer, role=Role.ECONOMIC_OFFICER, actor=None, sub_district=tianshan
    )
    name, phone = BUSINESS_PERSONAS["foundation"]
    clerk = _user("foundation", name, phone)
    membership_grant(user=clerk, role=Role.FOUNDATION_CLERK, actor=None, organisation=fund_body)
    name, phone = BUSINESS_PERSONAS["district"]
    district = _user("district", name, phone)
    membership_grant(
        user=district, role=Role.DISTRICT_OFFICER, actor=None, organisation=scheme_office
    )

    _agreements(sub_district, economic, office, branch, chamber, chamber_branch, fund_body)
    _foundation(fund_body, clerk, chamber)
    _merchants(areas, economic, tianshan_officer, district, scheme_office)


def _agreements(sub_district, economic, office, branch, chamber, chamber_branch, fund_body) -> None:
    ceremony = partners.event_create(
        sub_district=sub_district,
        kind="ceremony",
        title="云南省商会走进仙霞",
        held_on=CEREMONY,
        place="仙霞新村街道",
        summary="街道与上海市云南商会签署全面战略合作协议；经发中心党支部与商会党支部签署党建共建协议；"
        "商会推荐的三家企业签署落户意向书；商会会长通过仙霞社区基金会向云南省金平县捐赠。",
        actor=economic,
    )
    strategic = partners.agreement_create(
        sub_district=sub_district,
        kind="strategic",
        title="仙霞新村街道与上海市云南商会全面战略合作协议",
        summary="双方联合开展招商引资和企业服务活动，共享资源，服务在仙霞发展的云南企业。",
        parties=[(office, "街道主任（演示）", "甲方"), (chamber, "商会会长（演示）", "乙方")],
        signed_on=CEREMONY,
        expires_on=D(2029, 4, 10),
        event=ceremony,
        actor=economic,
    )
    party = partners.agreement_create(
        sub_district=sub_district,
        kind="party_building",
        title="经济发展中心党支部与上海市云南商会党支部党建共建协议",
        parties=[
            (branch, "支部书记（演示）", "甲方"),
            (chamber_branch, "支部书记（演示）", "乙方"),
        ],
        signed_on=CEREMONY,
        expires_on=D(2028, 4, 10),
        event=ceremony,
        actor=economic,
    )
    donation = partners.agreement_create(
        sub_district=sub_district,
        kind="donation",
        title="上海市云南商会会长定向捐赠协议（金平县帮扶）",
        parties=[(chamber, "商会会长（演示）", "捐赠方"), (fund_body, "理事长（演示）", "受赠方")],
        signed_on=CEREMONY,
        event=ceremony,
        actor=economic,
    )
    for agreement in (strategic, party, donation):
        partners.agreement_step(agreement=agreement, step="sign", actor=economic)
        partners.agreement_step(agreement=agreement, step="bring_into_force", actor=economic)
    done = partners.commitment_add(
        agreement=strategic,
        title="为商会推荐的企业设立落地服务专班",
        owner=office,
        owner_person="经发中心",
        due_on=D(2026, 6, 30),
        actor=economic,
    )
    partners.commitment_done(
        commitment=done,
        done_on=D(2026, 5, 15),
        evidence="专班名单与首次对接会纪要（演示）",
        actor=economic,
    )
    partners.commitment_add(
        agreement=strategic,
        title="联合举办招商推介活动（下半年）",
        owner=chamber,
        owner_person="商会秘书处",
        due_on=D(2026, 12, 31),
        actor=economic,
    )
    joint = partners.commitment_add(
        agreement=party,
        title="两支部联合开展主题党日",
        owner=branch,
        due_on=D(2026, 7, 31),
        actor=economic,
    )
    partners.commitment_done(
        commitment=joint, done_on=D(2026, 7, 1), evidence="主题党日活动照片与签到表（演示）",
        actor=economic,
    )  # fmt: skip
    partners.commitment_add(
        agreement=party,
        title="共建活动阵地挂牌",
        owner=chamber_branch,
        due_on=D(2026, 9, 30),
        actor=economic,
    )  # left open: overdue on the officer's work page

    stages = [
        ("云岭咖啡贸易（上海）有限公司（演示）", Stage.INTENT, "咖啡豆贸易"),
        ("滇味坊餐饮管理有限公司（演示）", Stage.REGISTERED, "云南餐饮"),
        ("彩云花卉科技有限公司（演示）", Stage.SETTLED, "鲜花电商"),
    ]
    for name, stage, business in stages:
        company = partners.organisation_save(
            sub_district=sub_district, kind="enterprise", name=name, actor=economic
        )
        company.is_demo = True
        company.save(update_fields=["is_demo"])
        letter = partners.agreement_create(
            sub_district=sub_district,
            kind="settle_intent",
            title=f"{name} 落户意向书",
            parties=[(office, "", "甲方"), (company, "", "乙方")],
            signed_on=CEREMONY,
            event=ceremony,
            actor=economic,
        )  # fmt: skip
        partners.agreement_step(agreement=letter, step="sign", actor=economic)
        enterprise = partners.enterprise_add(
            sub_district=sub_district,
            name=name,
            recommended_by=chamber,
            agreement=letter,
            business=business,
            since=CEREMONY,
            actor=economic,
        )
        if stage != Stage.INTENT:
            partners.enterprise_stage(
                enterprise=enterprise, stage=Stage.REGISTERED, on=D(2026, 6, 1), actor=economic
            )
            partners.service_record(
                enterprise=enterprise, kind="registration", on=D(2026, 5, 20),
                summary="协助办理工商注册", actor=economic,
            )  # fmt: skip
        if stage == Stage.SETTLED:
            partners.enterprise_stage(
                enterprise=enterprise, stage=Stage.SETTLED, on=D(2026, 9, 1), actor=economic
            )
            partners.service_record(
                enterprise=enterprise, kind="problem", on=D(2026, 8, 10),
                summary="协调沿街办公用房", problem="缺少合适的办公场地", solved_on=D(2026, 8, 28),
                actor=economic,
            )  # fmt: skip
        partners.service_record(
            enterprise=enterprise, kind="visit", on=D(2026, 4, 25), summary="走访了解落户需求",
            actor=economic,
        )  # fmt: skip


def _foundation(fund_body, clerk, chamber) -> None:
    fund = foundation.fund_create(
        foundation=fund_body,
        name=FUND,
        beneficiary="云南省金平县",
        purpose="金平县乡村学校助学与帮扶",
        starts_on=CEREMONY,
        ends_on=D(2027, 4, 10),
        actor=clerk,
    )
    agreement = Agreement.objects.get(kind="donation", parties__organisation=fund_body)
    foundation.donation_record(
        fund=fund,
        donor_name="上海市云南商会会长",
        donor_organisation=chamber,
        amount="50,000.00",
        received_on=D(2026, 4, 15),
        occasion="云南省商会走进仙霞",
        agreement=agreement,
        disclosure="named",
        receipt_kind="electronic",
        receipt_number="31020126000001（演示）",
        receipt_check_code="8f3a2c（演示）",
        actor=clerk,
    )
    foundation.disbursement_record(
        fund=fund,
        amount="20,000.00",
        paid_on=D(2026, 6, 15),
        beneficiary="金平县某乡中心小学（演示）",
        purpose="金平县乡村学校助学与帮扶",
        note="第一批：学生助学金与图书（演示）",
        evidence=SimpleUploadedFile("凭证.png", tiny_png("jinping"), content_type="image/png"),
        actor=clerk,
    )
    report = foundation.disclosure_publish(
        foundation=fund_body,
        key=f"fund-{fund.pk}-q1",
        title="金平县帮扶专项基金 第一期公开（2026-04-11 至 2026-07-10）",
        summary="收到捐赠 50,000.00 元；支出 20,000.00 元；余额 30,000.00 元。",
        actor=clerk,
    )
    DisclosureReport.objects.filter(pk=report.pk).update(published_on=D(2026, 7, 8))  # on time
    # the next quarter (to 2026-10-10) is left unpublished: overdue on the clerk's page


def _merchants(areas, economic, tianshan_officer, district, scheme_office) -> None:
    scheme = Scheme.objects.create(
        run_by=scheme_office, district="长宁区", name=SCHEME, number_prefix="CNQC"
    )
    version = merchants.version_create(
        scheme=scheme,
        criteria=[
            ("youth", "青春特色与创新业态", 30),
            ("quality", "产品与服务品质", 30),
            ("community", "社区友好与贡献", 20),
            ("integrity", "经营规范与诚信", 20),
        ],
        pass_mark=70,
        valid_months=24,
        panel_minimum=3,
        published_on=D(2026, 3, 1),
        actor=district,
    )
    experts = [User.objects.get(username="expert")]
    for n, label in ((2, "乙"), (3, "丙")):
        reviewer = _user(f"expert{n}", f"评审专家 {label}（演示）")
        membership_grant(user=reviewer, role=Role.EXPERT, actor=None)
        experts.append(reviewer)
    scores = {"youth": "27", "quality": "26.5", "community": "17", "integrity": "18"}
    for plan in [*SHOPS, REVOKED_SHOP]:
        name, address, category, area_key, lat, lon, story = plan
        officer = economic if area_key == "xianxia" else tianshan_officer
        shop = merchants.merchant_save(
            actor=officer, sub_district=areas[area_key], name=name, address=address,
            category=category, latitude=lat, longitude=lon, story=story,
            opening_hours="10:00–20:00",
            photos=[SimpleUploadedFile(f"{name}.png", tiny_png(name), content_type="image/png")],
        )  # fmt: skip
        shop.organisation.is_demo = True
        shop.organisation.save(update_fields=["is_demo"])
        application = merchants.application_submit(
            merchant=shop, version=version, statement=f"{name}：{story}", actor=officer
        )
        merchants.panel_set(application=application, reviewers=experts, actor=district)
        for reviewer in experts:
            merchants.scores_submit(
                application=application, scores=scores, declared_no_conflict=True, actor=reviewer
            )
        merchants.application_decide(
            application=application, certify=True, reasons="四项标准均达到要求（演示）",
            actor=district,
        )  # fmt: skip
        # the first certificates were issued in May (the services date them today)
        Certificate.objects.filter(application=application).update(
            valid_from=D(2026, 5, 20), valid_until=D(2028, 5, 19)
        )
        Application.objects.filter(pk=application.pk).update(decided_on=D(2026, 5, 20))
        Merchant.objects.filter(pk=shop.pk).update(verified_on=D(2026, 5, 20))
    revoked = Certificate.objects.get(merchant__name=REVOKED_SHOP[0])
    merchants.certificate_change(
        certificate=revoked,
        action="revoke",
        reason="经营者已转让店铺，不再符合认证条件（演示）",
        actor=district,
    )
    keeper_name, phone = BUSINESS_PERSONAS["merchant"]
    keeper = _user("merchant", keeper_name, phone)
    shop = Merchant.objects.get(name="向野制果")
    membership_grant(user=keeper, role=Role.MERCHANT, actor=None, organisation=shop.organisation)
    merchants.outdated_report(
        merchant=Merchant.objects.get(name="howlow好时毛咖啡"),
        reason="营业时间已改为 8:00–18:00（演示）",
        actor=None,
    )
    partners.event_create(
        sub_district=areas["xianxia"],
        kind="market",
        title="青春经济市集",
        held_on=D(2026, 5, 30),
        place="仙霞新村街道（演示）",
        summary="十余种新业态亮相市集（演示数据）。",
        booths=[
            ("向野制果", "手作烘焙", True, shop),
            ("howlow好时毛咖啡", "精品咖啡", True, Merchant.objects.get(name="howlow好时毛咖啡")),
            *[(f"创意摊位 {n}（演示）", fmt, True, None) for n, fmt in enumerate(
                ["潮玩手作", "宠物烘焙", "非遗体验", "露营装备", "独立书店", "花艺", "香氛", "古着",
                 "中古家具", "胶片冲洗"], start=1)],
        ],
        actor=economic,
    )  # fmt: skip
