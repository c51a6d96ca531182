"""Running a portfolio: services found, taken from the cache or compared in parallel, then ranked.

The comparing itself is :func:`procmap.portfolio.assess.assess`; this module only moves work (as
black keeps its concurrency apart from formatting). Any :class:`concurrent.futures.Executor` will
do: by default a process pool over every core (or ``jobs``), a Dask cluster's
(``Client(address).get_executor()``) beyond one machine, or none at all (``jobs=1``: in this
process). Services go out in chunks, so a thousand services cost a few dozen round trips, and
each comes back as a small result, never as models. Side tables (rates, efforts, aliases) are read
once here and sent as values.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar, Union

from procmap.compare.inputs import load_aliases, load_efforts, load_rates
from procmap.errors import OptionError, ProcmapError
from procmap.options import CompareOptions, Reading
from procmap.portfolio.cache import Cache, default_cache_dir, options_salt
from procmap.portfolio.result import Portfolio, ServiceResult
from procmap.portfolio.services import Service, find_services

T = TypeVar("T")
#: Wraps the stream of results with a progress display: (results, how many, label) -> the same results.
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def _no_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


def loaded(options: CompareOptions) -> CompareOptions:
    """The options with their side tables read once (a bad table is one error for the whole portfolio)."""
    changes = {}
    if options.rates is not None:
        changes["rates"] = load_rates(options.rates)
    if options.efforts is not None:
        changes["efforts"] = load_efforts(options.efforts)
    if options.aliases is not None:
        changes["aliases"] = dict(load_aliases(options.aliases))
    return options.replace(**changes) if changes else options


def _start_worker() -> None:
    """A worker makes many small acyclic objects and lives only for this run: no cycle collection. Ctrl-C
    is the parent's to handle (it stops the pool); a worker stopped by it would print a traceback."""
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def chunk_size(services: int, workers: int) -> int:
    """About eight chunks per worker: few round trips, yet the last chunks still even out the load."""
    return max(1, min(256, -(-services // (workers * 8))))


def compare_services(services: Sequence[Service], options: CompareOptions, reading: Reading = Reading(), *,
                     executor: Optional[Executor] = None, jobs: Optional[int] = None,
                     chunk: Optional[int] = None) -> Iterator[tuple[int, ServiceResult]]:
    """(position in ``services``, its result), in the order they are done. ``executor`` is used as given
    (and left open); without one, ``jobs`` processes (default: every core) are started here and stopped
    when the results are all read; ``jobs=1`` (or a single service) runs in this process.

    Everything is sent before the first result is asked for, so the workers are forked before a
    progress bar starts its thread (forking a process while threads run can deadlock the child)."""
    if not services:
        return iter(())
    from procmap.portfolio.assess import assess_many  # reading and comparing: imported only when there is work

    workers = jobs or os.cpu_count() or 1
    if executor is None and (workers <= 1 or len(services) == 1):
        return ((index, assess_many([service], options, reading)[0]) for index, service in enumerate(services))
    size = chunk or chunk_size(len(services), workers)
    pool = executor if executor is not None else _process_pool(workers)
    try:
        starts = {pool.submit(assess_many, services[i:i + size], options, reading): i
                  for i in range(0, len(services), size)}
    except BaseException:
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    return _collect(starts, services, size, pool if executor is None else None)


def _collect(starts: dict[Future, int], services: Sequence[Service], size: int,
             own: Optional[Executor]) -> Iterator[tuple[int, ServiceResult]]:
    try:
        for future in as_completed(starts):
            start = starts[future]
            try:
                results = future.result()
            except Exception as exc:  # a worker killed (out of memory), a cluster gone: these services fail
                reason = f"the worker comparing it stopped ({type(exc).__name__}: {exc})".replace("\n", " ")
                results = [ServiceResult.failed(s.name, s.files, reason, s.cases_per_year, transient=True)
                           for s in services[start:start + size]]
            for k, result in enumerate(results):
                yield start + k, result
    finally:
        for future in starts:
            future.cancel()
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)


def _process_pool(workers: int) -> ProcessPoolExecutor:
    # fork on Linux: the workers start with procmap already imported (milliseconds, not a second each);
    # elsewhere the platform's safe default (macOS system libraries do not survive a fork)
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)


def run_portfolio(path: Union[str, Path], options: CompareOptions = CompareOptions(), reading: Reading = Reading(),
                  *, jobs: Optional[int] = None, executor: Optional[Executor] = None,
                  cache_dir: Union[str, Path, None] = None, use_cache: bool = True,
                  progress: Progress = _no_progress) -> tuple[Portfolio, list[str]]:
    """Find the services at ``path``, compare each (or take it from the cache), rank them.

    Returns the portfolio and what a person should be told (a cache that could not be written).
    """
    if jobs is not None and jobs < 1:
        raise OptionError(f"--jobs must be 1 or more, not {jobs}")
    found = find_services(path)
    options = loaded(options)
    notes: list[str] = []
    cache = None
    if use_cache and options.seed is not None:  # no seed: fresh figures asked for, nothing kept
        cache = Cache(cache_dir if cache_dir is not None else default_cache_dir(), options_salt(options, reading),
                      reading.max_bytes)
    results: dict[int, ServiceResult] = {}
    todo: list[tuple[int, Service, Optional[str]]] = []  # (position found, service, cache key)
    for index, service in enumerate(found.services):
        if service.error is not None:
            results[index] = ServiceResult.failed(service.name, service.files, service.error, service.cases_per_year)
            continue
        key = cache.key(service) if cache is not None else None
        hit = cache.get(key) if cache is not None and key is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, service, key))
    done = compare_services([s for _, s, _ in todo], options, reading, executor=executor, jobs=jobs)
    for k, result in progress(done, len(todo), "Comparing"):
        index, _, key = todo[k]
        results[index] = result
        if cache is not None and key is not None and not result.transient:
            cache.put(key, result)
    if cache is not None and cache.write_error:
        notes.append(cache.write_error)
    ordered = [results[i] for i in range(len(found.services))]
    return Portfolio.of(found.source, ordered, currency=options.currency,
                        cached=cache.hits if cache is not None else 0), notes


@contextmanager
def dask_executor(address: str, timeout: float = 5.0) -> Iterator[Executor]:
    """An executor on a running Dask cluster (``tcp://HOST:PORT``); procmap must be installed on its workers."""
    try:
        from distributed import Client
    except ImportError:
        raise OptionError("--scheduler needs Dask: pip install 'procmap[dask]'") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ProcmapError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


__all__ = ["Progress", "chunk_size", "compare_services", "dask_executor", "loaded", "run_portfolio"]
