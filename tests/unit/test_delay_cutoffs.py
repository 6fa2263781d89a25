"""The nodes' cut-offs for a history imported from files: node_id, cutoff_time, timezone."""

from datetime import time

import pytest

from oms.ml.delay_cutoffs import read_cutoffs_csv, write_cutoffs_csv
from oms.ml.delay_features import NodeCutoff
from oms.ml.delay_rows import DelayDataError


def test_cutoffs_written_read_back_the_same(tmp_path):
    cutoffs = {
        "WH-LYON": NodeCutoff(time(15), "Europe/Paris"),
        "ST-KOELN": NodeCutoff(time(16, 30), "Europe/Berlin"),
    }
    write_cutoffs_csv(tmp_path / "cutoffs.csv", cutoffs)
    assert read_cutoffs_csv(tmp_path / "cutoffs.csv") == cutoffs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("node_id,cutoff\nWH,15:00\n", "lacks the column\\(s\\) cutoff_time, timezone"),
        (
            "node_id,cutoff_time,timezone\nWH,3pm,Europe/Paris\n",
            "line 2, column cutoff_time: '3pm' is not a time",
        ),
        (
            "node_id,cutoff_time,timezone\nWH,15:00,Mars/Olympus\n",
            "line 2, column timezone: 'Mars/Olympus' is no time",
        ),
    ],
)
def test_a_bad_cutoffs_file_is_refused_naming_line_and_column(tmp_path, content, message):
    (tmp_path / "cutoffs.csv").write_text(content)
    with pytest.raises(DelayDataError, match=message):
        read_cutoffs_csv(tmp_path / "cutoffs.csv")
