"""A large roll uploaded from the web is imported by the background worker: the page
answers at once and the job's page shows the progress and the report."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gongzhi.accounts.models import User
from gongzhi.core.errors import ApplicationError
from gongzhi.core.jobs import background, job_advance, job_note, job_result, job_total

from .models import Neighbourhood
from .services import RollImportError, roll_import, roll_read


def park_upload(upload) -> str:
    """Keep an uploaded roll where the worker can read it; the job deletes it."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(path)


def _report(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


@background("registry.import_roll")
def import_roll(
    job, *, path: str, name: str, neighbourhood_id: int, dry_run: bool, actor_id: int
) -> None:
    actor = User.objects.filter(pk=actor_id).first()
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood_id)
    try:

        def with_progress(rows, total):
            job_total(job, total or 0)
            for item in rows:
                job_advance(job)
                yield item

        try:
            with open(path, "rb") as handle:
                roll = roll_read(handle, name=name, rows_wrapper=with_progress)
            report = roll_import(
                rows=roll.rows,
                neighbourhood=neighbourhood,
                actor=actor,
                file_name=roll.name,
                file_sha256=roll.sha256,
                dry_run=dry_run,
                labels=roll.labels,
            )
        except RollImportError as exc:
            job_result(job, _report([exc.message, *exc.lines()]), "roll-errors.txt", "text/plain")
            raise ApplicationError(exc.message + " " + _("Download the list of problems.")) from exc
        summary = f"{report.file_name}: {report.summary()}"
        job_note(job, summary)
        job_result(job, _report([summary]), "roll-report.txt", "text/plain")
    finally:
        try:
            os.remove(path)
        except OSError:
            pass
