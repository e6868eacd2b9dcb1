"""`gongzhi worker`: run the background queue and the periodic checks."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from gongzhi.core import periodic


class Command(BaseCommand):
    help = (
        "Run the background worker: queued jobs (printing, bundles, imports) and messages "
        "(SMS, e-mail), and every few minutes the periodic checks (votes closing soon, "
        "overdue items). Stop it with Ctrl-C or SIGTERM; a running job is finished first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (default 1)",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="run what is queued now and the periodic checks once, then exit",
        )

    def handle(self, *args, interval: float, once: bool, **options):
        self.stopping = False
        self.worker: Worker | None = None
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        worker_id = "gongzhi-" + get_random_string(12)
        if options["verbosity"] > 0:
            self.stdout.write(f"Background worker {worker_id} started.")
        processed = 0
        while not self.stopping:
            ran = periodic.run_due(force=once)
            if ran and options["verbosity"] > 1:
                self.stdout.write("checks: " + ", ".join(ran))
            processed += self.drain(worker_id)
            if once:
                break
            time.sleep(interval)
        if options["verbosity"] > 0:
            self.stdout.write(f"Background worker stopped after {processed} tasks.")

    def drain(self, worker_id: str) -> int:
        """Run every ready task, then return how many ran."""
        self.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.worker.run()
        count = self.worker._run_tasks
        self.worker = None
        return count

    def _stop(self, signum, frame):
        self.stopping = True
        if self.worker is not None:
            self.worker.running = False  # finish the task in hand, take no other
