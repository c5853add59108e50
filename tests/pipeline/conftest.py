"""Fixtures for the delivery pipeline tests: one synthesis of the pipeline per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def pipeline_synth():
    """The example-config pipeline, its stages and the packs, synthesized once (see pipeline_fixtures)."""
    from pipeline_fixtures import synthesize_pipeline

    return synthesize_pipeline()
