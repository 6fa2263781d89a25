"""Which chat model the agents get from the OMS_LLM_* settings, and the message when they are incomplete."""

import pytest

from agents.llm import LlmSettingsError, chat_model, describe
from oms.settings import Settings


def _settings(**values) -> Settings:
    return Settings.model_validate({"OMS_LLM_BASE_URL": None, "OMS_LLM_MODEL": None, "OMS_LLM_API_KEY": None}
                                   | values)  # fmt: skip


def test_no_endpoint_means_no_model_and_command_mode():
    settings = _settings()
    assert chat_model(settings) is None
    assert describe(settings) == "no LLM configured: command mode"


def test_a_local_server_needs_no_key_and_a_hosted_one_no_url():
    local = chat_model(_settings(OMS_LLM_BASE_URL="http://localhost:11434/v1", OMS_LLM_MODEL="qwen2.5:7b"))
    assert local.model_name == "qwen2.5:7b" and local.openai_api_base == "http://localhost:11434/v1"
    assert local.temperature == 0
    hosted = chat_model(_settings(OMS_LLM_MODEL="gpt-4.1-mini", OMS_LLM_API_KEY="sk-test"))
    assert hosted.openai_api_base is None
    assert "sk-test" not in describe(_settings(OMS_LLM_MODEL="gpt-4.1-mini", OMS_LLM_API_KEY="sk-test"))


@pytest.mark.parametrize(("values", "names"), [
    ({"OMS_LLM_BASE_URL": "http://localhost:8000/v1"}, "OMS_LLM_MODEL"),
    ({"OMS_LLM_MODEL": "gpt-4.1-mini"}, "OMS_LLM_API_KEY"),
])  # fmt: skip
def test_incomplete_settings_name_the_variable_to_set(values, names):
    with pytest.raises(LlmSettingsError, match=names):
        chat_model(_settings(**values))
