"""Removing the demo: everything marked as demo, and everything that exists only
because of it, leaving real data untouched.

The marks are ``is_demo`` on sub-districts (the hard roots: their areas,
compounds, owners, decisions, notices, cases … all hang from them) and on the
persona accounts, the demo's companies, its provider pool and the organisations
it invented without a sub-district, such as a chamber of commerce (soft roots). A soft
root is removed only when nothing real uses it: a demo company that now serves a
real compound, the demo ``admin`` account that set up a real area, or the demo pool
a real sub-district added its own companies to are kept, and the report names them.

What hangs from a root is found by following every foreign key backwards
(``closure``), so a new app's models are covered without being listed here. The
rows are deleted in one transaction; foreign keys are checked at commit
(Django's constraints are deferred on SQLite and PostgreSQL), so if anything real
still pointed at a deleted row the whole removal rolls back. Audit events about
demo objects go too (they name invented people), and so do their stored files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

CHUNK = 500
Rows = dict[type[models.Model], set]


def _reverse_links(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key pointing at ``model``, the hidden
    ones of many-to-many tables included."""
    links = []
    for relation in model._meta.get_fields(include_hidden=True):
        if (
            isinstance(relation, models.ForeignObjectRel)
            and (relation.one_to_many or relation.one_to_one)
            and isinstance(relation.related_model, type)
        ):
            links.append((relation.related_model, relation.field.name))
    return links


def _referencing(model, field_name: str, ids: Iterable) -> set:
    ids = list(ids)
    found: set = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(
            model._base_manager.filter(**{f"{field_name}__in": chunk}).values_list("pk", flat=True)
        )
    return found


def closure(seeds: Rows) -> Rows:
    """The seeds and every row that references one of them, transitively — and every
    object tied to them only through a many-to-many table (an election of demo
    compounds is the demo's)."""
    rows: Rows = defaultdict(set)
    queue: list[tuple[type[models.Model], set]] = []
    for model, ids in seeds.items():
        rows[model].update(ids)
        queue.append((model, set(ids)))
    while queue:
        while queue:
            model, ids = queue.pop()
            if not ids:
                continue
            for related, field_name in _reverse_links(model):
                found = _referencing(related, field_name, ids) - rows[related]
                if found:
                    rows[related].update(found)
                    queue.append((related, found))
        queue.extend(_tied_by_many_to_many(rows))
    return rows


def _tied_by_many_to_many(rows: Rows) -> list[tuple[type[models.Model], set]]:
    """Objects all of whose many-to-many links (of one field) are already in ``rows``,
    not yet in ``rows`` themselves."""
    found = []
    for model in apps.get_models():
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            if not isinstance(through, type) or not through._meta.auto_created:
                continue
            if not rows.get(through):
                continue
            source = many.m2m_field_name()
            linked = defaultdict(set)
            for pk, owner_id in through._base_manager.filter(
                pk__in=list(rows[through])
            ).values_list("pk", f"{source}_id"):
                linked[owner_id].add(pk)
            candidates = set(linked) - rows[model]
            if not candidates:
                continue
            every_link = defaultdict(set)
            for pk, owner_id in through._base_manager.filter(
                **{f"{source}_id__in": list(candidates)}
            ).values_list("pk", f"{source}_id"):
                every_link[owner_id].add(pk)
            tied = {o for o in candidates if every_link[o] <= rows[through]}
            if tied:
                rows[model].update(tied)
                found.append((model, tied))
    return found


def _direct_references(model, ids) -> Rows:
    rows: Rows = defaultdict(set)
    for related, field_name in _reverse_links(model):
        rows[related].update(_referencing(related, field_name, ids))
    return rows


@dataclass
class RemovalReport:
    removed: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.removed.values())


NEUTRAL = ("contenttypes.ContentType", "auth.Group", "auth.Permission")


def _all_owned(model, refs: set, root_model, removable: Rows, hard: Rows) -> bool:
    """Whether every row of ``model`` that points at a soft root may go with it: a row
    is the demo's when everything it points at is demo (or neutral, like a content
    type) — a persona's membership of a demo company, its inbox, its jobs, a demo
    company's offices — and an audit event when its subject is demo too."""
    from gongzhi.core.models import AuditEvent

    refs = refs - hard.get(model, set())
    if not refs:
        return True
    demo = {m: hard.get(m, set()) | removable.get(m, set()) for m in {*hard, *removable}}
    if model is AuditEvent:
        subjects: dict[int, set] = defaultdict(set)
        for type_id, subject_id in AuditEvent.objects.filter(pk__in=list(refs)).values_list(
            "subject_type", "subject_id"
        ):
            if type_id is not None:
                subjects[type_id].add(str(subject_id))
        for type_id, ids in subjects.items():
            subject_model = ContentType.objects.get_for_id(type_id).model_class()
            if subject_model is None:
                return False
            if not ids <= {str(i) for i in demo.get(subject_model, set())}:
                return False
        return True
    foreign_keys = [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None
    ]
    for row in model._base_manager.filter(pk__in=list(refs)).values(
        *[f.attname for f in foreign_keys]
    ):
        for key in foreign_keys:
            target = row[key.attname]
            if target is None or key.related_model._meta.label in NEUTRAL:
                continue
            if target not in demo.get(key.related_model, set()):
                return False
    return True


def plan_removal() -> tuple[Rows, list[str]]:
    """The rows to delete, and the marked soft roots kept because real data uses them."""
    from gongzhi.core.models import AuditEvent
    from gongzhi.registry.models import Organisation, PropertyCompany, SubDistrict
    from gongzhi.selection.models import ProviderPool

    user_model = apps.get_model("accounts", "User")
    hard = closure(
        {SubDistrict: set(SubDistrict.objects.filter(is_demo=True).values_list("pk", flat=True))}
    )
    removable: Rows = {
        user_model: set(user_model.objects.filter(is_demo=True).values_list("pk", flat=True)),
        PropertyCompany: set(
            PropertyCompany.objects.filter(is_demo=True).values_list("pk", flat=True)
        ),
        ProviderPool: set(ProviderPool.objects.filter(is_demo=True).values_list("pk", flat=True)),
        Organisation: set(Organisation.objects.filter(is_demo=True).values_list("pk", flat=True)),
    }
    kept: list[str] = []
    changed = True
    while changed:
        changed = False
        for root_model, ids in removable.items():
            for pk in sorted(ids):
                references = _direct_references(root_model, [pk])
                real = any(
                    not _all_owned(model, refs, root_model, removable, hard)
                    for model, refs in references.items()
                )
                if real:
                    ids.discard(pk)
                    kept.append(str(root_model._base_manager.get(pk=pk)))
                    changed = True
    rows = closure({**hard, **{m: hard.get(m, set()) | ids for m, ids in removable.items()}})
    # audit events about the removed objects (no foreign key leads to them)
    for model, ids in list(rows.items()):
        if not ids or model is AuditEvent:
            continue
        content_type = ContentType.objects.get_for_model(model)
        texts = [str(i) for i in ids]
        for start in range(0, len(texts), CHUNK):
            rows[AuditEvent].update(
                AuditEvent.objects.filter(
                    subject_type=content_type, subject_id__in=texts[start : start + CHUNK]
                ).values_list("pk", flat=True)
            )
    return rows, sorted(kept)


def remove_demo(*, dry_run: bool = False) -> RemovalReport:
    """Delete the demo (see the module's docstring); all or nothing."""
    from gongzhi.core.models import StoredFile

    rows, kept = plan_removal()
    report = RemovalReport(kept=kept, dry_run=dry_run)
    files: list[tuple[type[models.Model], str]] = []
    with transaction.atomic():
        for model, ids in rows.items():
            if not ids:
                continue
            report.removed[model._meta.label] = len(ids)
            if dry_run:
                continue
            if issubclass(model, StoredFile) or model._meta.label == "core.Job":
                file_field = "file" if issubclass(model, StoredFile) else "result"
                files.extend(
                    (model, name)
                    for name in model._base_manager.filter(pk__in=list(ids)).values_list(
                        file_field, flat=True
                    )
                    if name
                )
            id_list = list(ids)
            for start in range(0, len(id_list), CHUNK):
                model._base_manager.filter(pk__in=id_list[start : start + CHUNK])._raw_delete(
                    model._base_manager.db
                )
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        from django.core.files.storage import default_storage

        for _model, name in files:
            default_storage.delete(name)
    return report
