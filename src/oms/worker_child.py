"""The background worker as a child process of `oms run`: started next to the API, started again if it
dies, stopped with the API.

The child exits on SIGTERM or SIGINT (Ctrl-C reaches the whole process group) with status 0, and by itself
if `oms run` dies without stopping it (`--parent-pid`), so no worker outlives the API. Any other exit
(killed, crashed at start because the database was unreachable) is followed by a restart a few seconds
later: webhooks must not stop quietly while the API goes on.

The child runs at a lower CPU priority (`BACKGROUND_NICENESS`): on a machine the API shares with its jobs,
requests come first when both want the CPU, and the jobs take what the API leaves idle (while it waits on
PostgreSQL, say). Some runs are heavy: when `oms run` starts, the anomaly scan (loading scikit-learn,
scoring open shipments) and the routing advisor (learning from months of deliveries) take seconds of CPU.
"""

import os
import subprocess
import sys
import threading
from typing import Self

import typer

RESTART_DELAY_S = 5.0
BACKGROUND_NICENESS = 10  # CPU weight 110 against the API's 1024 when both want the CPU
STOP_TIMEOUT_S = 20.0  # a job finishes the run under way (a webhook request times out in seconds)


class WorkerChild:
    def __init__(self):
        self._proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watch = threading.Thread(target=self._supervise, name="worker-watch", daemon=True)

    def start(self) -> Self:
        self._proc = _spawn()
        self._watch.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._watch.join()  # it starts no worker from now on
        if self._proc.poll() is None:
            self._proc.terminate()
        try:
            self._proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def _supervise(self) -> None:
        while not self._stopping.wait(1.0):
            status = self._proc.poll()
            if status is None or status == 0:  # running, or asked to stop (Ctrl-C): not restarted
                continue
            typer.echo(f"background worker exited with status {status}; restarting in {RESTART_DELAY_S:.0f} s",
                       err=True)  # fmt: skip
            if not self._stopping.wait(RESTART_DELAY_S):
                self._proc = _spawn()


def _spawn() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "oms.cli", "worker", "--parent-pid", str(os.getpid()),
                             "--niceness", str(BACKGROUND_NICENESS)])  # fmt: skip
