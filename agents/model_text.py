"""Text a chat model writes for people from facts given as JSON (the anomaly digest, the routing advisor's
summary): read, never acted on, and replaced by the caller's template when the model fails."""

import json
import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agents.prompts import load_prompt

log = logging.getLogger(__name__)


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
