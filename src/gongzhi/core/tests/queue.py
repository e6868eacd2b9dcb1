"""Running the background queue inside a test, as ``gongzhi worker`` does."""

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
    worker.run()
    return worker._run_tasks
