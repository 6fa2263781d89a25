"""Text a chat model writes for people from facts given as JSON (the anomaly digest, the routing advisor's
summary): read, never acted on, and replaced by the caller's template when the model fails."""

import json
import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm import LlmSettingsError, chat_model
from agents.prompts import load_prompt
from oms.settings import Settings

log = logging.getLogger(__name__)


def writer_model(purpose: str) -> BaseChatModel | None:
    """The configured chat model, or None (the template writes the text): settings that are incomplete are
    logged, not fatal, as what the text is about matters more than its prose."""
    try:
        return chat_model(Settings())
    except LlmSettingsError as error:
        log.warning("%s from the template: %s", purpose, error)
        return None


def written_by_model(model: BaseChatModel, prompt: str, facts: dict, max_chars: int) -> str | None:
    """The model's text on `facts` under prompts/`prompt`.md, cut at `max_chars`; None when it fails or says
    nothing (the caller then writes its template)."""
    messages = [SystemMessage(load_prompt(prompt)), HumanMessage(json.dumps(facts, ensure_ascii=False))]
    try:
        text = model.invoke(messages).text.strip()
    except Exception:  # a server down, a timeout: the template still tells the reader
        log.exception("%s: the language model failed", prompt)
        return None
    return text[:max_chars] or None
