"""The routing advisor's summary of its proposal, for the person who approves or rejects it: written by
the chat model when one is configured (prompts/routing_advisor.md, given the evidence as JSON), from a
template otherwise or when the model fails. It is text to read; nothing in it is ever applied."""

from langchain_core.language_models import BaseChatModel

from agents.model_text import written_by_model

MAX_SUMMARY_CHARS = 3000


def template_summary(evidence: dict) -> str:
    replay, chosen, table = evidence["replay"], evidence["chosen"], evidence["reliability"]
    now, new = replay["figures"]["current"], replay["figures"][chosen]
    shipments = table["metrics"].get("shipments", table["rows"])
    proposed = f"Proposed: {chosen}, routing with reliability table version {table['version']} ({shipments} shipments)."
    window = f"Replayed {replay['orders']} ship orders from {replay['since'][:10]} to {replay['until'][:10]}"
    figures = (f"Predicted on time {now['on_time_rate']:.1%} -> {new['on_time_rate']:.1%}; shipping cost billed"
               f" {now['billed_cost']:,.2f} -> {new['billed_cost']:,.2f} (quoted {now['total_cost']:,.2f} ->"
               f" {new['total_cost']:,.2f}); shipments per order"
               f" {now['shipments_per_order']:.2f} -> {new['shipments_per_order']:.2f};"
               f" {new['changed_orders']} order(s) would route differently.")  # fmt: skip
    why = f"Why: {evidence['reason']}. Nothing changes until a person approves it."
    return "\n".join([proposed, f"{window} ({replay['note']}).", figures, why])


def llm_summary(model: BaseChatModel, evidence: dict) -> str | None:
    """The model's summary, or None when it fails or says nothing (the caller then uses the template)."""
    return written_by_model(model, "routing_advisor", evidence, MAX_SUMMARY_CHARS)
