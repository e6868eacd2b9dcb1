"""Background jobs used by the tests of ``core.jobs`` (tasks must be importable)."""

from gongzhi.core.errors import ApplicationError
from gongzhi.core.jobs import background, job_advance, job_note, job_result, job_total


@background("test.count")
def count_to(job, *, upto: int, refuse: bool = False, crash: bool = False):
    job_total(job, upto)
    for _ in range(upto):
        job_advance(job)
    if refuse:
        raise ApplicationError("数到一半被拒绝。")
    if crash:
        raise RuntimeError("a bug")
    job_note(job, f"counted to {upto}")
    job_result(job, ",".join(str(n) for n in range(upto)).encode(), "count.csv", "text/csv")
