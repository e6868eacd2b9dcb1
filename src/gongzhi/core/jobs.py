"""Long work in the background, with progress: printing, bundles, sending messages.

A web request never does work that grows with a compound. It records a ``Job`` and
hands it to the task queue (django-tasks with its database backend: the queue lives
in our own database, SQLite or PostgreSQL, so one machine needs no extra server),
and answers at once with the job's page, which shows the progress and, when the job
made a file, offers it for download. ``gongzhi worker`` (started by ``make run`` and
``gongzhi serve``) runs the queue.

    @background("voting.print_ballots")
    def print_ballots(job: Job, *, decision_id: int, compound_id: int) -> None:
        job_total(job, units.count())
        for ...:
            job_advance(job)
        job_result(job, pdf_bytes, "ballots.pdf", "application/pdf")

    job = job_start(print_ballots, title=..., actor=request.user, decision_id=..., ...)

The job row and the queue entry are written in the caller's transaction: a request
that fails leaves neither behind.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .errors import ApplicationError
from .models import Job, JobStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 25  # write progress to the database at most every this many steps


def background(kind: str) -> Callable[[Callable[..., Any]], Any]:
    """Make ``function(job, **kwargs)`` a queued task of the given kind.

    The task marks the job running, calls the function, and marks it done — or failed
    with the refusal's message (an ``ApplicationError``) or a generic one (anything
    else, logged with its traceback). A failed job is not retried: the person who
    started it sees why and starts it again.
    """

    def decorate(function: Callable[..., Any]) -> Any:
        @functools.wraps(function)
        def run(job_id: int, **kwargs: Any) -> None:
            job = Job.objects.filter(pk=job_id).first()
            if job is None or job.finished:
                return
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.RUNNING, started_at=timezone.now()
            )
            job.status = JobStatus.RUNNING
            try:
                function(job, **kwargs)
            except ApplicationError as exc:
                _finish(job, JobStatus.FAILED, exc.message)
                return
            except Exception:
                logger.exception("background job %s (%s) failed", job.pk, kind)
                _finish(job, JobStatus.FAILED, "")
                raise
            _finish(job, JobStatus.DONE, job.message)

        run.job_kind = kind  # type: ignore[attr-defined]
        return task()(run)

    return decorate


def _finish(job: Job, status: str, message: str) -> None:
    job.status = status
    job.message = message[:500]
    job.finished_at = timezone.now()
    if status == JobStatus.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "message", "finished_at", "done"])


def job_start(queued: Any, *, title: str, actor: Any, **arguments: Any) -> Job:
    """Record a job and queue it; ``arguments`` (JSON: ids, strings, numbers) go to
    the task. Returns the job, whose page the caller redirects to."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=queued.func.job_kind,
            title=title[:200],
            arguments=arguments,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        result = queued.enqueue(job_id=job.pk, **arguments)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def job_total(job: Job, total: int) -> None:
    """Say how many steps the job has (units to print, people to send to)."""
    job.total = total
    job.done = 0
    Job.objects.filter(pk=job.pk).update(total=total, done=0)


def job_advance(job: Job, steps: int = 1) -> None:
    """Count steps done; the page sees them every ``PROGRESS_EVERY`` steps and at the end."""
    before = job.done
    job.done += steps
    if job.done // PROGRESS_EVERY != before // PROGRESS_EVERY or job.done >= job.total:
        Job.objects.filter(pk=job.pk).update(done=job.done)


def job_note(job: Job, message: str) -> None:
    """A line the job's page shows (and keeps when the job is done)."""
    job.message = message[:500]
    Job.objects.filter(pk=job.pk).update(message=job.message)


def job_result(job: Job, content: bytes, filename: str, content_type: str) -> None:
    """Keep the file the job made; its page offers it to whoever started the job."""
    job.result.save(filename, ContentFile(content), save=False)
    job.result_name = filename
    job.result_type = content_type
    job.save(update_fields=["result", "result_name", "result_type"])


def jobs_of(user: Any):
    """The jobs a user started, newest first."""
    return Job.objects.filter(created_by=user)
