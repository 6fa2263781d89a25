"""The chat model the agents talk to, from settings: OpenAI, any OpenAI-compatible server (vLLM, Ollama,
llama.cpp, a hosted gateway), or none. With none, the agents run what needs no free-form language
(the assistant's command mode) and say that the rest needs an endpoint."""

from typing import TYPE_CHECKING

from oms.settings import Settings

if TYPE_CHECKING:  # a process that never talks to a model never loads LangChain
    from langchain_core.language_models import BaseChatModel

# Local servers accept any key but the client insists on one.
NO_KEY = "EMPTY"
# Agents want the same answer to the same question: tool choice and extraction, not prose.
TEMPERATURE = 0.0
TIMEOUT_SECONDS = 60.0


class LlmSettingsError(ValueError):
    """The LLM settings are incomplete or contradictory: the message says which variable to set."""


def configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url or settings.llm_model or settings.llm_api_key)


def chat_model(settings: Settings) -> "BaseChatModel | None":
    """The configured chat model, or None when no endpoint is configured at all."""
    if not configured(settings):
        return None
    if not settings.llm_model:
        raise LlmSettingsError("OMS_LLM_MODEL is not set: name the model the endpoint serves (e.g. gpt-4.1-mini,"
                               " or qwen2.5:7b-instruct for Ollama)")  # fmt: skip
    if not settings.llm_base_url and not settings.llm_api_key:
        raise LlmSettingsError("OMS_LLM_API_KEY is not set: OpenAI needs a key; for a local server set"
                               " OMS_LLM_BASE_URL (e.g. http://localhost:11434/v1) instead")  # fmt: skip
    from langchain_openai import ChatOpenAI  # imported here: a process without an LLM never loads it

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or NO_KEY,
        temperature=TEMPERATURE,
        timeout=TIMEOUT_SECONDS,
        max_retries=2,
    )


def describe(settings: Settings) -> str:
    """Which model answers, for logs and the chat page (never the key)."""
    if not configured(settings):
        return "no LLM configured: command mode"
    return f"{settings.llm_model} at {settings.llm_base_url or 'OpenAI'}"
