"""Stock tools: what can still be sold where (ATP), and the delivery dates the OMS would promise."""

from agents.tool_base import OmsTool
from oms.services.actor import Permission
from oms.services.atp import AtpQuery, get_atp
from oms.services.promise import promise
from oms.services.promise_views import PromiseRequest

STOCK_TOOLS = (
    OmsTool("check_atp", "Available-to-promise of one SKU per node and in total: on hand less reserved and"
            " safety stock; for a channel (net of stock held back from it), in one country's nodes, or by a"
            " date counting inbound supply.", AtpQuery, Permission.INVENTORY_READ,
            lambda ctx, a: get_atp(ctx.uow, ctx.actor, a)),
    OmsTool("promise_delivery", "The delivery dates the OMS would promise for these lines to a postal code,"
            " per service level (standard, express, pickup), and from which nodes.", PromiseRequest,
            Permission.PROMISE, lambda ctx, a: promise(ctx.uow, ctx.actor, a)),
)  # fmt: skip
