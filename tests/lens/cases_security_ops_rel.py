"""Fixtures of the rules added for issue 16, merged into lens_cases.CASES and DETAILS."""

from __future__ import annotations

from lens_cases import C, N, NA, Case, get_att, imported, policy, res  # noqa: F401

CASES: dict[str, dict[str, Case]] = {}
DETAILS: dict[str, dict[str, str]] = {}
