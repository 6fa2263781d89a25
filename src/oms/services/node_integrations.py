"""How each node's WMS receives releases: `http` (the document POSTed to its endpoint, signed with its
secret), `file` (a document per fulfilment order dropped into a directory) or `manual` (nothing sent:
the node's staff acknowledge and report through the API). A node never configured is manual."""

from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.fulfilment_models import NodeIntegrationIn, NodeIntegrationPublic
from oms.services.uow import UnitOfWork

_READ = text(
    """
    SELECT n.id AS node_id, coalesce(i.transport, 'manual') AS transport, i.endpoint_url,
           i.secret IS NOT NULL AS secret_set, i.drop_dir, i.updated_by, i.updated_at
    FROM nodes n LEFT JOIN node_integrations i ON i.node_id = n.id WHERE n.id = :node
    """
)
_UPSERT = text(
    """
    INSERT INTO node_integrations (node_id, transport, endpoint_url, secret, drop_dir, updated_by)
    VALUES (:node, :transport, :endpoint_url, :secret, :drop_dir, :actor)
    ON CONFLICT (node_id) DO UPDATE SET transport = excluded.transport, endpoint_url = excluded.endpoint_url,
      secret = excluded.secret, drop_dir = excluded.drop_dir, updated_by = excluded.updated_by, updated_at = now()
    """
)
# A node given a transport sends what it has not yet delivered; one made manual sends nothing more.
_RESCHEDULE = text(
    """
    UPDATE fulfilment_orders SET next_attempt_at = CASE WHEN :sends THEN now() END
    WHERE node_id = :node AND sent_at IS NULL AND acknowledged_at IS NULL
      AND status NOT IN ('shipped', 'rejected', 'cancelled')
    """
)
_NEEDS = {"http": ("endpoint_url", "secret"), "file": ("drop_dir",), "manual": ()}


def get_integration(uow: UnitOfWork, actor: Actor, node_id: str) -> NodeIntegrationPublic:
    actor.require(Permission.NETWORK_READ)
    with uow.reading():
        row = uow.conn.execute(_READ, {"node": node_id}).first()
    if row is None:
        raise NotFound(f"no node {node_id}")
    return NodeIntegrationPublic.model_validate(row._mapping)


def set_integration(uow: UnitOfWork, actor: Actor, node_id: str, cmd: NodeIntegrationIn) -> NodeIntegrationPublic:
    """Replace the node's integration; fulfilment orders it has not yet delivered follow the new one."""
    actor.require(Permission.NETWORK_WRITE)
    _check(cmd)
    values = {k: v if k in _NEEDS[cmd.transport] else None for k, v in cmd.model_dump(exclude={"transport"}).items()}
    with uow:
        before = uow.conn.execute(_READ, {"node": node_id}).first()
        if before is None:
            raise NotFound(f"no node {node_id}")
        uow.conn.execute(_UPSERT, {"node": node_id, "transport": cmd.transport, **values, "actor": actor.name})
        uow.conn.execute(_RESCHEDULE, {"node": node_id, "sends": cmd.transport != "manual"})
        after = NodeIntegrationPublic.model_validate(uow.conn.execute(_READ, {"node": node_id}).one()._mapping)
        uow.record(actor, "node.integration_set", "node", node_id,
                   before=NodeIntegrationPublic.model_validate(before._mapping).model_dump(mode="json"),
                   after=after.model_dump(mode="json"))  # the secret is never in an event  # fmt: skip
        uow.commit()
    return after


def _check(cmd: NodeIntegrationIn) -> None:
    errors = [FieldError((name,), f"{cmd.transport} needs {name}", "missing")
              for name in _NEEDS[cmd.transport] if getattr(cmd, name) is None]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
