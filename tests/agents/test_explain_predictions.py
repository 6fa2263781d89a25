"""The assistant explains a routing decision with its predictions: when the profiles that routed the order
pin a reliability table, explain_routing hands the model each shipment's predicted on-time probability,
and command mode's answer names it."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agents.assistant import AssistantContext, build_graph
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.services.actor import Actor, Role
from oms.services.delay_models_store import store_model
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.routing_profiles import ProfilesSave, save_profiles
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork
from tests.agents.conftest import assistant_for, call, scripted
from tests.factories import ADMIN, order_body

AT = datetime(2026, 11, 1, tzinfo=UTC)
MANAGER = Actor(name="test-manager", role=Role.MANAGER)
STORE_TO_PARIS = ("ST-PARIS", "default", "FR-75", "standard")  # the built-in rates' one carrier


@pytest.fixture
def predicted_order(network) -> int:
    """An order captured under profiles pinning a table where the Paris store is on time 87% of the time."""
    table = ReliabilityTable(Cell(500, 0.9, 2.0, 2, 3), {}, {STORE_TO_PARIS: Cell(60, 0.87, 1.4, 1, 2)}, {})
    uow = UnitOfWork(network)
    window = {"train_from": AT, "train_to": AT, "validate_from": AT, "validate_to": AT}
    with uow:
        info = store_model(uow, MANAGER, RELIABILITY, table, {"trained_at": AT, **window, "rows": 560}, {})
        uow.commit()
    profiles = {"version": 1, "reliability_version": info.version,
                "strategies": [{"name": "reliable", "objective": {"late_risk": 10}}]}  # fmt: skip
    save_profiles(UnitOfWork(network), ADMIN, ProfilesSave(profiles=profiles, comment="predictive"))
    created, _ = capture_order(UnitOfWork(network), ADMIN, OrderCreate.model_validate(order_body("WEB-9")))
    return created.id


def _ask(graph, engine, message: str, model=None):
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    context = AssistantContext(UnitOfWork(engine), assistant_for(Role.OPS), model)
    return graph.invoke({"messages": [HumanMessage(message)]}, config, context=context)


def test_the_model_is_handed_each_shipments_predicted_on_time_probability(
    predicted_order, engine, checkpointer
):
    model = scripted(AIMessage("", tool_calls=[call("explain_routing", order_id=predicted_order)]),
                     AIMessage("ST-PARIS ships it; 87% predicted on time."))  # fmt: skip
    state = _ask(
        build_graph(checkpointer), engine, f"why does order {predicted_order} ship from Paris?", model
    )
    (result,) = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    [shipment] = json.loads(result.content)[0]["decision"]["plan"]["shipments"]
    assert (shipment["node_id"], shipment["on_time"], shipment["predicted_transit_days"]) == (
        "ST-PARIS",
        0.87,
        1.4,
    )
    assert any(isinstance(m, ToolMessage) and '"on_time": 0.87' in m.content for m in model.asked[-1])


def test_command_mode_names_the_predicted_on_time_probability(predicted_order, engine, checkpointer):
    state = _ask(build_graph(checkpointer), engine, f"why {predicted_order}")
    answer = state["messages"][-1].content
    assert "ST-PARIS ships 1 x TSH-BLU-L by default (87% predicted on time, 1.4 days in transit)" in answer


def test_without_predictions_command_mode_says_none(order, engine, checkpointer):
    answer = _ask(build_graph(checkpointer), engine, f"why {order}")["messages"][-1].content
    assert "by default." in answer and "predicted" not in answer
