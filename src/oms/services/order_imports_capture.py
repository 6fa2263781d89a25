"""Capturing the valid orders of an import file, a few at a time.

Capture is concurrency-safe (it re-reads and locks what changed under it) and spends most of an order
waiting for PostgreSQL, so a small pool of threads, each capturing one order on its own connection,
imports a file several times faster than one order after the other (evals/perf/bench_bulk_import.py).
Outcomes come back in file order. Which order of the file reserves scarce stock first is then not
strictly the file's order, as with orders arriving at once through the API. All or nothing, an order
refused (something changed since the file was checked) stops the import: the orders not started by
then are not captured.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from oms.channels.bulk.drafts import Draft, locate
from oms.channels.bulk.grouping import RowError
from oms.services.actor import Actor
from oms.services.errors import ServiceError
from oms.services.inbound import OrderSource
from oms.services.order_capture import capture_order
from oms.services.order_imports_models import ImportedOrder
from oms.services.uow import UnitOfWork

WORKERS = 4
ImportProgress = Callable[[int, int], None]  # (rows captured, rows to capture), after each order


def capture_drafts(
    engine: Engine, actor: Actor, drafts: list[Draft], payload_id: int,
    progress: ImportProgress | None = None, workers: int | None = None, all_or_nothing: bool = False,
) -> list[ImportedOrder | list[RowError] | None]:  # fmt: skip
    """Each draft's captured order, or the errors capture refused it with, in the drafts' order; with
    `all_or_nothing`, None for the drafts not yet started when one was refused."""
    total, done = sum(len(d.order.rows) for d in drafts), 0
    refused = threading.Event()
    if progress:
        progress(0, total)  # the file is checked: capture starts

    def capture(draft: Draft) -> ImportedOrder | list[RowError] | None:
        if all_or_nothing and refused.is_set():
            return None
        outcome = _capture(engine, actor, draft, payload_id)
        if isinstance(outcome, list):
            refused.set()
        return outcome

    pool = ThreadPoolExecutor(workers or WORKERS, thread_name_prefix="order-import")
    outcomes = []
    try:
        for draft, outcome in zip(drafts, pool.map(capture, drafts)):
            outcomes.append(outcome)
            if isinstance(outcome, ImportedOrder):  # not the refused ones, nor those left out after them
                done += len(draft.order.rows)
            if progress:
                progress(done, total)
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, the orders not started stay unwritten
    return outcomes


def _capture(engine: Engine, actor: Actor, draft: Draft, payload_id: int) -> ImportedOrder | list[RowError]:
    order = draft.order
    source = OrderSource(source="bulk", payload_id=payload_id, reference=order.reference)
    try:
        captured, created = capture_order(UnitOfWork(engine), actor, draft.command, source)
    except ServiceError as refused:  # checked before, so only what changed since: a conflict, a race
        return _refusal(draft, refused)
    return ImportedOrder(order_ref=order.ref, rows=order.reference, order_id=captured.id, created=created)


def _refusal(draft: Draft, refused: ServiceError) -> list[RowError]:
    order = draft.order
    if not refused.errors:
        return [RowError(order.rows[0], "", refused.detail, order.ref, refused.type_slug)]
    return [RowError(*locate(order, draft.line_rows, e.path), e.message, order.ref, e.code)
            for e in refused.errors]  # fmt: skip
