"""User accounts: created by an admin (or `oms users add`, which prompts for the password or reads it from
stdin, never from its arguments), stored as scrypt hashes, disabled without being deleted."""

from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli
from oms.services.errors import Conflict, Forbidden, ValidationFailed
from oms.services.uow import UnitOfWork
from oms.services.users import UserCreate, create_user, sign_in_user, verify_password
from tests.factories import ADMIN, OPS, add_network

runner = CliRunner()


def test_the_cli_prompts_for_the_password_twice_and_stores_only_its_hash(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)
    added = runner.invoke(cli.app, ["users", "add", "olga", "--role", "ops"], input="long enough pw\nlong enough pw\n")
    assert added.exit_code == 0 and "user olga (ops) created" in added.output
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE name = 'olga'")).scalar()
    assert stored.startswith("scrypt$") and "long enough pw" not in stored and verify_password("long enough pw", stored)
    again = runner.invoke(cli.app, ["users", "add", "olga", "--role", "ops"], input="long enough pw\nlong enough pw\n")
    assert again.exit_code == 2 and "a user named 'olga' exists" in again.output
    system = runner.invoke(cli.app, ["users", "add", "robot", "--role", "wms"], input="long enough pw\nlong enough pw\n")
    assert system.exit_code == 2 and "role: Input should be 'admin'" in system.output
    piped = runner.invoke(cli.app, ["users", "add", "pia", "--role", "viewer", "--password-stdin"], input="from a pipe!\n")
    assert piped.exit_code == 0 and "from a pipe!" not in piped.output
    assert sign_in_user(UnitOfWork(engine), "pia", "from a pipe!").kind == "user"
    in_argv = runner.invoke(cli.app, ["users", "add", "ana", "--role", "ops", "--password", "long enough pw"])
    assert in_argv.exit_code == 2 and "No such option" in in_argv.output  # argv is visible in the process list
    disabled = runner.invoke(cli.app, ["users", "disable", "olga"])
    assert disabled.exit_code == 0 and runner.invoke(cli.app, ["users", "disable", "nobody"]).exit_code == 2


def test_only_admins_create_users_and_a_channel_user_needs_a_known_channel(engine):
    add_network(engine)
    cmd = UserCreate(name="carla", password="long enough pw", role="channel", channel_id="nowhere")
    try:
        create_user(UnitOfWork(engine), OPS, cmd)
        raise AssertionError("ops created a user")
    except Forbidden:
        pass
    try:
        create_user(UnitOfWork(engine), ADMIN, cmd)
        raise AssertionError("a user for an unknown channel")
    except ValidationFailed as error:
        assert error.errors[0].path == ("channel_id",)
    create_user(UnitOfWork(engine), ADMIN, cmd.model_copy(update={"channel_id": "web"}))
    try:
        create_user(UnitOfWork(engine), ADMIN, cmd.model_copy(update={"channel_id": "web"}))
        raise AssertionError("two users of one name")
    except Conflict:
        pass
    assert sign_in_user(UnitOfWork(engine), "carla", "long enough pw").kind == "user"
