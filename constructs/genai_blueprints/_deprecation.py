"""Deprecation warnings that point at the caller's line, not at the library's."""

from __future__ import annotations

import sys
import warnings

# Frames of these packages are skipped: the warning names the first line outside them (the user's call).
_LIBRARY_MODULES = ("genai_blueprints", "jsii", "aws_cdk", "constructs", "importlib", "typing")


def warn_deprecated(message: str) -> None:
    """A DeprecationWarning attributed to the first frame outside genai_blueprints (and jsii, which
    runs a construct's __init__), so Python's default filters show it where the user wrote the call."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and _is_library(frame.f_globals.get("__name__", "")):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, DeprecationWarning, stacklevel=level + 1)


def _is_library(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in _LIBRARY_MODULES)
