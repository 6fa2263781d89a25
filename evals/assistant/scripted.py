"""The scripted fake chat model CI runs the scenarios on: it answers with the scenario's script, one
message per call, whatever it is asked. When the conversation asks for more than the script holds, it
says so in its answer and `exhausted` tells the runner."""

import itertools

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from evals.assistant.scenarios import Step

EXHAUSTED = "(the script has no more messages)"
_IDS = itertools.count(1)


class ScriptedChatModel(BaseChatModel):
    steps: list[Step]
    answered: int = 0
    exhausted: bool = False
    offered: list[list[str]] = Field(default_factory=list)  # the tools offered at each call

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs) -> "ScriptedChatModel":
        self.offered.append([tool["function"]["name"] for tool in tools])
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next())])

    def _next(self) -> AIMessage:
        if self.answered >= len(self.steps):
            self.exhausted = True
            return AIMessage(EXHAUSTED)
        step = self.steps[self.answered]
        self.answered += 1
        calls = [{"name": c.name, "args": c.args, "id": f"call_{next(_IDS)}"} for c in step.calls]
        return AIMessage(step.say, tool_calls=calls)
