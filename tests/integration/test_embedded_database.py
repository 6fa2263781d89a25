"""The embedded PostgreSQL stops when the last process using it exits, even after a holder was killed."""

import json
import subprocess
import sys
import time

import psutil

ATTACH = """
import sys
from pathlib import Path
from oms.db.embedded import embedded_database_url
embedded_database_url(Path(sys.argv[1]))
"""


def _postmasters(data_dir) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if any(str(data_dir) in part for part in cmdline) and "-D" in cmdline:
            found.append(proc)
    return found


def _wait_for_no_postmaster(data_dir, timeout=20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _postmasters(data_dir):
            return True
        time.sleep(0.2)
    return False


def test_the_server_stops_when_its_last_user_exits_even_after_a_killed_holder(tmp_path):
    data_dir = tmp_path / "oms"
    subprocess.run([sys.executable, "-c", ATTACH, str(data_dir)], check=True, timeout=120)
    assert _wait_for_no_postmaster(data_dir), "the server outlived its only user"

    holders = data_dir / "pgdata" / ".handle_pids.json"
    holders.write_text(json.dumps([2**22 + 12345]))  # a holder that died without its exit hook
    subprocess.run([sys.executable, "-c", ATTACH, str(data_dir)], check=True, timeout=120)
    assert _wait_for_no_postmaster(data_dir), "a dead holder kept the server running"
