"""Which jobs may start: the steps' dependency graph, walked with the standard library's
``graphlib``. A job is ready once the jobs of the steps it follows are done; a job whose
upstream step failed is blocked, and so in turn are the jobs downstream of it.

A job is done, for the jobs after it, once its notebook has run and written its files: what
happens to it later (its HTML export, which the runner does meanwhile) blocks nothing, so
whether it broke is read when it is marked done, never later."""

from __future__ import annotations

import graphlib
from collections.abc import Callable

from digital_exports.run.steps import Job

#: Statuses after which the jobs downstream cannot run.
_BROKEN = frozenset({"failed", "blocked", "interrupted"})


class Schedule:
    """The jobs of a run in dependency order (jobs are referred to by their position)."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self._after = {
            i: {j for j, other in enumerate(jobs) if other.step.name in job.step.after}
            for i, job in enumerate(jobs)
        }
        self._sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter(self._after)
        self._sorter.prepare()
        self._queue: list[int] = []
        self._position = {id(job): i for i, job in enumerate(jobs)}
        #: Jobs that were failed, blocked or interrupted when marked done.
        self._broken: set[int] = set()

    def unfinished(self) -> bool:
        """Whether some job has not been taken or is not done yet."""
        return self._sorter.is_active()

    def take(self, n: int, on_blocked: Callable[[Job], None]) -> list[Job]:
        """Up to ``n`` jobs that may start now, costliest first; jobs whose upstream
        failed are marked ``blocked`` (``on_blocked`` is told) and done on the way."""
        taken: list[Job] = []
        self._queue = self._order({*self._queue, *self._sorter.get_ready()})
        while self._queue and len(taken) < n:
            i = self._queue.pop(0)
            job = self.jobs[i]
            if self._after[i] & self._broken:
                job.status, job.message = "blocked", "an earlier step failed"
                on_blocked(job)
                self._broken.add(i)
                self._sorter.done(i)
                self._queue = self._order({*self._queue, *self._sorter.get_ready()})
                continue
            taken.append(job)
        return taken

    def _order(self, ready: set[int]) -> list[int]:
        """Ready jobs, the costliest step first (it then starts on the first free kernel and
        the short ones fill the other workers), then in the order of the run."""
        return sorted(ready, key=lambda i: (-self.jobs[i].step.cost, i))

    def done(self, job: Job) -> None:
        """Mark a job that was taken as finished (its notebook ran, or it was skipped, failed
        or interrupted); the jobs after a failed or interrupted one are blocked."""
        i = self._position[id(job)]
        if job.status in _BROKEN:
            self._broken.add(i)
        self._sorter.done(i)
