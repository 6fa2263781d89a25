"""Who used the CPU during a phase, from /proc (Linux): the API processes, PostgreSQL, this load
generator, and everything else on the machine (other people's work on a shared box shows up there).

On 2 cores the answer matters as much as the throughput: it says whether the ceiling is Python in the
API workers or PostgreSQL, and whether the figures were taken on a quiet machine.
"""

import os
import time
from pathlib import Path
from typing import Self

_TICK = os.sysconf("SC_CLK_TCK")


def _process_table() -> dict[int, tuple[int, float, float]]:
    """pid -> (parent pid, own CPU seconds, CPU seconds of its exited and reaped children).

    The children's share matters: PostgreSQL forks a backend per connection, and a connection pool's
    overflow connections come and go during a phase; their CPU survives in the postmaster's counters."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            # Fields after the command name (which may hold spaces): state, ppid, ..., utime (12th),
            # stime, cutime, cstime.
            rest = Path(entry.path, "stat").read_text().rsplit(") ", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited while we read
        own, children = int(rest[11]) + int(rest[12]), int(rest[13]) + int(rest[14])
        table[int(entry.name)] = (int(rest[1]), own / _TICK, children / _TICK)
    return table


def _machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot: user, nice, system, irq, softirq and steal
    (/proc/stat fields 1-3 and 6-8; 4 and 5 are idle and iowait)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split()[1:9]]
    return (sum(ticks[0:3]) + sum(ticks[5:8])) / _TICK


class CpuMeter:
    """`with CpuMeter({"API": supervisor_pid, "PostgreSQL": postmaster_pid}) as m: ...` then m.cores_used().
    A group is a root process and all its descendants; a process counts in its nearest root's group."""

    def __init__(self, roots: dict[str, int]):
        self.roots = roots

    def __enter__(self) -> Self:
        self._start = self._sample()
        return self

    def __exit__(self, *exc) -> None:
        self._end = self._sample()

    def cores_used(self) -> dict[str, float]:
        """Average cores busy per group over the block (2.0 = both cores of this machine, all the time)."""
        (start_wall, start_busy, start_cpu), (end_wall, end_busy, end_cpu) = self._start, self._end
        elapsed = end_wall - start_wall
        used = {group: (end_cpu[group] - start_cpu[group]) / elapsed for group in end_cpu}
        used["other processes"] = (end_busy - start_busy) / elapsed - sum(used.values())
        return {name: round(value, 2) for name, value in used.items()}

    def _sample(self) -> tuple[float, float, dict[str, float]]:
        """(wall clock, machine busy seconds, CPU seconds per group).

        A group's CPU is its live processes' own time plus what they reaped from exited children, so a
        process that exits mid-phase is still counted, once. The load generator is this process's own
        time only: it reaps the py-spy processes, which belong to "other"."""
        table = _process_table()
        by_root = {pid: name for name, pid in self.roots.items()}
        sample = dict.fromkeys([*self.roots, "load generator"], 0.0)
        for pid, (_, own, children) in table.items():
            if pid == os.getpid():
                sample["load generator"] += own
            elif group := _group(pid, table, by_root):
                sample[group] += own + children
        return time.perf_counter(), _machine_busy_seconds(), sample


def _group(pid: int, table: dict[int, tuple[int, float, float]], by_root: dict[int, str]) -> str | None:
    for _ in range(64):  # bounded walk up the process tree
        if pid in by_root:
            return by_root[pid]
        if pid not in table or pid <= 1:
            return None
        pid = table[pid][0]
    return None
