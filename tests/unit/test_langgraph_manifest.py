"""langgraph.json names graphs LangGraph Studio and Server can load: each entry imports and is compiled."""

import importlib
import json
from pathlib import Path

from langgraph.graph.state import CompiledStateGraph

ROOT = Path(__file__).resolve().parents[2]


def test_every_graph_of_the_manifest_loads():
    graphs = json.loads((ROOT / "langgraph.json").read_text())["graphs"]
    assert "assistant" in graphs
    for target in graphs.values():
        path, name = target.split(":")
        module = importlib.import_module(path.removeprefix("./").removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, name), CompiledStateGraph)
