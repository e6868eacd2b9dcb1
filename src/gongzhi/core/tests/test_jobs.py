"""Long work runs in the background queue with progress, and only its starter sees it."""

import pytest
from django.core.management import call_command

from gongzhi.core.jobs import job_start
from gongzhi.core.models import Job
from gongzhi.core.tests.clients import as_
from gongzhi.registry.tests.factories import UserFactory

from .jobs_for_tests import count_to
from .queue import drain

pytestmark = pytest.mark.django_db


def test_a_job_waits_in_the_queue_until_the_worker_runs_it():
    clerk = UserFactory(username="clerk")
    job = job_start(count_to, title="数数", actor=clerk, upto=60)
    assert Job.objects.get(pk=job.pk).status == "queued"  # nothing ran in the request
    assert drain() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 60, 60, 100)
    assert job.message == "counted to 60"
    assert job.result.read().decode().startswith("0,1,2")


def test_a_refused_job_says_why_and_a_crashed_one_says_it_failed():
    clerk = UserFactory(username="clerk")
    refused = job_start(count_to, title="拒绝", actor=clerk, upto=3, refuse=True)
    crashed = job_start(count_to, title="崩溃", actor=clerk, upto=3, crash=True)
    drain()
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.message) == ("failed", "数到一半被拒绝。")
    assert (crashed.status, crashed.message) == ("failed", "")
    assert not refused.result and not crashed.result


def test_only_the_starter_sees_the_job_and_its_file(client):
    clerk, other = UserFactory(username="clerk"), UserFactory(username="other")
    job = job_start(count_to, title="数数", actor=clerk, upto=5)
    page = as_(client, clerk).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.content.decode()
    drain()
    page = as_(client, clerk).get(f"/jobs/{job.pk}/")
    assert 'http-equiv="refresh"' not in page.content.decode()
    assert "count.csv" in page.content.decode()
    download = as_(client, clerk).get(f"/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content) == b"0,1,2,3,4"
    assert 'filename="count.csv"' in download["Content-Disposition"]
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert as_(client, other).get(url).status_code == 404
    client.logout()
    assert client.get(f"/jobs/{job.pk}/").status_code == 302  # to sign in


def test_a_job_started_in_a_failed_transaction_leaves_nothing():
    from django.db import transaction

    clerk = UserFactory(username="clerk")
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(count_to, title="回滚", actor=clerk, upto=3)
        raise RuntimeError("the request failed")
    assert not Job.objects.exists()
    assert drain() == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_the_queue_once(capsys):
    # The real command, with its real connection handling: no test transaction around it.
    clerk = UserFactory(username="clerk")
    job = job_start(count_to, title="数数", actor=clerk, upto=4)
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == "done"
    assert "stopped after 1 tasks" in capsys.readouterr().out


def test_healthz_reports_the_database_and_a_stalled_queue(client):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": "ok",
        "queue": {"waiting": 0, "oldest_seconds": 0},
    }
    job_start(count_to, title="等待", actor=None, upto=1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=11))
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "degraded" and answer.json()["queue"]["stalled"] is True
