"""A ChartSpec drawn as a PNG with Pillow, for the monthly pack: the same charts the dashboards draw with ECharts.

`png(spec)` draws a bar, line, stacked-bar or pie chart on a canvas made for 160 mm of an A4 page (10 pixels a
millimetre): the title, the legend, the value axis with its unit and grid, the labels (wrapped, or turned when
they are too long for their slot), and each value. Colours are ECharts' own, so the pack looks like the screen.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from oversight.series import ChartSpec

WIDTH, HEIGHT = 1600, 900  # pixels: 160 mm × 90 mm at 10 px a millimetre
PALETTE = [
    (84, 112, 198),
    (145, 204, 117),
    (250, 200, 88),
    (238, 102, 102),
    (115, 192, 222),
    (59, 162, 114),
    (252, 132, 82),
    (154, 96, 180),
    (234, 124, 204),
]
INK = (51, 51, 51)
MUTED = (110, 112, 121)
GRID = (224, 230, 241)
AXIS = (110, 112, 121)
TITLE_PX, TEXT_PX, SMALL_PX = 40, 28, 24
MARGIN = 40
VALUES_SHOWN_UP_TO = 48
ANGLE = 40  # degrees: labels too long for their slot are drawn at this angle
TURNED_PX = 340  # a turned label longer than this is cut with "…"  # more bars or points than this: the values are left to the table under the chart


def png(spec: ChartSpec, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart as PNG bytes (RGB, white background)."""
    from PIL import Image

    canvas = Image.new("RGB", (width, height), "white")
    chart = _Chart(canvas, spec)
    top = chart.title()
    if not spec.labels or all(v is None for s in spec.series for v in s.values):
        chart.nothing(top)
    elif spec.kind == "pie":
        chart.pie(top)
    else:
        top = chart.legend(top)
        chart.axes(top)
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


def number(value: float | int) -> str:
    """12 → "12", 87.5 → "87.5", 1234567 → "1234567" (no grouping: a Chinese reader's figures)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round steps from 0 to at least `top`: 0, 20, 40 … (a 1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


class _Chart:
    def __init__(self, canvas: Any, spec: ChartSpec) -> None:
        from PIL import ImageDraw

        from core.documents.fonts import pillow_font

        self.canvas = canvas
        self.draw = ImageDraw.Draw(canvas)
        self.spec = spec
        self.width, self.height = canvas.size
        self.title_font = pillow_font(TITLE_PX, bold=True)
        self.font = pillow_font(TEXT_PX)
        self.small = pillow_font(SMALL_PX)

    # --- text ------------------------------------------------------------------------------------------

    def text_width(self, text: str, font: Any) -> float:
        return float(self.draw.textlength(text, font=font))

    def wrap(self, text: str, width: float, font: Any, lines: int) -> list[str] | None:
        """The text broken into at most `lines` lines of `width` pixels, by character; None when it will not go."""
        found: list[str] = []
        current = ""
        for char in text:
            if self.text_width(current + char, font) > width and current:
                found.append(current)
                current = char
                if len(found) == lines:
                    return None
            else:
                current += char
        if current:
            found.append(current)
        return found if len(found) <= lines else None

    def fitted(self, text: str, width: float, font: Any) -> str:
        """The text cut with "…" to fit `width` pixels."""
        if self.text_width(text, font) <= width:
            return text
        while text and self.text_width(text + "…", font) > width:
            text = text[:-1]
        return text + "…"

    def title(self) -> int:
        text = self.fitted(self.spec.title, self.width - 2 * MARGIN, self.title_font)
        self.draw.text((self.width / 2, MARGIN / 2), text, font=self.title_font, fill=INK, anchor="ma")
        return MARGIN // 2 + TITLE_PX + 16

    def legend(self, top: int) -> int:
        """One entry per series (a colour box and the name), centred, on as many rows as it takes."""
        names = [s.name for s in self.spec.series]
        if len(names) < 2 and self.spec.kind != "stacked":
            return top
        return self._legend_rows(names, top, self.width)

    def _legend_rows(self, names: Sequence[str], top: int, width: int, left: int = 0) -> int:
        box, gap = 24, 28
        entries = [(i, self.fitted(n, width / 2, self.small)) for i, n in enumerate(names)]
        rows: list[list[tuple[int, str, float]]] = [[]]
        used = 0.0
        for index, name in entries:
            size = box + 8 + self.text_width(name, self.small)
            if rows[-1] and used + gap + size > width - 2 * MARGIN:
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + size
            rows[-1].append((index, name, size))
        for row in rows:
            total = sum(size for _i, _n, size in row) + gap * (len(row) - 1)
            x = left + (width - total) / 2
            for index, name, size in row:
                colour = PALETTE[index % len(PALETTE)]
                self.draw.rectangle((x, top + 3, x + box, top + 3 + box * 0.75), fill=colour)
                self.draw.text((x + box + 8, top), name, font=self.small, fill=INK)
                x += size + gap
            top += SMALL_PX + 12
        return top + 8

    def nothing(self, top: int) -> None:
        """A chart without labels or values says so, instead of drawing an empty frame."""
        from django.utils.translation import gettext as _

        middle = (self.width / 2, (top + self.height) / 2)
        self.draw.text(middle, _("No data in this period"), font=self.font, fill=MUTED, anchor="mm")

    # --- bar, stacked, line -------------------------------------------------------------------------------

    def axes(self, top: int) -> None:
        spec = self.spec
        labels = spec.labels
        count = max(len(labels), 1)
        stacked = spec.kind == "stacked"
        if stacked:
            highest = max((sum(s.values[i] or 0 for s in spec.series) for i in range(len(labels))), default=0)
        else:
            highest = max((v for s in spec.series for v in s.values if v is not None), default=0)
        ticks = nice_ticks(float(highest))
        tick_texts = [number(t) for t in ticks]
        left = MARGIN + max(self.text_width(t, self.small) for t in tick_texts) + 14
        right = self.width - MARGIN
        slot = (right - left) / count
        label_lines, turned = self._label_layout(labels, slot)
        if turned:
            longest = max(
                (self.text_width(self.fitted(lbl, TURNED_PX, self.small), self.small) for lbl in labels), default=0
            )
            label_room = int(longest * math.sin(math.radians(ANGLE)) + SMALL_PX + 16)
            # The first label runs down to the left of its bar: leave it room on the canvas.
            first = self.text_width(self.fitted(labels[0], TURNED_PX, self.small), self.small) * math.cos(
                math.radians(ANGLE)
            )
            left = max(left, MARGIN / 2 + first - slot / 2)
            slot = (right - left) / count
        else:
            label_room = (SMALL_PX + 6) * max((len(lines) for lines in label_lines), default=1) + 14
        if spec.unit:
            self.draw.text((MARGIN, top), spec.unit, font=self.small, fill=MUTED)
            top += SMALL_PX + 14
        plot_top, plot_bottom = top + 10, self.height - MARGIN // 2 - label_room
        span = ticks[-1] or 1

        def y_of(value: float) -> float:
            return plot_bottom - (plot_bottom - plot_top) * value / span

        for tick, text in zip(ticks, tick_texts, strict=True):
            y = y_of(tick)
            self.draw.line((left, y, right, y), fill=GRID, width=2)
            self.draw.text((left - 10, y), text, font=self.small, fill=MUTED, anchor="rm")
        self.draw.line((left, plot_bottom, right, plot_bottom), fill=AXIS, width=2)
        for index, label in enumerate(labels):
            centre = left + slot * (index + 0.5)
            if turned:
                self._turned_label(self.fitted(label, TURNED_PX, self.small), centre, plot_bottom + 8)
            else:
                for line_no, line in enumerate(label_lines[index]):
                    y = plot_bottom + 10 + line_no * (SMALL_PX + 6)
                    self.draw.text((centre, y), line, font=self.small, fill=INK, anchor="ma")
        points = len(labels) * (1 if stacked or spec.kind == "line" else max(len(spec.series), 1))
        show_values = points * (len(spec.series) if spec.kind == "line" else 1) <= VALUES_SHOWN_UP_TO
        if spec.kind == "line":
            self._lines(left, slot, y_of, show_values)
        else:
            self._bars(left, slot, y_of, stacked, show_values)

    def _label_layout(self, labels: Sequence[str], slot: float) -> tuple[list[list[str]], bool]:
        """Each label on one or two lines within its slot; else (turned) the labels are drawn at an angle."""
        room = slot - 8
        laid = []
        for label in labels:
            lines = self.wrap(label, room, self.small, 2)
            if lines is None:
                return [], True
            laid.append(lines)
        return laid, False

    def _turned_label(self, text: str, centre: float, top: float) -> None:
        from PIL import Image, ImageDraw

        width = int(self.text_width(text, self.small)) + 4
        patch = Image.new("RGBA", (width, SMALL_PX + 8), (255, 255, 255, 0))
        ImageDraw.Draw(patch).text((0, 0), text, font=self.small, fill=INK)
        turned = patch.rotate(ANGLE, expand=True, resample=Image.Resampling.BICUBIC)
        # The label's end sits under its slot's centre, the text running down to the left.
        self.canvas.paste(turned, (int(centre - turned.width + SMALL_PX / 2), int(top)), turned)

    def _bars(self, left: float, slot: float, y_of: Any, stacked: bool, show_values: bool) -> None:
        series = self.spec.series or []
        groups = 1 if stacked else max(len(series), 1)
        bar = min(slot * 0.7 / groups, 90)
        base = y_of(0)
        for index in range(len(self.spec.labels)):
            start = left + slot * index + (slot - bar * groups) / 2
            height_so_far = 0.0
            for number_in_group, one in enumerate(series):
                value = one.values[index] if index < len(one.values) else None
                if value is None:
                    continue
                colour = PALETTE[number_in_group % len(PALETTE)]
                x0 = start if stacked else start + bar * number_in_group
                if stacked:
                    y_low, y_high = y_of(height_so_far), y_of(height_so_far + value)
                    height_so_far += value
                else:
                    y_low, y_high = base, y_of(value)
                if y_low - y_high >= 1:
                    self.draw.rectangle((x0, y_high, x0 + bar - 2, y_low), fill=colour)
                if show_values and value:
                    if stacked:
                        if y_low - y_high > SMALL_PX:
                            centre = (x0 + bar / 2, (y_low + y_high) / 2)
                            self.draw.text(centre, number(value), font=self.small, fill="white", anchor="mm")
                    else:
                        self.draw.text(
                            (x0 + bar / 2, y_high - 4), number(value), font=self.small, fill=INK, anchor="md"
                        )
            if stacked and show_values and height_so_far:
                self.draw.text(
                    (start + bar / 2, y_of(height_so_far) - 4),
                    number(height_so_far),
                    font=self.small,
                    fill=INK,
                    anchor="md",
                )

    def _lines(self, left: float, slot: float, y_of: Any, show_values: bool) -> None:
        for number_in_group, one in enumerate(self.spec.series):
            colour = PALETTE[number_in_group % len(PALETTE)]
            points = [
                (left + slot * (i + 0.5), y_of(v), v)
                for i, v in enumerate(one.values[: len(self.spec.labels)])
                if v is not None
            ]
            if len(points) > 1:
                self.draw.line([(x, y) for x, y, _v in points], fill=colour, width=5, joint="curve")
            for x, y, value in points:
                self.draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill="white", outline=colour, width=4)
                if show_values:
                    self.draw.text((x, y - 14), number(value), font=self.small, fill=INK, anchor="md")

    # --- pie ---------------------------------------------------------------------------------------------

    def pie(self, top: int) -> None:
        """The first series as slices, each with its share; the legend (name, value, share) on the right."""
        spec = self.spec
        values = [max(v or 0, 0) for v in (spec.series[0].values if spec.series else [])]
        total = sum(values)
        size = min(self.height - top - MARGIN, self.width * 0.5)
        x0, y0 = MARGIN * 2, top + (self.height - top - MARGIN - size) / 2
        if total <= 0:
            self.draw.ellipse((x0, y0, x0 + size, y0 + size), outline=GRID, width=4)
            return
        angle = -90.0
        centre = (x0 + size / 2, y0 + size / 2)
        for index, value in enumerate(values):
            if not value:
                continue
            sweep = 360 * value / total
            colour = PALETTE[index % len(PALETTE)]
            self.draw.pieslice(
                (x0, y0, x0 + size, y0 + size), angle, angle + sweep, fill=colour, outline="white", width=3
            )
            if sweep >= 18:
                middle = math.radians(angle + sweep / 2)
                at = (centre[0] + size * 0.33 * math.cos(middle), centre[1] + size * 0.33 * math.sin(middle))
                self.draw.text(at, f"{100 * value / total:.0f}%", font=self.small, fill="white", anchor="mm")
            angle += sweep
        legend_left = int(x0 + size + MARGIN * 2)
        row = max(SMALL_PX + 14, 1)
        rows = [(i, lbl) for i, lbl in enumerate(spec.labels) if i < len(values)]
        y = top + max((self.height - top - MARGIN - row * len(rows)) / 2, 0)
        room = self.width - legend_left - MARGIN - 40
        for index, label in rows:
            colour = PALETTE[index % len(PALETTE)]
            self.draw.rectangle((legend_left, y + 3, legend_left + 24, y + 21), fill=colour)
            share = f"{100 * values[index] / total:.1f}%"
            text = f"{label}  {number(values[index])}{spec.unit}  {share}"
            self.draw.text((legend_left + 34, y), self.fitted(text, room, self.small), font=self.small, fill=INK)
            y += row
