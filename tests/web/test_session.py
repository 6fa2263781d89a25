"""The secret that signs session cookies, when none is configured: made once in the data folder, by
whichever process starts first, and never read half-written."""

import threading
import time

import pytest

from oms.web.session import _kept_secret


def test_the_first_process_makes_the_secret_and_the_others_read_it(tmp_path):
    found = []
    threads = [threading.Thread(target=lambda: found.append(_kept_secret(tmp_path / "data"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 8 and len(set(found)) == 1 and len(found[0]) >= 32


def test_a_secret_file_another_process_has_just_created_is_read_once_written(tmp_path):
    path = tmp_path / "session-secret"
    path.touch()  # created (O_EXCL), not yet written: an empty key would sign cookies anyone can forge

    def write_later():
        time.sleep(0.2)
        path.write_text("s" * 43)

    threading.Thread(target=write_later).start()
    assert _kept_secret(tmp_path) == "s" * 43


def test_an_empty_secret_file_is_refused_rather_than_used(tmp_path):
    (tmp_path / "session-secret").touch()
    with pytest.raises(RuntimeError, match="OMS_SESSION_SECRET"):
        _kept_secret(tmp_path)
