"""Running the background queue inside a test, as ``gongzhi worker`` does."""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker


def drain() -> int:
    """Run every queued task that is ready now, in this process; return how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The worker checks for stale connections between tasks, as a request does. Inside a
    # test the connection is in the test's transaction (autocommit off), which Django
    # takes for a broken connection and closes: on PostgreSQL that ends the test's
    # transaction. The pytest-django connection is fresh, so the check is skipped here.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks


def job_file(client, response) -> bytes:
    """Follow a page that started a background job: run the queue, then download the
    job's file as the person who started it."""
    from gongzhi.core.models import Job

    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert Job.objects.get(pk=job_id).status == "queued"
    drain()
    job = Job.objects.get(pk=job_id)
    assert job.status == "done", job.message
    download = client.get(f"/jobs/{job_id}/download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)
