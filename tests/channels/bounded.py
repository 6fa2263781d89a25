"""Running code that must finish quickly, in a process of its own: code stuck in C holding the GIL (an
integer of ten million digits) would stop a thread's watchdog too."""

import multiprocessing
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_within(seconds: float, work: Callable[[], T]) -> T:
    """What `work()` returns or raises (both must pickle); AssertionError when it takes more than
    `seconds`, the process running it then killed."""
    context = multiprocessing.get_context("fork")  # `work` may be a closure: nothing to pickle but its outcome
    receiver, sender = context.Pipe(duplex=False)

    def run() -> None:
        try:
            sender.send((True, work()))
        except Exception as error:  # noqa: BLE001 - raised again by the caller
            sender.send((False, error))

    process = context.Process(target=run, daemon=True)
    process.start()
    try:
        assert receiver.poll(seconds), f"still running after {seconds} s"
        finished, outcome = receiver.recv()
    finally:
        process.kill()
        process.join()
    if not finished:
        raise outcome
    return outcome
