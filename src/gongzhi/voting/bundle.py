"""The export bundle: everything a committee hands to a court or the sub-district.

A ZIP of CSV files (register, ballots, deliveries, box events, count sessions,
sheets, objections, re-verifications, the ledger), the published results, the
tally sheets as PDF, every evidence file, and ``manifest.json`` with the SHA-256
of each file and the ledger's head hash.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .ledger import head_hash
from .models import Ballot, Decision
from .paper_pdf import tally_sheet_pdf


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM correctly


def _time(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export_bundle(decision: Decision) -> bytes:
    files: dict[str, bytes] = {}
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
    for entry in (
        decision.register.select_related("compound").prefetch_related("owners").order_by("pk")
    ):
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
                ";".join(f"{o.identifier}:{o.name}" for o in entry.owners.all()),
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
                d.recipient,
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
                "、".join(o.identifier for o in s.witnesses.all()),
                s.head_hash,
            ]
        )
        files[f"pdf/tally-sheet-{s.pk}.pdf"] = tally_sheet_pdf(session=s)
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
                sheet.signer_name,
                sheet.handed_in_by,
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
                o.owner.identifier,
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
    for result in decision.results.order_by("published_at"):
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
    for evidence in decision.evidence.order_by("pk"):
        with evidence.file.open("rb") as handle:
            name = (evidence.file.name or "").rsplit("/", 1)[-1]
            files[f"evidence/{evidence.kind}/{name}"] = handle.read()
    manifest = {
        "decision": decision.pk,
        "title": decision.title,
        "exported_at": timezone.now().isoformat(),
        "ledger_head_hash": head_hash(decision),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
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
