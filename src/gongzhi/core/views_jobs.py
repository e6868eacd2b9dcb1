"""The page of a background job: its progress while it runs, its file when done; and
``/healthz`` for monitoring."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from .jobs import jobs_of
from .models import Job

QUEUE_STALLED_AFTER = dt.timedelta(minutes=10)


def _own_job(request, pk: int) -> Job:
    """A job only its starter (or a superuser) sees; anyone else gets 404, not a hint."""
    jobs = Job.objects.all() if request.user.is_superuser else jobs_of(request.user)
    return get_object_or_404(jobs, pk=pk)


@login_required
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(request, "core/job.html", {"job": job, "refresh": not job.finished})


@login_required
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if not job.result:
        raise Http404
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type or "application/octet-stream",
    )


@login_required
def job_list(request):
    return render(request, "core/jobs.html", {"jobs": jobs_of(request.user)[:50]})


@never_cache
def healthz(request):
    """200 when the database answers and the queue moves; 503 otherwise, saying which.

    The queue "stalls" when a task has waited more than ten minutes: the worker is
    down or overwhelmed, and messages and printing wait with it."""
    report: dict[str, object] = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception:  # the answer is the report, not a traceback
        report.update(status="failing", database="unreachable")
        return JsonResponse(report, status=503)
    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    report["queue"] = {"waiting": waiting.count(), "oldest_seconds": int(age)}
    if oldest and timezone.now() - oldest > QUEUE_STALLED_AFTER:
        report["status"] = "degraded"
        report["queue"]["stalled"] = True
        return JsonResponse(report, status=503)
    return JsonResponse(report)
