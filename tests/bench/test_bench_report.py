"""bench/report.py: the figures, budgets and tables `make bench` prints and writes (no timing here)."""

from __future__ import annotations

import pytest

from bench.report import (
    Budget,
    Figure,
    budget_summary,
    fit_line,
    format_value,
    render_markdown,
    render_table,
)


def figure(name: str, value: float, **kwargs) -> Figure:
    return Figure(section=kwargs.pop("section", "Synth"), name=name, value=value, unit=kwargs.pop("unit", "s"),
                  load1=kwargs.pop("load1", 0.5), **kwargs)


def test_fit_line_recovers_slope_intercept_and_a_perfect_fit():
    slope, intercept, r_squared = fit_line([1, 5, 20, 50], [3.0, 7.0, 22.0, 52.0])
    assert slope == pytest.approx(1.0)
    assert intercept == pytest.approx(2.0)
    assert r_squared == pytest.approx(1.0)


def test_fit_line_reports_a_poor_fit_for_curved_growth():
    _, _, r_squared = fit_line([1, 5, 20, 50], [1.0, 25.0, 400.0, 2500.0])
    assert r_squared < 0.95


@pytest.mark.parametrize(("xs", "ys"), [([1], [1.0]), ([2, 2], [1.0, 3.0]), ([1, 2], [1.0])])
def test_fit_line_rejects_what_has_no_line(xs, ys):
    with pytest.raises(ValueError, match="fit_line needs"):
        fit_line(xs, ys)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.0123, "s", "12.3 ms"),
        (0.25, "s", "0.25 s"),
        (12.34, "s", "12.3 s"),
        (179.4, "MB", "179 MB"),
        (1234.5, "msg/s", "1,234 msg/s"),
        (21.6, "%", "22 %"),
        (None, "s", "-"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_ratio_and_verdict_follow_floor_and_budget():
    within = figure("cdk synth A", 7.0, floor=5.0, budget=Budget("floor + 3 s", 8.0))
    over = figure("cdk synth B", 8.5, floor=5.0, budget=Budget("floor + 3 s", 8.0))
    assert within.ratio == pytest.approx(1.4)
    assert (within.verdict, over.verdict) == ("pass", "FAIL")
    assert figure("floor", 5.0).ratio is None and figure("floor", 5.0).verdict == ""
    assert figure("zero floor", 1.0, floor=0.0).ratio is None
    assert Budget("<= 0.3 s", 0.3).passes(0.3)  # the limit itself is within budget
    assert budget_summary([within, over, figure("no budget", 1.0)]) == (1, 1)


def test_render_table_has_a_header_rule_and_one_line_per_figure():
    table = render_table([figure("cdk synth A", 8.5, floor=5.0, cpu=6.0, other_cpu=0.12,
                                 budget=Budget("floor + 3 s", 8.0))])
    lines = table.splitlines()
    assert lines[0].split() == ["Section", "Measurement", "Median", "Floor", "Ratio", "CPU", "Budget", "Result",
                                "Load", "Other", "CPU"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["Synth", "cdk", "synth", "A", "8.50", "s", "5.00", "s", "1.70x", "6.00", "s",
                                "floor", "+", "3", "s", "FAIL", "0.50", "12%"]


def test_render_markdown_lists_machine_versions_sections_and_escapes_pipes():
    figures = [
        figure("cdk synth A", 7.0, floor=5.0, budget=Budget("floor + 3 s", 8.0), note="a | b"),
        figure("import x", 0.7, section="Handler cold start", budget=Budget("< 0.5 s", 0.5)),
    ]
    text = render_markdown(
        title="Benchmarks",
        intro="Generated.",
        machine={"cores (nproc)": "2"},
        versions={"aws-cdk-lib": "2.275.0"},
        figures=figures,
        notes=["Taken under load."],
        sections={"Synth": "Whole processes."},
    )
    assert text.startswith("# Benchmarks\n")
    assert "Budgets: 1 passed, 1 failed." in text
    assert "| cores (nproc) | 2 |" in text and "| aws-cdk-lib | 2.275.0 |" in text
    assert text.index("## Synth") < text.index("Whole processes.") < text.index("## Handler cold start")
    assert "a \\| b" in text  # a pipe in a note cannot break the table
    assert "- Taken under load." in text
