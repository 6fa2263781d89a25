"""The delay model trained on a small seeded simulation of the demo network, whose lateness follows a
hidden mechanism: it must beat each carrier's late rate, never lower risk for more node load, explain
itself and survive a save and load."""

import dataclasses
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pytest

from evals.anomaly.simulate import simulated_records
from oms.ml.delay_explain import contributions
from oms.ml.delay_model import DelayModel, DelayModelError, _never_backwards, train_delay_model


@pytest.fixture(scope="module")
def simulated():
    return simulated_records(60, datetime(2026, 6, 1, 12, tzinfo=UTC), seed=3)


@pytest.fixture(scope="module")
def model(simulated) -> DelayModel:
    records, cutoffs = simulated
    return train_delay_model(records, cutoffs=cutoffs)


def test_the_model_beats_the_per_carrier_baseline_on_the_later_window(model):
    ours, baseline = model.metadata["metrics"], model.metadata["baseline_metrics"]
    rows = model.metadata["rows"]
    assert ours["rows"] == rows["validate"] > 1000 and rows["train"] + rows["validate"] == rows["total"]
    assert ours["roc_auc"] > baseline["roc_auc"] + 0.05
    assert ours["precision_at_100"] > baseline["precision_at_100"]
    assert ours["brier"] < baseline["brier"]


def test_more_load_at_the_node_never_lowers_the_risk(model, simulated):
    records = simulated[0][-400:]
    busier = [  # the same parcels with five more releases at their node in the hour before each
        dataclasses.replace(r, shipment_id=f"{r.shipment_id}-{k}", released_at=r.released_at - timedelta(minutes=10 * k))
        for r in records
        for k in range(1, 6)
    ]  # fmt: skip
    before = model.predict(records, context=simulated[0])
    after = model.predict(records, context=[*simulated[0], *busier])
    assert np.all(after >= before - 1e-12)
    assert np.any(after > before)


def test_scores_that_rank_backwards_give_every_parcel_the_late_rate():
    backwards, forwards = SimpleNamespace(a_=0.4, b_=2.0), SimpleNamespace(a_=-0.4, b_=2.0)
    _never_backwards(backwards, late_rate=0.2)
    _never_backwards(forwards, late_rate=0.2)
    assert backwards.a_ == 0 and 1 / (1 + np.exp(backwards.b_)) == pytest.approx(0.2)
    assert (forwards.a_, forwards.b_) == (-0.4, 2.0)


def test_each_risk_comes_with_its_strongest_reasons_first(model, simulated):
    reasons = model.explain(simulated[0][-50:], top=3)
    assert len(reasons) == 50 and all(len(r) == 3 for r in reasons)
    for top in reasons:
        assert all(
            isinstance(f, str) and f in model.metadata["features"] and isinstance(v, str) for f, v, _ in top
        )
        assert [e for *_, e in top] == sorted((e for *_, e in top), reverse=True)


def test_a_saved_model_loads_with_its_version_and_predicts_the_same(model, simulated, tmp_path):
    model.save(tmp_path / "delay.joblib")
    loaded = DelayModel.load(tmp_path / "delay.joblib")
    assert loaded.metadata == model.metadata
    np.testing.assert_array_equal(loaded.predict(simulated[0][-200:]), model.predict(simulated[0][-200:]))


def test_a_model_from_another_scikit_learn_warns_at_load(model):
    trained_with = model.metadata["sklearn_version"]
    model.metadata["sklearn_version"] = "0.24.2"
    try:
        blob = model.to_bytes()
    finally:
        model.metadata["sklearn_version"] = trained_with
    with pytest.warns(UserWarning, match="trained with scikit-learn 0.24.2"):
        DelayModel.from_bytes(blob)


def test_a_file_that_is_no_delay_model_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DelayModelError, match="notes.txt: not a delay model"):
        DelayModel.load(tmp_path / "notes.txt")
    with pytest.raises(DelayModelError, match="cannot read the model"):
        DelayModel.load(tmp_path / "absent.joblib")


def test_a_features_effect_is_the_drop_when_it_alone_takes_the_typical_value():
    rows = np.random.default_rng(1).normal(size=(4500, 4))  # more than one chunk of rows
    reference = np.array([0.0, 1.0, 2.0, 3.0])
    effects = contributions(lambda m: m @ np.array([1.0, 2.0, 0.0, -1.0]), rows, reference)
    np.testing.assert_allclose(effects, (rows - reference) * [1.0, 2.0, 0.0, -1.0])
