import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from pydantic import Field

from agents.checkpoints import postgres_checkpointer
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
    """Order WEB-1 of Camille Martin (Paris), allocated: one T-shirt from the Paris store."""
    created, _ = capture_order(UnitOfWork(network), ADMIN, OrderCreate.model_validate(order_body("WEB-1")))
    return created.id


class ScriptedModel(GenericFakeChatModel):
    """A chat model that answers with the scripted messages, in order, whatever it is asked; it records
    what it was asked so tests can check the prompt and the tools it was offered."""

    asked: list = Field(default_factory=list)
    offered: list = Field(default_factory=list)

    def bind_tools(self, tools, **kwargs):
        self.offered.append([tool["function"]["name"] for tool in tools])
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.asked.append(list(messages))
        return super()._generate(messages, stop, run_manager, **kwargs)


def scripted(*messages) -> ScriptedModel:
    return ScriptedModel(messages=iter(messages))


def call(name: str, **args) -> dict:
    return {"name": name, "args": args, "id": f"call_{name}_{len(args)}_{abs(hash(str(args))) % 10_000}"}


@pytest.fixture
def checkpointer(database_url):
    saver, pool = postgres_checkpointer(libpq_url(database_url))
    yield saver
    pool.close()


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)
