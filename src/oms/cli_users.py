"""`oms users ...`: accounts of people who sign in to the web console with a password."""

from typing import Annotated

import typer

from oms.services.actor import Role

users_app = typer.Typer(no_args_is_help=True, help="Web console user accounts.")


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[Role, typer.Option(help="What the user may see and do (not wms or carrier: systems use API keys)")],
    channel: str | None = typer.Option(None, help="The channel a channel-role user acts for"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin instead of a prompt"
    ),
) -> None:
    """Create the user NAME, who signs in to the web console with the password typed at the prompt (10
    characters or more), or read from stdin: never an argument, which the process list would show."""
    import sys

    from pydantic import ValidationError

    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.errors import Conflict, ValidationFailed
    from oms.services.uow import UnitOfWork
    from oms.services.users import UserCreate, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        cmd = UserCreate(name=name, password=password, role=role.value, channel_id=channel)
        create_user(UnitOfWork(_migrated_engine()), CLI_ACTOR, cmd)
    except ValidationError as error:
        raise typer.BadParameter("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())) from None
    except (Conflict, ValidationFailed) as error:
        raise typer.BadParameter(error.detail) from None
    typer.echo(f"user {name} ({role.value}) created")


@users_app.command("disable")
def users_disable(
    name: str, enable: bool = typer.Option(False, "--enable", help="Let the user sign in again")
) -> None:
    """Stop NAME signing in; their open sessions end with their next request."""
    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.errors import NotFound
    from oms.services.uow import UnitOfWork
    from oms.services.users import set_disabled

    try:
        set_disabled(UnitOfWork(_migrated_engine()), CLI_ACTOR, name, disabled=not enable)
    except NotFound as error:
        raise typer.BadParameter(error.detail, param_hint="NAME") from None
    typer.echo(f"user {name} {'enabled' if enable else 'disabled'}")
