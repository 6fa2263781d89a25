"""Prompts are Markdown files in prompts/ at the project's root, one per prompt, versioned in git and
loaded by name."""

from functools import cache
from pathlib import Path

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


@cache
def load_prompt(name: str) -> str:
    return (PROMPTS / f"{name}.md").read_text(encoding="utf-8")
