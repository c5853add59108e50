"""Figures, budgets and their rendering: a plain-text table and docs/benchmarks.md. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """A limit a figure must not exceed, e.g. Budget("floor + 3 s", 7.4)."""

    description: str
    limit: float

    def passes(self, value: float) -> bool:
        return value <= self.limit


@dataclass(frozen=True)
class Figure:
    """One measured figure: a median, its floor (when it has one) and its budget (when it has one)."""

    section: str
    name: str
    value: float
    unit: str  # "s", "MB", "msg/s", "%", "s/instance"
    load1: float  # the highest 1-minute load average seen when its runs started
    floor: float | None = None
    budget: Budget | None = None
    note: str = ""
    cpu: float | None = None  # CPU seconds (median), which load inflates far less than wall time
    other_cpu: float | None = None  # the most other processes took of the machine during its runs (0-1)

    @property
    def ratio(self) -> float | None:
        """value / floor, when there is a positive floor."""
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return ""
        return "pass" if self.budget.passes(self.value) else "FAIL"


def format_value(value: float | None, unit: str) -> str:
    """Human figures: 3 significant digits for seconds, whole numbers for big rates and memory."""
    if value is None:
        return "-"
    if unit == "%":
        return f"{value:.0f} %"
    if unit in ("MB", "msg/s") or abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    if abs(value) >= 0.1:
        return f"{value:.2f} {unit}"
    return f"{value * 1000:.1f} ms" if unit == "s" else f"{value:.3g} {unit}"


def format_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least-squares line through the points: (slope, intercept, r squared)."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("fit_line needs at least two (x, y) points")
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("fit_line needs at least two different x values")
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    ss_total = sum((y - mean_y) ** 2 for y in ys)
    ss_residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    r_squared = 1.0 if ss_total == 0 else 1 - ss_residual / ss_total
    return slope, intercept, r_squared


_HEADERS = ("Section", "Measurement", "Median", "Floor", "Ratio", "CPU", "Budget", "Result", "Load", "Other CPU")


def table_rows(figures: Iterable[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            figure.section,
            figure.name,
            format_value(figure.value, figure.unit),
            format_value(figure.floor, figure.unit),
            format_ratio(figure.ratio),
            format_value(figure.cpu, "s"),
            figure.budget.description if figure.budget else "-",
            figure.verdict or "-",
            f"{figure.load1:.2f}",
            "-" if figure.other_cpu is None else f"{figure.other_cpu:.0%}",
        )
        for figure in figures
    ]


def render_table(figures: Sequence[Figure]) -> str:
    """A fixed-width text table for the terminal."""
    rows = [_HEADERS, *table_rows(figures)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *(line(row) for row in rows)])


def budget_summary(figures: Iterable[Figure]) -> tuple[int, int]:
    """(passed, failed) over the figures that have a budget."""
    judged = [figure for figure in figures if figure.budget is not None]
    failed = sum(1 for figure in judged if figure.verdict == "FAIL")
    return len(judged) - failed, failed


def render_markdown(
    *,
    title: str,
    intro: str,
    machine: dict[str, str],
    versions: dict[str, str],
    figures: Sequence[Figure],
    notes: Sequence[str],
    sections: dict[str, str],
    findings: str = "",
) -> str:
    """docs/benchmarks.md: machine, versions, one table per section (with its explanation), notes."""
    passed, failed = budget_summary(figures)
    parts = [
        f"# {title}",
        "",
        intro,
        "",
        f"Budgets: {passed} passed, {failed} failed.",
        "",
        "## Machine",
        "",
        markdown_table(("", ""), machine.items()),
        "",
        "## Versions",
        "",
        markdown_table(("", ""), versions.items()),
    ]
    for section in dict.fromkeys(figure.section for figure in figures):
        in_section = [figure for figure in figures if figure.section == section]
        parts += ["", f"## {section}", ""]
        if sections.get(section):
            parts += [sections[section], ""]
        rows = [
            (*row[1:], figure.note)
            for row, figure in zip(table_rows(in_section), in_section, strict=True)
        ]
        parts.append(markdown_table((*_HEADERS[1:], "Notes"), rows))
    if notes:
        parts += ["", "## Notes", ""]
        parts += [f"- {note}" for note in notes]
    if findings:
        parts += ["", "## What the profiles show", "", findings.strip()]
    return "\n".join(parts) + "\n"
