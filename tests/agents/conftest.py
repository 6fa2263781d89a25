import pytest

from oms.services.actor import Actor, Role
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock


def assistant_for(role: Role, person: str = "camille", channel: str | None = None) -> Actor:
    """The assistant acting for a person: that person's role, and their name on every audit event."""
    return Actor(name="assistant", role=role, on_behalf_of=person, channel_id=channel)


@pytest.fixture
def network(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", on_hand=2)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=4)
    return engine


@pytest.fixture
def order(network) -> int:
    """Order WEB-1 of Camille Martin, allocated at Lyon."""
    created, _ = capture_order(UnitOfWork(network), ADMIN, OrderCreate.model_validate(order_body("WEB-1")))
    return created.id
