"""`oms ml train-delay` and `oms ml score-delay` on the CSV contract: a round trip from a history to a
prediction per open shipment, and bad input refused with exit code 2, the reason, and no file written."""

import csv
from datetime import time

from typer.testing import CliRunner

from oms import cli
from oms.cli import app
from oms.ml.delay_cutoffs import write_cutoffs_csv
from oms.ml.delay_features import NodeCutoff
from oms.ml.delay_model import DelayModel
from oms.ml.delay_rows import write_shipments_csv
from tests.unit.test_delay_data import history, shipment

runner = CliRunner()


def train(tmp_path, rows, *options: str) -> tuple:
    write_shipments_csv(tmp_path / "history.csv", rows)
    arguments = ["--history", str(tmp_path / "history.csv"), "--model-out", str(tmp_path / "delay.joblib")]
    return runner.invoke(app, ["ml", "train-delay", *arguments, *options]), tmp_path / "delay.joblib"


def score(tmp_path, model) -> tuple:
    arguments = [
        "--model",
        str(model),
        "--open",
        str(tmp_path / "open.csv"),
        "--out",
        str(tmp_path / "pred.csv"),
    ]
    return runner.invoke(app, ["ml", "score-delay", *arguments]), tmp_path / "pred.csv"


def test_a_model_trained_on_a_history_scores_every_open_shipment(tmp_path):
    trained, model = train(tmp_path, history())
    assert trained.exit_code == 0, trained.output
    assert "roc_auc" in trained.output and "per-carrier" in trained.output and "written to" in trained.output
    write_shipments_csv(tmp_path / "open.csv", [shipment(n, delivered=False) for n in range(400, 420)])
    scored, predictions = score(tmp_path, model)
    assert scored.exit_code == 0, scored.output
    rows = list(csv.DictReader(predictions.open()))
    assert [r["shipment_id"] for r in rows] == [str(n) for n in range(400, 420)]
    assert all(0 <= float(r["p_late"]) <= 1 for r in rows)


def test_a_history_unfit_to_train_on_exits_2_and_writes_no_model(tmp_path):
    result, model = train(tmp_path, history(50))
    assert result.exit_code == 2
    assert "50 delivered shipment(s): at least 200 are needed" in result.output
    assert not model.exists()


def test_the_nodes_cutoffs_go_with_the_model(tmp_path):
    write_cutoffs_csv(tmp_path / "cutoffs.csv", {"WH-LYON": NodeCutoff(time(15), "Europe/Paris")})
    result, model = train(tmp_path, history(), "--cutoffs", str(tmp_path / "cutoffs.csv"))
    assert result.exit_code == 0, result.output
    assert DelayModel.load(model).cutoffs == {"WH-LYON": NodeCutoff(time(15), "Europe/Paris")}


def test_a_bad_cutoffs_file_exits_2_and_writes_no_model(tmp_path):
    (tmp_path / "cutoffs.csv").write_text("node_id,cutoff_time,timezone\nWH-LYON,15h,Europe/Paris\n")
    result, model = train(tmp_path, history(), "--cutoffs", str(tmp_path / "cutoffs.csv"))
    assert result.exit_code == 2 and "column cutoff_time: '15h' is not a time" in result.output
    assert not model.exists()


def test_a_bad_csv_exits_2_naming_the_line(tmp_path):
    (tmp_path / "history.csv").write_text("shipment_id,carrier\n1,GLS\n")
    result = runner.invoke(
        app,
        ["ml", "train-delay", "--history", str(tmp_path / "history.csv"), "--model-out", str(tmp_path / "m")],
    )
    assert result.exit_code == 2 and "the header lacks the column(s) order_id, created_at" in result.output


def test_scoring_with_a_file_that_is_no_model_exits_2(tmp_path):
    write_shipments_csv(tmp_path / "open.csv", [shipment(1, delivered=False)])
    result, predictions = score(tmp_path, tmp_path / "open.csv")
    assert result.exit_code == 2 and "not a delay model" in result.output
    assert not predictions.exists()


def test_half_the_file_options_is_refused(tmp_path):
    result = runner.invoke(app, ["ml", "train-delay", "--history", str(tmp_path / "h.csv")])
    assert result.exit_code == 2 and "give both --history and --model-out" in result.output


def test_without_files_an_empty_database_has_no_history_to_train_or_model_to_score(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    trained = runner.invoke(app, ["ml", "train-delay"])
    assert trained.exit_code == 2 and "cannot train the delay model" in trained.output
    scored = runner.invoke(app, ["ml", "score-delay"])
    assert scored.exit_code == 2 and "no delay model trained yet" in scored.output
