"""Behaviour the mutation run (bench/mutation.py, docs/mutation.md) found untested in the feedback handler."""

from __future__ import annotations

import feedback
import pytest


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("FEEDBACK_TABLE_NAME", "feedback")
    monkeypatch.delenv("FEEDBACK_TTL_DAYS", raising=False)
    return monkeypatch


def test_default_retention(env):
    assert feedback.settings_from_env() == feedback.Settings("feedback", feedback.DEFAULT_TTL_DAYS)


def test_one_day_is_the_shortest_retention(env):
    env.setenv("FEEDBACK_TTL_DAYS", "1")
    assert feedback.settings_from_env().ttl_days == 1
    env.setenv("FEEDBACK_TTL_DAYS", "0")
    with pytest.raises(ValueError) as raised:
        feedback.settings_from_env()
    assert str(raised.value) == "FEEDBACK_TTL_DAYS must be a whole number of days >= 1, got '0'"


def test_the_table_is_required(env):
    env.delenv("FEEDBACK_TABLE_NAME")
    with pytest.raises(ValueError) as raised:
        feedback.settings_from_env()
    assert str(raised.value) == "FEEDBACK_TABLE_NAME is not set"
