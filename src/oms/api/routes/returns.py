from typing import Annotated

from fastapi import APIRouter, Query, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.domain.returns import ReturnPolicy
from oms.services import quarantine, return_policies, returns, store_credit
from oms.services.order_models import ReasonCommand
from oms.services.return_inspections import inspect
from oms.services.return_models import (
    InspectionCreate,
    ReceiptCreate,
    RefundsPage,
    ReturnCreate,
    ReturnListQuery,
    ReturnPublic,
    ReturnsPage,
    ReturnSummary,
    ReturnTransit,
)
from oms.services.return_policies import ReturnPolicyPublic
from oms.services.return_queries import get_return, list_refunds, list_returns
from oms.services.return_receipts import receive

router = APIRouter(tags=["returns"])
ERRORS = problem_responses(404, 409, 422)


@router.post(
    "/returns",
    status_code=201,
    response_model=ReturnPublic,
    responses={200: {"model": ReturnPublic, "description": "Already authorised (idempotent retry)"}, **ERRORS},
)
def create_return(cmd: ReturnCreate, actor: ActorDep, uow: UowDep) -> Response:
    """Authorise a return (RMA) of shipped units against the channel's return policy: within the window
    (from delivery, or shipment while delivery is unknown), not final sale or non-returnable unless the
    item is at fault, no more than shipped less what other returns hold. Refused with 422 and a pointer
    per line at fault, storing nothing. An exchange captures its replacement order at once. Idempotent on
    (channel, external_id) when the request has one: a retry answers 200 with the RMA already authorised;
    the same reference with different content answers 409."""
    view, created = returns.authorise_return(uow, actor, cmd)
    return view_response(view, 201 if created else 200)


@router.get("/returns", responses=ERRORS)
def search_returns(query: Annotated[ReturnListQuery, Query()], actor: ActorDep, uow: UowDep) -> ReturnsPage:
    """Returns, newest first; pass `next_cursor` back as `cursor` for the next page."""
    return list_returns(uow, actor, query)


@router.get("/returns/{return_id}", response_model=ReturnPublic, responses=ERRORS)
def read_return(return_id: int, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(get_return(uow, actor, return_id))


@router.post("/returns/{return_id}/in-transit", responses=ERRORS)
def return_in_transit(return_id: int, cmd: ReturnTransit, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    """The customer sent the units back: the return's carrier and tracking number."""
    return returns.mark_in_transit(uow, actor, return_id, cmd)


@router.post("/returns/{return_id}/receipts", responses=ERRORS)
def receive_return(return_id: int, cmd: ReceiptCreate, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    """Units arrived at a node, any node (a store takes back web orders); partial receipts add up, more
    than authorised is refused."""
    return receive(uow, actor, return_id, cmd)


@router.post("/returns/{return_id}/inspections", responses=ERRORS)
def inspect_return(return_id: int, cmd: InspectionCreate, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    """Condition and disposition of units received at the node: restock (sellable stock there), quarantine
    (counted, out of ATP) or write-off (valued at the price paid). Refundable units are refunded or credited."""
    return inspect(uow, actor, return_id, cmd)


@router.post("/returns/{return_id}/cancel", responses=ERRORS)
def cancel_return(return_id: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    """The customer withdrew before sending anything; an exchange order not yet released is cancelled."""
    return returns.cancel(uow, actor, return_id, cmd)


@router.post("/returns/{return_id}/reject", responses=ERRORS)
def reject_return(return_id: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    return returns.reject(uow, actor, return_id, cmd)


@router.post("/returns/{return_id}/close", responses=ERRORS)
def close_return(return_id: int, cmd: ReasonCommand, actor: ActorDep, uow: UowDep) -> ReturnPublic:
    """Close once every unit that arrived is inspected; units never sent back lapse."""
    return returns.close(uow, actor, return_id, cmd)


@router.get("/orders/{order_id}/returns", responses=ERRORS)
def read_order_returns(order_id: int, actor: ActorDep, uow: UowDep) -> list[ReturnSummary]:
    """The order's returns, and the return it is the exchange order of."""
    return list_returns(uow, actor, ReturnListQuery(order_id=order_id, limit=500)).items


@router.get("/refunds", responses=ERRORS)
def search_refunds(
    actor: ActorDep, uow: UowDep, order_id: int | None = None, customer_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50, cursor: int | None = None,
) -> RefundsPage:
    """Refunds and store credit issued, newest first."""
    return list_refunds(uow, actor, order_id, customer_id, limit, cursor)


@router.get("/return-policies", responses=ERRORS)
def read_return_policies(actor: ActorDep, uow: UowDep) -> list[ReturnPolicyPublic]:
    """Every channel's return policy: its own, or the default."""
    return return_policies.list_policies(uow, actor)


@router.get("/return-policies/{channel}", responses=ERRORS)
def read_return_policy(channel: str, actor: ActorDep, uow: UowDep) -> ReturnPolicyPublic:
    return return_policies.get_policy(uow, actor, channel)


@router.put("/return-policies/{channel}", responses=ERRORS)
def write_return_policy(channel: str, policy: ReturnPolicy, actor: ActorDep, uow: UowDep) -> ReturnPolicyPublic:
    """Set the channel's return policy (returns already authorised keep theirs)."""
    return return_policies.set_policy(uow, actor, channel, policy)


@router.delete("/return-policies/{channel}", responses=ERRORS)
def delete_return_policy(channel: str, actor: ActorDep, uow: UowDep) -> ReturnPolicyPublic:
    """The channel returns under the default policy again."""
    return return_policies.delete_policy(uow, actor, channel)


@router.get("/quarantine", responses=ERRORS)
def read_quarantine(actor: ActorDep, uow: UowDep, node: str | None = None,
                    sku: str | None = None) -> list[quarantine.QuarantinePublic]:
    """Returned units held out of ATP, per node and SKU."""
    return quarantine.list_quarantine(uow, actor, node, sku)


@router.post("/quarantine/{node_id}/{sku}/release", responses=ERRORS)
def release_quarantine(node_id: str, sku: str, cmd: quarantine.QuarantineMove, actor: ActorDep,
                       uow: UowDep) -> quarantine.QuarantinePublic:
    """Release units to sellable stock at the node."""
    return quarantine.release(uow, actor, node_id, sku, cmd)


@router.post("/quarantine/{node_id}/{sku}/write-off", responses=ERRORS)
def write_off_quarantine(node_id: str, sku: str, cmd: quarantine.QuarantineMove, actor: ActorDep,
                         uow: UowDep) -> quarantine.QuarantinePublic:
    """Write units off, valued at the catalogue price."""
    return quarantine.write_off(uow, actor, node_id, sku, cmd)


@router.get("/write-offs", responses=ERRORS)
def read_write_offs(actor: ActorDep, uow: UowDep, node: str | None = None, sku: str | None = None,
                    return_id: int | None = None) -> list[quarantine.WriteOffPublic]:
    return quarantine.list_write_offs(uow, actor, node, sku, return_id)


@router.get("/customers/{customer_id}/store-credit", responses=ERRORS)
def read_store_credit(customer_id: int, actor: ActorDep, uow: UowDep) -> store_credit.StoreCreditPublic:
    """Balances per currency and the ledger, newest first."""
    return store_credit.balance(uow, actor, customer_id)


@router.post("/customers/{customer_id}/store-credit/adjustments", responses=ERRORS)
def adjust_store_credit(customer_id: int, cmd: store_credit.StoreCreditAdjust, actor: ActorDep,
                        uow: UowDep) -> store_credit.StoreCreditPublic:
    """Redeem (negative amount) or credit (positive) store credit; never below zero."""
    return store_credit.adjust(uow, actor, customer_id, cmd)
