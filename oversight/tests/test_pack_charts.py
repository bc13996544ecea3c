"""The pack's charts drawn server-side (oversight.chart_images): a PNG of the page's size, with its bars, lines or
slices in the series' colours, whatever the labels."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from oversight import chart_images
from oversight.series import ChartSpec, Series

MONTHS = ["2022年5月", "2022年6月", "2022年7月", "2022年8月"]
LONG_UNITS = [f"经济发展和科技信息化局第{n}科室" for n in range(12)]


def picture(spec: ChartSpec) -> Image.Image:
    return Image.open(io.BytesIO(chart_images.png(spec))).convert("RGB")


def share_of(image: Image.Image, colour: tuple[int, int, int]) -> float:
    """How much of the picture is drawn in this colour (0 to 1)."""
    counts = {c: n for n, c in image.getcolors(maxcolors=image.width * image.height) or []}
    return counts.get(colour, 0) / (image.width * image.height)


def bars_on_row(image: Image.Image, y: int) -> int:
    """The runs of the first series' colour along one row of pixels: the bars it crosses."""
    row = [image.getpixel((x, y)) == chart_images.PALETTE[0] for x in range(image.width)]
    return sum(1 for x in range(1, len(row)) if row[x] and not row[x - 1])


def not_white(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    darkest = image.crop(box).convert("L").getextrema()[0]
    return isinstance(darkest, int | float) and darkest < 200


@pytest.mark.parametrize("kind", ["bar", "line", "stacked", "pie"])
def test_every_kind_of_chart_is_a_png_of_the_page_width_drawn_in_its_series_colours(kind: str) -> None:
    spec = ChartSpec(
        key="k",
        title="每月受理与办结",
        kind=kind,  # type: ignore[arg-type]
        labels=MONTHS,
        series=[Series("受理", [12, 30, 25, 40]), Series("办结", [8, 20, 24, None])],
        unit="件",
    )
    image = picture(spec)
    assert image.size == (chart_images.WIDTH, chart_images.HEIGHT)
    assert share_of(image, chart_images.PALETTE[0]) > 0.002  # the first series (or slice) is drawn
    assert share_of(image, chart_images.PALETTE[1]) > 0.001
    assert not_white(image, (0, 0, chart_images.WIDTH, 80))  # the title


def test_a_chart_of_long_labels_turns_them_and_still_draws_every_bar() -> None:
    spec = ChartSpec("u", "各责任单位事项", "bar", LONG_UNITS, [Series("受理", [n + 1 for n in range(12)])], "件")
    image = picture(spec)
    assert not_white(image, (0, chart_images.HEIGHT - 120, chart_images.WIDTH, chart_images.HEIGHT))  # the labels
    assert bars_on_row(image, 610) == 12  # every bar reaches down to the axis, none lost to the labels' room


def test_a_chart_without_values_says_so_instead_of_failing() -> None:
    for kind in ("bar", "line", "stacked", "pie"):
        image = picture(ChartSpec("e", "空", kind, [], [Series("受理", [])]))  # type: ignore[arg-type]
        assert image.size == (chart_images.WIDTH, chart_images.HEIGHT)
        middle = (0, chart_images.HEIGHT // 2 - 40, chart_images.WIDTH, chart_images.HEIGHT // 2 + 60)
        assert not_white(image, middle)  # the sentence saying there is no data


def test_the_value_axis_has_round_steps_up_to_at_least_the_highest_value() -> None:
    assert chart_images.nice_ticks(40) == [0, 10, 20, 30, 40]
    assert chart_images.nice_ticks(93.2)[-1] >= 93.2
    assert chart_images.nice_ticks(0) == [0, 1]
    assert chart_images.number(87.5) == "87.5" and chart_images.number(12.0) == "12"
