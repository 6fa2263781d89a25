"""`oms webhooks`: subscriptions, delivery history, the dead-letter list and replay. Every command exits
1 with the reason on stderr when refused (unknown subscription or delivery, invalid URL or event type)."""

import typer

webhooks_app = typer.Typer(no_args_is_help=True, help="Outbound webhooks: subscriptions, deliveries, replay.")
EVENTS = typer.Option(None, "--events", help='Event types, comma-separated ("*" for all)')


def _call(action):
    """Run a service call as the CLI actor; a refusal becomes a message and exit code 1."""
    from pydantic import ValidationError

    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.errors import ServiceError
    from oms.services.uow import UnitOfWork

    try:
        return action(UnitOfWork(_migrated_engine()), CLI_ACTOR)
    except ServiceError as e:
        typer.echo(f"error: {e.detail}", err=True)
    except ValidationError as e:
        for error in e.errors():
            typer.echo(f"error: {'.'.join(map(str, error['loc']))}: {error['msg']}", err=True)
    raise typer.Exit(1)


def _names(events: str | None) -> list[str] | None:
    return None if events is None else [name.strip() for name in events.split(",") if name.strip()]


def _show(sub) -> None:
    state = "enabled" if sub.enabled else "disabled"
    paused = f", paused until {sub.paused_until:%Y-%m-%d %H:%M:%S}" if sub.paused_until else ""
    typer.echo(f"{sub.id}  {sub.url}  [{state}{paused}]  {', '.join(sub.event_types)}"
               f"  pending {sub.pending}, dead {sub.dead}  {sub.description}".rstrip())  # fmt: skip


@webhooks_app.command("event-types")
def event_types() -> None:
    """List the event types a subscription may name."""
    from oms.services.event_types import EVENT_TYPES

    for name, description in EVENT_TYPES.items():
        typer.echo(f"{name:<28} {description}")


@webhooks_app.command("create")
def create(
    url: str = typer.Option(..., help="Where to POST the events"),
    events: str = EVENTS,
    description: str = typer.Option(""),
    secret: str | None = typer.Option(None, help="Signing secret  [default: generated]"),
    enabled: bool = typer.Option(True, "--enabled/--disabled"),
) -> None:
    """Subscribe URL to event types and print the signing secret (shown this once)."""
    from oms.services.webhook_subscriptions import SubscriptionCreate, create_subscription

    def act(uow, actor):
        command = SubscriptionCreate(url=url, event_types=_names(events) or [], description=description,
                                     secret=secret, enabled=enabled)  # fmt: skip
        return create_subscription(uow, actor, command)

    sub = _call(act)
    _show(sub)
    typer.echo(f"secret: {sub.secret}")


@webhooks_app.command("list")
def list_() -> None:
    """Every subscription: id, URL, state, event types, pending and dead deliveries."""
    from oms.services.webhook_subscriptions import list_subscriptions

    for sub in _call(list_subscriptions).items:
        _show(sub)


@webhooks_app.command("show")
def show(subscription_id: int) -> None:
    """One subscription (never its secret)."""
    from oms.services.webhook_subscriptions import get_subscription

    _show(_call(lambda uow, actor: get_subscription(uow, actor, subscription_id)))


@webhooks_app.command("update")
def update(
    subscription_id: int,
    url: str | None = typer.Option(None),
    events: str | None = EVENTS,
    description: str | None = typer.Option(None),
    secret: str | None = typer.Option(None),
    enabled: bool | None = typer.Option(None, "--enable/--disable"),
) -> None:
    """Change a subscription; what is not given stays."""
    from oms.services.webhook_subscriptions import SubscriptionUpdate, update_subscription

    given = {"url": url, "event_types": _names(events), "description": description, "secret": secret,
             "enabled": enabled}  # fmt: skip

    def act(uow, actor):
        command = SubscriptionUpdate(**{k: v for k, v in given.items() if v is not None})
        return update_subscription(uow, actor, subscription_id, command)

    _show(_call(act))


@webhooks_app.command("delete")
def delete(subscription_id: int) -> None:
    """Delete a subscription and its delivery history."""
    from oms.services.webhook_subscriptions import delete_subscription

    _call(lambda uow, actor: delete_subscription(uow, actor, subscription_id))
    typer.echo(f"subscription {subscription_id} deleted")


@webhooks_app.command("deliveries")
def deliveries(
    status: str | None = typer.Option(None, help="pending, delivered or dead (the dead-letter list)"),
    subscription: int | None = typer.Option(None, help="Only this subscription's"),
    limit: int = typer.Option(50, min=1, max=500),
    cursor: str | None = typer.Option(None, help="The cursor printed after the previous page"),
) -> None:
    """Delivery history, in the order deliveries were queued."""
    from oms.services.webhook_deliveries import DeliveryStatus, list_deliveries

    if status is not None and status not in DeliveryStatus.__members__.values():
        raise typer.BadParameter("pending, delivered or dead", param_hint="--status")
    wanted = DeliveryStatus(status) if status else None
    page = _call(lambda uow, actor: list_deliveries(uow, actor, limit, cursor, wanted, subscription))
    for d in page.items:
        answer = d.last_error or (f"HTTP {d.last_status_code}" if d.last_status_code else "")
        typer.echo(f"{d.id}  sub {d.subscription_id}  {d.event_type:<24} {d.event_id}  {d.status:<9}"
                   f" attempts {d.attempts}  {answer}".rstrip())  # fmt: skip
    if page.next_cursor:
        typer.echo(f"more: --cursor {page.next_cursor}")


@webhooks_app.command("replay")
def replay(delivery_id: int) -> None:
    """Queue a dead (or delivered) delivery again, with its original event id."""
    from oms.services.webhook_deliveries import replay_delivery

    delivery = _call(lambda uow, actor: replay_delivery(uow, actor, delivery_id))
    typer.echo(f"delivery {delivery.id} (event {delivery.event_id}) queued again")


@webhooks_app.command("replay-dead")
def replay_dead(subscription_id: int) -> None:
    """Queue every dead delivery of a subscription again."""
    from oms.services.webhook_deliveries import replay_dead as replay_all

    report = _call(lambda uow, actor: replay_all(uow, actor, subscription_id))
    typer.echo(f"{report.replayed} dead deliveries of subscription {subscription_id} queued again")
