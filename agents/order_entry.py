"""Order entry's second reader: a LangGraph graph that asks the chat model to read a document the layout
reader found hard (a letter, no lines, unsure key fields, sums that do not add up) and reconciles the two
readings. `assess` decides whether the model is needed at all; `read_with_model` asks it for a structured
reading; `reconcile` merges field by field and checks the arithmetic again.

The graph has no tools: whatever the document says, its only output is an ExtractedDocument, which becomes
a draft that staff check. A model that fails or answers nonsense leaves the layout reader's result, with a
warning. Its state is JSON (documents as dicts) so a checkpoint never holds a domain object."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypedDict

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.llm import chat_model, configured
from agents.order_entry_merge import reconcile
from agents.order_entry_reading import DocumentReading, ReadingFailed, read_document, summary
from oms.channels.documents.model import ExtractedDocument
from oms.channels.documents.reconcile import arithmetic_warnings
from oms.settings import Settings

KEY_FIELDS = ("document_number", "document_date", "currency", "total")
UNSURE = 0.7  # a key field or a line read with less confidence than this (a guess) sends it to the model
# What the model reads of a document: a small local model's context (a few thousand tokens) must hold the
# instructions, the text and the answer, and a server that overflows it drops the instructions first.
MODEL_TEXT_CHARS = 16_000
log = logging.getLogger(__name__)
Refiner = Callable[[str, ExtractedDocument], ExtractedDocument]


class OrderEntryState(TypedDict, total=False):
    text: str  # the document's words, line by line, page by page: data, never instructions
    extracted: dict  # the layout reader's ExtractedDocument, as JSON
    reasons: list[str]  # why the model is asked
    reading: dict | None  # the model's DocumentReading, as JSON
    failure: str | None  # why the model gave no reading
    cut: bool  # the model read the text's first MODEL_TEXT_CHARS only
    result: dict  # the ExtractedDocument returned


@dataclass(frozen=True)
class OrderEntryContext:
    model: BaseChatModel


def assess(state: OrderEntryState) -> dict:
    doc = ExtractedDocument.model_validate(state["extracted"])
    reasons = _reasons_to_ask(doc)
    return {"reasons": reasons} if reasons else {"reasons": [], "result": state["extracted"]}


def route_after_assess(state: OrderEntryState) -> Literal["read_with_model", "__end__"]:
    return "read_with_model" if state["reasons"] else END


def read_with_model(state: OrderEntryState, runtime: Runtime[OrderEntryContext]) -> dict:
    cut = len(state["text"]) > MODEL_TEXT_CHARS
    try:
        reading = read_document(runtime.context.model, _first_lines(state["text"], MODEL_TEXT_CHARS))
    except ReadingFailed as failed:
        return {"reading": None, "failure": f"the language model's reading was not valid ({failed})"}
    except Exception as error:  # a server down, a timeout, a refusal: the layout's reading still stands
        log.exception("order entry: the language model failed")
        return {"reading": None, "failure": f"the language model could not read it ({type(error).__name__}:"
                                            f" {summary(error)})"}  # fmt: skip
    return {"reading": reading.model_dump(mode="json"), "failure": None, "cut": cut}


def _first_lines(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars].rsplit("\n", 1)[0]


def reconcile_readings(state: OrderEntryState) -> dict:
    extracted = ExtractedDocument.model_validate(state["extracted"])
    if state["reading"] is None:
        kept = extracted.model_copy(update={"warnings": [*extracted.warnings,
                                                         f"{state['failure']}: kept the layout's reading"]})
        return {"result": kept.model_dump(mode="json")}
    merged = reconcile(extracted, DocumentReading.model_validate(state["reading"]))
    if state["cut"]:
        merged.warnings.append(f"the language model read the document's first {MODEL_TEXT_CHARS:,} characters"
                               " only")  # fmt: skip
    return {"result": merged.model_dump(mode="json")}


def _reasons_to_ask(doc: ExtractedDocument) -> list[str]:
    reasons = [f"{name} unsure" for name in KEY_FIELDS if doc.field_confidence.get(name, 0.0) < UNSURE]
    if doc.document_type == "other":
        reasons.append("not recognised as an order or an invoice")
    if not doc.lines:
        reasons.append("no lines found")
    elif any(line.confidence < UNSURE for line in doc.lines):
        reasons.append("lines unsure")
    return reasons + arithmetic_warnings(doc)


def build_graph():
    builder = StateGraph(OrderEntryState, context_schema=OrderEntryContext)
    builder.add_node("assess", assess)
    builder.add_node("read_with_model", read_with_model)
    builder.add_node("reconcile", reconcile_readings)
    builder.add_edge(START, "assess")
    builder.add_conditional_edges("assess", route_after_assess)
    builder.add_edge("read_with_model", "reconcile")
    builder.add_edge("reconcile", END)
    return builder.compile(name="order_entry")


graph = build_graph()  # for LangGraph Studio and Server (langgraph.json)


def refine_with_llm(model: BaseChatModel, text: str, extracted: ExtractedDocument) -> ExtractedDocument:
    """The extraction, read again by the model where the layout reader found it hard; never raises for
    anything the model does."""
    state = graph.invoke({"text": text, "extracted": extracted.model_dump(mode="json")},
                         context=OrderEntryContext(model))  # fmt: skip
    return ExtractedDocument.model_validate(state["result"])


def configured_refiner(settings: Settings | None = None) -> Refiner | None:
    """The refiner order entry uses, or None when no LLM is configured (incomplete settings raise
    agents.llm.LlmSettingsError, which says what to set)."""
    settings = settings or Settings()
    if not configured(settings):
        return None
    return partial(refine_with_llm, chat_model(settings))
