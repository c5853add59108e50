"""Where the Lambda handler sources live: inside the wheel when installed, else the repo's lambda/."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def handler_source_dir(name: str) -> Path:
    """The folder holding handler `name` and its requirements.txt."""
    for root in (_PACKAGE_DIR / "_lambda", _PACKAGE_DIR.parents[1] / "lambda"):
        candidate = root / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Lambda handler source {name!r} not found beside genai_blueprints")
