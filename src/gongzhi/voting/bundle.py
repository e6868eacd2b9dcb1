"""The export bundle: everything a committee hands to a court or the sub-district.

A ZIP of CSV files (register, ballots, deliveries, box events, count sessions,
sheets, objections, re-verifications, the ledger), the published results, the
tally sheets as PDF, every evidence file, and ``manifest.json`` with the SHA-256
of each file and the ledger's head hash.

Named data — owners' names and identifiers, who signed or received a ballot, scans
and proofs — is included only for the compounds the reader may see named
(``selectors.compounds_named_for``); for the decision's other compounds names are
masked and their evidence files are withheld, listed in the manifest as such. The
ledger stays whole, so that the hash chain can be checked.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Collection

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from gongzhi.core.masking import mask_name
from gongzhi.core.spreadsheet import csv_bytes

from .export import frozen_owners
from .ledger import head_hash
from .models import Ballot, Decision, Evidence
from .paper_pdf import tally_sheet_pdf


def _csv(rows: list[list[object]]) -> bytes:
    return csv_bytes(rows)


def evidence_compounds(decision: Decision) -> dict[int, int]:
    """Evidence file id -> the compound of the unit it concerns (deliveries, sheets,
    re-verifications); files of the count as a whole (tally sheets) are absent."""
    compound_of: dict[int, int] = {}
    for evidence_id, compound_id in decision.deliveries.exclude(evidence=None).values_list(
        "evidence_id", "entry__compound_id"
    ):
        compound_of[evidence_id] = compound_id
    for row in decision.sheets.values_list(
        "scan_id", "authorisation_id", "id_copy_id", "entry__compound_id"
    ):
        for evidence_id in row[:3]:
            if evidence_id is not None:
                compound_of[evidence_id] = row[3]
    for evidence_id, compound_id in decision.reverifications.exclude(evidence=None).values_list(
        "evidence_id", "sheet__entry__compound_id"
    ):
        compound_of[evidence_id] = compound_id
    return compound_of


def evidence_visible(evidence: Evidence, named: Collection[int]) -> bool:
    """Whether a reader who sees the compounds in ``named`` by name may open the file."""
    compound = evidence_compounds(evidence.decision).get(evidence.pk)
    if compound is None:
        return bool(named)
    return compound in named


def _time(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export_bundle(decision: Decision, *, named: Collection[int]) -> bytes:
    """The bundle as the reader may have it (see the module's docstring)."""
    files: dict[str, bytes] = {}
    owners = frozen_owners(decision)
    compound_of_entry = dict(decision.register.values_list("pk", "compound_id"))

    owner_compounds: dict[int, set[int]] = {}
    for owner_id, compound_id in decision.register.values_list(
        "owner_links__owner_id", "compound_id"
    ):
        owner_compounds.setdefault(owner_id, set()).add(compound_id)

    def shown(entry_id: int) -> bool:
        return compound_of_entry.get(entry_id) in named

    def name(entry_id: int, value: str) -> str:
        return value if shown(entry_id) else mask_name(value)

    register: list[list[object]] = [
        [
            "entry",
            "compound",
            "building",
            "unit",
            "area",
            "area_source",
            "status",
            "use",
            "excluded",
            "owners",
        ]
    ]
    for entry in decision.register.select_related("compound").order_by("pk"):
        people = owners.get(entry.pk, [])
        register.append(
            [
                entry.pk,
                entry.compound.name,
                entry.building_name,
                entry.unit_number,
                f"{entry.area:.2f}",
                entry.area_source,
                entry.status,
                entry.use,
                entry.excluded,
                ";".join(
                    f"{identifier}:{person}" if shown(entry.pk) else mask_name(person)
                    for identifier, person in people
                ),
            ]
        )
    files["register.csv"] = _csv(register)
    ballots: list[list[object]] = [
        [
            "ballot",
            "entry",
            "unit",
            "item",
            "choice",
            "channel",
            "state",
            "reason",
            "cast_at",
            "sheet",
            "supersedes",
        ]
    ]
    for b in (
        Ballot.objects.filter(decision=decision).select_related("entry", "item").order_by("pk")
    ):
        ballots.append(
            [
                b.pk,
                b.entry_id,
                b.entry.unit_number,
                b.item.position,
                b.choice,
                b.channel,
                b.state,
                b.reason,
                _time(b.cast_at),
                b.sheet_id or "",
                b.supersedes_id or "",
            ]
        )
    files["ballots.csv"] = _csv(ballots)
    deliveries: list[list[object]] = [
        [
            "entry",
            "method",
            "delivered_at",
            "delivered_by",
            "recipient",
            "mail_number",
            "note",
            "evidence_sha256",
        ]
    ]
    for d in decision.deliveries.select_related("evidence").order_by("pk"):
        deliveries.append(
            [
                d.entry_id,
                d.method,
                _time(d.delivered_at),
                d.delivered_by,
                name(d.entry_id, d.recipient),
                d.mail_number,
                d.note,
                d.evidence.sha256 if d.evidence else "",
            ]
        )
    files["deliveries.csv"] = _csv(deliveries)
    boxes: list[list[object]] = [
        ["box", "seal", "event", "at", "place", "present", "seal_intact", "session"]
    ]
    for box in decision.boxes.all():
        for e in box.events.order_by("at", "pk"):
            boxes.append(
                [
                    box.label,
                    box.seal_number,
                    e.kind,
                    _time(e.at),
                    e.place,
                    "、".join(e.present),
                    e.seal_intact,
                    e.session_id or "",
                ]
            )
    files["box_events.csv"] = _csv(boxes)
    sessions: list[list[object]] = [
        [
            "session",
            "place",
            "started",
            "ended",
            "scrutineers",
            "counters",
            "witnesses",
            "head_hash",
        ]
    ]
    for s in decision.count_sessions.prefetch_related("witnesses").order_by("pk"):
        sessions.append(
            [
                s.pk,
                s.place,
                _time(s.started_at),
                _time(s.ended_at),
                "、".join(s.scrutineers),
                "、".join(s.counters),
                "、".join(
                    o.identifier if owner_compounds.get(o.pk, set()) & set(named) else "—"
                    for o in s.witnesses.all()
                ),
                s.head_hash,
            ]
        )
        files[f"pdf/tally-sheet-{s.pk}.pdf"] = tally_sheet_pdf(session=s, named=named)
    files["count_sessions.csv"] = _csv(sessions)
    sheets: list[list[object]] = [
        [
            "sheet",
            "entry",
            "session",
            "box",
            "signature",
            "signer",
            "handed_in_by",
            "rejected_reason",
            "scan_sha256",
        ]
    ]
    for sheet in decision.sheets.select_related("box", "scan").order_by("pk"):
        sheets.append(
            [
                sheet.pk,
                sheet.entry_id,
                sheet.session_id or "",
                sheet.box.label if sheet.box else "",
                sheet.signature,
                name(sheet.entry_id, sheet.signer_name),
                name(sheet.entry_id, sheet.handed_in_by),
                sheet.rejected_reason,
                sheet.scan.sha256 if sheet.scan else "",
            ]
        )
    files["sheets.csv"] = _csv(sheets)
    objections: list[list[object]] = [
        ["objection", "owner", "lodged_at", "text", "answer_due", "answered_at", "answer"]
    ]
    for o in decision.objections.select_related("owner").order_by("pk"):
        objections.append(
            [
                o.pk,
                o.owner.identifier if owner_compounds.get(o.owner_id, set()) & set(named) else "—",
                _time(o.lodged_at),
                o.text,
                _time(o.answer_due),
                _time(o.answered_at),
                o.answer,
            ]
        )
    files["objections.csv"] = _csv(objections)
    checks: list[list[object]] = [
        ["sheet", "method", "outcome", "checked_at", "note", "evidence_sha256"]
    ]
    for r in decision.reverifications.select_related("evidence").order_by("pk"):
        checks.append(
            [
                r.sheet_id,
                r.method,
                r.outcome,
                _time(r.checked_at),
                r.note,
                r.evidence.sha256 if r.evidence else "",
            ]
        )
    files["reverifications.csv"] = _csv(checks)
    ledger: list[list[object]] = [
        ["sequence", "event", "created_at", "payload", "previous_hash", "hash"]
    ]
    for event in decision.ledger.order_by("sequence"):
        payload = json.dumps(
            event.payload, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder
        )
        ledger.append(
            [
                event.sequence,
                event.event,
                event.created_at.isoformat(),
                payload,
                event.previous_hash,
                event.hash,
            ]
        )
    files["ledger.csv"] = _csv(ledger)
    for result in decision.results.in_order():
        files[f"results/{result.stage}.json"] = json.dumps(
            {
                "stage": result.stage,
                "published_at": result.published_at,
                "passed": result.passed,
                "head_hash": result.head_hash,
                **result.data,
            },
            ensure_ascii=False,
            indent=2,
            cls=DjangoJSONEncoder,
        ).encode()
    compound_of_evidence = evidence_compounds(decision)
    withheld: list[str] = []
    for evidence in decision.evidence.order_by("pk"):
        stored = (evidence.file.name or "").rsplit("/", 1)[-1]
        compound = compound_of_evidence.get(evidence.pk)
        if not named or (compound is not None and compound not in named):
            withheld.append(f"evidence/{evidence.kind}/{stored}")
            continue
        with evidence.file.open("rb") as handle:
            files[f"evidence/{evidence.kind}/{stored}"] = handle.read()
    manifest = {
        "decision": decision.pk,
        "title": decision.title,
        "exported_at": timezone.now().isoformat(),
        "ledger_head_hash": head_hash(decision),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
        "withheld": sorted(withheld),
        "named_compounds": sorted(
            decision.compounds.filter(pk__in=named).values_list("name", flat=True)
        ),
    }
    files["README.txt"] = (
        "表决事项完整记录包 / Complete record of an owners' decision\n\n"
        "manifest.json lists the SHA-256 of every file and the ledger's head hash; "
        "ledger.csv is the hash chain (SHA-256 of the previous hash and the canonical "
        "JSON of each event). `gongzhi verify_decision` recomputes it.\n"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return out.getvalue()
