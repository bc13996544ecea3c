"""A chart as data (`ChartSpec`): what the dashboards draw with ECharts, the monthly pack renders to an image, and
the table beside every chart lists. One computation feeds all three (the figures of matters.figures and the lines'
selectors), so a figure on a dashboard equals the same figure in the pack and on the figures page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]


@dataclass(frozen=True)
class ChartSpec:
    key: str  # stable: the chart's id on the page, in downloads and in tests
    title: str
    kind: Literal["bar", "line", "stacked", "pie"]
    labels: list[str]  # the x axis (weeks, months, units, categories)
    series: list[Series] = field(default_factory=list)
    unit: str = ""  # what the values count ("件", "%")

    def table(self) -> tuple[list[str], list[list[object]]]:
        """The chart as a table: a row per label, a column per series."""
        columns = ["", *(s.name for s in self.series)]
        rows: list[list[object]] = [[label, *(s.values[i] for s in self.series)] for i, label in enumerate(self.labels)]
        return columns, rows
