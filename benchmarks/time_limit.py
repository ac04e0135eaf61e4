"""One piece of work in a child process with a time limit, for the benchmarks' slow peers."""

from __future__ import annotations

import multiprocessing


def _run(queue, target, args):
    queue.put(target(*args))


def within_limit(target, args: tuple, limit: float):
    """``target(*args)`` computed in a child process, or None when ``limit`` seconds ran out
    (the child is stopped: a naive peer may grow exponentially). A child that fails is an
    error here, not a wait for a result that never comes."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_run, args=(queue, target, args))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    if child.exitcode != 0:
        raise RuntimeError(f"{getattr(target, '__name__', target)}{args} failed in its child process "
                           f"(exit code {child.exitcode}); its traceback is above")
    return queue.get()
