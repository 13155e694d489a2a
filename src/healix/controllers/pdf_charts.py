"""Trend charts of the health report: planned as plain geometry, then drawn with fpdf2.

A type averaged over time (heart rate, SpO2...) is drawn as its average per bucket inside
the band from the bucket's lowest to its highest reading, so a spike that raised an alert
stays visible however many readings the bucket averages. A summed type (steps, calories,
sleep) is drawn as bars of its totals per local day. Where there are few points, or a
bucket has no neighbour to join, the points themselves are drawn. Warning and critical
value ranges are shaded behind the data.

`plan_chart` only computes (testable without reading a PDF); `draw_chart` only draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from healix.biomarker_catalog import DisplayUnit, Thresholds
from healix.utils.pdf import FAMILY, MUTED, Colour, Document

CHART_WIDTH = 174.0  # mm
CHART_HEIGHT = 52.0
PLOT_LEFT = 16.0  # room for the value labels
PLOT_BOTTOM = 8.0  # room for the time labels
PLOT_TOP = 3.0
PLOT_RIGHT = 3.0
#: draw each point when a chart has at most this many
FEW_POINTS = 40
LINE_COLOUR: Colour = (31, 95, 168)
ENVELOPE_COLOUR: Colour = (176, 203, 235)
BAR_COLOUR: Colour = (86, 140, 201)
BAND_COLOURS: dict[str, Colour] = {"warning": (255, 217, 102), "critical": (242, 115, 115)}
BAND_OPACITY = 0.35
PEAK_COLOUR: Colour = (176, 0, 32)
MARKER_RADIUS = 0.8


class ChartKind(StrEnum):
    ENVELOPE = "envelope"  # average with the lowest-to-highest band
    TOTALS = "totals"  # bars of totals per bucket


@dataclass(frozen=True)
class ChartBucket:
    """One bucket of readings (values in display units); `start`/`end` in the report's zone,
    clipped to the report period."""

    start: datetime
    end: datetime
    count: int
    mean: float
    low: float
    high: float
    total: float


@dataclass(frozen=True)
class ChartSeries:
    """One biomarker's trend over the report period: its non-empty buckets, oldest first."""

    label: str
    unit: str
    kind: ChartKind
    bucket_name: str  # "hour", "day", "week", "month"
    buckets: Sequence[ChartBucket]
    thresholds: Thresholds


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    level: str


@dataclass(frozen=True)
class ChartPlan:
    """Everything a chart draws, in millimetres from the chart's top left corner."""

    value_min: float
    value_max: float
    bands: list[tuple[float, float, float, float, str]]  # x, y, w, h, level
    envelopes: list[list[tuple[float, float]]]  # closed polygons
    whiskers: list[tuple[float, float, float]]  # x, y_top, y_bottom of lone buckets
    lines: list[list[tuple[float, float]]]  # polylines of averages
    markers: list[tuple[float, float]]
    bars: list[tuple[float, float, float, float]]  # x, y, w, h
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    #: where the highest reading of an averaged type is marked, with its value
    peak: tuple[float, float, str] | None = None


def format_number(value: float) -> str:
    """Whole from 100 up, else 1 decimal unless whole; thousands separated ("8,412", "36.9")."""
    if abs(value) >= 100 or abs(value - round(value)) < 0.05:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def display_thresholds(thresholds: Thresholds, display: DisplayUnit) -> Thresholds:
    """The thresholds in display units (the conversions are increasing, so order holds)."""

    def convert(value: float | None) -> float | None:
        return None if value is None else display.convert(value)

    return Thresholds(
        warning_min=convert(thresholds.warning_min),
        warning_max=convert(thresholds.warning_max),
        critical_min=convert(thresholds.critical_min),
        critical_max=convert(thresholds.critical_max),
    )


def threshold_bands(thresholds: Thresholds, low: float, high: float) -> list[Band]:
    """Value ranges outside normal, clipped to the visible [low, high]."""
    t = thresholds
    candidates: list[Band] = []
    if t.critical_min is not None:
        candidates.append(Band(low, t.critical_min, "critical"))
    if t.warning_min is not None:
        lower = t.critical_min if t.critical_min is not None else low
        candidates.append(Band(lower, t.warning_min, "warning"))
    if t.warning_max is not None:
        upper = t.critical_max if t.critical_max is not None else high
        candidates.append(Band(t.warning_max, upper, "warning"))
    if t.critical_max is not None:
        candidates.append(Band(t.critical_max, high, "critical"))
    clipped = [Band(max(b.low, low), min(b.high, high), b.level) for b in candidates]
    return [band for band in clipped if band.high > band.low]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) inside [low, high]."""
    span = high - low
    raw = span / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _value_range(series: ChartSeries) -> tuple[float, float]:
    if series.kind is ChartKind.TOTALS:
        top = max(bucket.total for bucket in series.buckets)
        return 0.0, top * 1.1 if top > 0 else 1.0
    low = min(bucket.low for bucket in series.buckets)
    high = max(bucket.high for bucket in series.buckets)
    span = high - low
    pad = span * 0.1 if span > 0 else max(abs(high) * 0.1, 1.0)
    return low - pad, high + pad


def time_labeller(period_start: datetime, period_end: datetime) -> Callable[[datetime], str]:
    """Axis labels in the report's time zone (that of `period_start`)."""
    short = period_end - period_start <= timedelta(days=3)
    pattern = "%m-%d %H:%M" if short else "%Y-%m-%d"
    tz = period_start.tzinfo or UTC
    return lambda moment: moment.astimezone(tz).strftime(pattern)


def _runs(buckets: Sequence[ChartBucket]) -> list[list[ChartBucket]]:
    """Buckets split where one or more empty buckets lie between two neighbours."""
    runs: list[list[ChartBucket]] = []
    for bucket in buckets:
        if runs and runs[-1][-1].end >= bucket.start:
            runs[-1].append(bucket)
        else:
            runs.append([bucket])
    return runs


def plan_chart(
    series: ChartSeries,
    period_start: datetime,
    period_end: datetime,
    *,
    width: float = CHART_WIDTH,
    height: float = CHART_HEIGHT,
) -> ChartPlan:
    """The chart's geometry (`series` must have at least one bucket)."""
    low, high = _value_range(series)
    plot_x, plot_w = PLOT_LEFT, width - PLOT_LEFT - PLOT_RIGHT
    plot_y, plot_h = PLOT_TOP, height - PLOT_TOP - PLOT_BOTTOM
    start, seconds = period_start.timestamp(), (period_end - period_start).total_seconds()

    def x_of(moment: datetime) -> float:
        return plot_x + plot_w * (moment.timestamp() - start) / seconds

    def y_of(value: float) -> float:
        return plot_y + plot_h * (high - value) / (high - low)

    def middle(bucket: ChartBucket) -> float:
        return (x_of(bucket.start) + x_of(bucket.end)) / 2

    bands = [
        (plot_x, y_of(band.high), plot_w, y_of(band.low) - y_of(band.high), band.level)
        for band in threshold_bands(series.thresholds, low, high)
    ]
    envelopes: list[list[tuple[float, float]]] = []
    whiskers: list[tuple[float, float, float]] = []
    lines: list[list[tuple[float, float]]] = []
    markers: list[tuple[float, float]] = []
    bars: list[tuple[float, float, float, float]] = []
    few = len(series.buckets) <= FEW_POINTS
    if series.kind is ChartKind.TOTALS:
        for bucket in series.buckets:
            left, right = x_of(bucket.start), x_of(bucket.end)
            gap = min(0.4, (right - left) * 0.15)
            bars.append(
                (
                    left + gap,
                    y_of(bucket.total),
                    right - left - 2 * gap,
                    y_of(0) - y_of(bucket.total),
                )
            )
    else:
        for run in _runs(series.buckets):
            if len(run) == 1:
                whiskers.append((middle(run[0]), y_of(run[0].high), y_of(run[0].low)))
                markers.append((middle(run[0]), y_of(run[0].mean)))
                continue
            upper = [(middle(b), y_of(b.high)) for b in run]
            lower = [(middle(b), y_of(b.low)) for b in reversed(run)]
            envelopes.append(upper + lower)
            lines.append([(middle(b), y_of(b.mean)) for b in run])
            if few:
                markers.extend((middle(b), y_of(b.mean)) for b in run)
    label_time = time_labeller(period_start, period_end)
    x_ticks = [
        (
            plot_x + plot_w * step / 4,
            label_time(period_start + (period_end - period_start) * step / 4),
        )
        for step in range(5)
    ]
    y_ticks = [(y_of(value), format_number(value)) for value in nice_ticks(low, high)]
    peak = None
    if series.kind is ChartKind.ENVELOPE:
        top = max(series.buckets, key=lambda bucket: bucket.high)
        peak = (middle(top), y_of(top.high), format_number(top.high))
    return ChartPlan(
        low, high, bands, envelopes, whiskers, lines, markers, bars, y_ticks, x_ticks, peak
    )


def draw_chart(
    document: Document, plan: ChartPlan, *, width: float = CHART_WIDTH, height: float = CHART_HEIGHT
) -> None:
    """Draw `plan` at the current position and move below it."""
    ox, oy = document.l_margin, document.get_y()
    plot_x, plot_y = ox + PLOT_LEFT, oy + PLOT_TOP
    plot_w, plot_h = width - PLOT_LEFT - PLOT_RIGHT, height - PLOT_TOP - PLOT_BOTTOM

    def at(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(ox + x, oy + y) for x, y in points]

    with document.local_context(fill_opacity=BAND_OPACITY):
        for x, y, w, h, level in plan.bands:
            document.set_fill_color(*BAND_COLOURS[level])
            document.rect(ox + x, oy + y, w, h, style="F")
    document.set_fill_color(*ENVELOPE_COLOUR)
    for polygon in plan.envelopes:
        document.polygon(at(polygon), style="F")
    document.set_fill_color(*BAR_COLOUR)
    for x, y, w, h in plan.bars:
        document.rect(ox + x, oy + y, w, h, style="F")
    document.set_draw_color(*LINE_COLOUR)
    document.set_line_width(0.35)
    for x, top, bottom in plan.whiskers:
        document.line(ox + x, oy + top, ox + x, oy + bottom)
    for line in plan.lines:
        document.polyline(at(line))
    document.set_fill_color(*LINE_COLOUR)
    for x, y in plan.markers:
        document.circle(ox + x, oy + y, MARKER_RADIUS, style="F")
    if plan.peak is not None:
        x, y, label = plan.peak
        document.set_fill_color(*PEAK_COLOUR)
        document.circle(ox + x, oy + y, MARKER_RADIUS, style="F")
        document.set_font(FAMILY, size=6)
        document.set_text_color(*PEAK_COLOUR)
        left = min(ox + x + 1, ox + width - PLOT_RIGHT - 12)
        document.set_xy(left, oy + max(y - 1.5, PLOT_TOP))
        document.cell(12, 3, label)
    document.set_draw_color(*MUTED)
    document.set_line_width(0.2)
    document.rect(plot_x, plot_y, plot_w, plot_h)
    document.set_font(FAMILY, size=6)
    document.set_text_color(*MUTED)
    for y, label in plan.y_ticks:
        document.set_xy(ox, oy + y - 1.5)
        document.cell(PLOT_LEFT - 1, 3, label, align="R")
    for index, (x, label) in enumerate(plan.x_ticks):
        align = "L" if index == 0 else "R" if index == len(plan.x_ticks) - 1 else "C"
        left = ox + x - (0 if align == "L" else 30 if align == "R" else 15)
        document.set_xy(left, plot_y + plot_h + 1)
        document.cell(30, 3, label, align=align)
    document.set_text_color(0, 0, 0)
    document.set_xy(document.l_margin, oy + height)
