"""Re-key every decision's hash chain with GONGZHI_LEDGER_KEY (HMAC-SHA256).

Chains written before this migration were plain SHA-256, which anyone able to write
to the database could recompute after rewriting them. Each chain is recomputed here
under the key, link by link, and the head hashes recorded on published results and
count sessions are carried over to the new ones.
"""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

GENESIS = "0" * 64


def _canonical(value):
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode()


def _keyed(previous, sequence, event, payload, at):
    at = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = _canonical({"seq": sequence, "event": event, "payload": payload, "at": at})
    return hmac.new(
        settings.LEDGER_KEY.encode(), previous.encode() + body, hashlib.sha256
    ).hexdigest()


def rekey(apps, schema_editor):
    LedgerEntry = apps.get_model("voting", "LedgerEntry")
    DecisionResult = apps.get_model("voting", "DecisionResult")
    CountSession = apps.get_model("voting", "CountSession")
    renamed = {}
    for decision_id in LedgerEntry.objects.values_list("decision_id", flat=True).distinct():
        previous = GENESIS
        batch = []
        for entry in LedgerEntry.objects.filter(decision_id=decision_id).order_by("sequence"):
            new = _keyed(previous, entry.sequence, entry.event, entry.payload, entry.created_at)
            renamed[entry.hash] = new
            entry.previous_hash, entry.hash = previous, new
            batch.append(entry)
            previous = new
        LedgerEntry.objects.bulk_update(batch, ["previous_hash", "hash"], batch_size=1000)
    for model in (DecisionResult, CountSession):
        for row in model.objects.exclude(head_hash=""):
            if row.head_hash in renamed:
                row.head_hash = renamed[row.head_hash]
                row.save(update_fields=["head_hash"])


class Migration(migrations.Migration):
    dependencies = [("voting", "0004_register_owner_frozen_names")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
