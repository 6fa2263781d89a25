"""`oms edi import FILE --channel b2b`: the same intake as the API, its answer printed, the exit code
saying whether everything went in."""

import pytest
from typer.testing import CliRunner

from oms import cli
from tests.channels.edi.samples import FIXTURES, NEWLINE, STAR_TILDE, replace

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)


def edi_import(path) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["edi", "import", str(path), "--channel", "b2b"], terminal_width=200)
    return result.exit_code, result.output


def test_an_interchange_captured_whole_exits_0_and_a_replay_says_so(partner):
    code, output = edi_import(FIXTURES / STAR_TILDE)
    assert code == 0 and "4500012345" in output and "captured" in output and "855 AD" in output
    code, output = edi_import(FIXTURES / STAR_TILDE)
    assert code == 0 and "received before" in output


def test_a_refused_purchase_order_exits_1_with_its_problem(partner):
    code, output = edi_import(FIXTURES / NEWLINE)
    assert code == 1 and "refused" in output and "PO1 (segment 10)" in output and "HAT-GRN-S" in output


def test_a_broken_interchange_or_a_missing_file_exits_2(partner, tmp_path):
    broken = tmp_path / "broken.x12"
    broken.write_bytes(replace(STAR_TILDE, "SE*19*0001", "SE*12*0001"))
    code, output = edi_import(broken)
    assert code == 2 and "SE01 is 12, the transaction set has 19 segments" in output
    code, output = edi_import(tmp_path / "nope.x12")
    assert code == 2 and "cannot read" in output
