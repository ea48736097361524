"""Build-time figures as inline SVG and HTML: event timelines, role strips, involvement matrix."""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sphinx_dossier.core.text import STATUS_TEXT

__all__ = [
    "MATRIX_MAX_CELLS",
    "Group",
    "Link",
    "Observation",
    "TimelineItem",
    "format_span",
    "involvement_lists",
    "involvement_matrix",
    "role_strip_figure",
    "role_strip_svg",
    "text_width",
    "timeline_figure",
    "timeline_layout",
    "timeline_svg",
]

STATUSES = ("occurred", "reported", "planned")
STATUS_WORDS = STATUS_TEXT
#: Shapes cycle with the colours so that agreements stay distinguishable without colour.
SHAPES = ("circle", "square", "diamond", "triangle", "hexagon", "star")
PALETTE_SIZE = 6
#: Fallback colours (light theme) used as presentation attributes, so a figure saved as a
#: standalone SVG file still reads; the page stylesheet overrides them per theme.
FALLBACK = ("#0b6aa8", "#b84a00", "#007a5a", "#9c3f85", "#8a6d00", "#3d4ea8")
NEUTRAL = "#5f6368"

FONT = 12.0
LANE_H = 22.0
AXIS_H = 24.0
MARK_R = 5.5
LABEL_GAP = 8.0
MAX_LABEL_CHARS = 60
SVG_NS = "http://www.w3.org/2000/svg"
#: Shown on narrow screens only; screen readers hear "scrolls sideways" from the region.
HINT = '<p class="dossier-fig-hint" aria-hidden="true">Scroll sideways to see the whole figure.</p>'


@dataclass(frozen=True)
class TimelineItem:
    """One event as the figure sees it: an inclusive date range and where it links."""

    id: str
    title: str
    url: str
    start: date
    end: date
    status: str = "occurred"
    group: str = ""
    date_label: str = ""
    precision: str = "day"
    """The coarsest precision of the event's dates (``year``, ``month`` or ``day``): a
    year-only event is drawn and listed as its whole year, never at a month or day."""
    rank: int = 0
    """Position in story order (dates, then the ``after`` chain the sources state)."""

    @property
    def label_date(self) -> str:
        return self.date_label or format_span(self.start, self.end)


@dataclass(frozen=True)
class Group:
    """A colour/shape class in a figure (an agreement) and its legend label."""

    id: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class Observation:
    """A dated role observation for a person's role strip."""

    title: str
    start: date
    end: date
    organization: str = ""
    url: str = ""
    date_label: str = ""


@dataclass(frozen=True)
class Link:
    """A labelled hyperlink to a record (id, display title, page URL, optional short date)."""

    id: str
    label: str
    url: str
    date_label: str = ""


# --------------------------------------------------------------------------- text helpers


#: Characters XML 1.0 forbids even when escaped; YAML double-quoted strings can carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Escape text for HTML and XML content and double-quoted attributes."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def safe_id(text: str) -> str:
    """Turn any string into a token usable inside an id attribute."""
    token = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return token or "x"


def text_width(text: str, font_size: float = FONT) -> float:
    """Width a sans-serif label needs, erring on the wide side so boxes never overlap.

    Browsers do not tell a build step how wide text renders; these per-class factors are at
    or above the widest common sans-serif faces (checked against Chromium in the browser
    tests), so a box computed here contains the rendered text.
    """
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            width += 1.05
        elif char in "mwMW@%":
            width += 0.95
        elif char.isupper() or char.isdigit() or char in "—–#&":
            width += 0.72
        elif char in "il.,:;'|!`" or char == " ":
            width += 0.34
        else:
            width += 0.6
    return width * font_size


def truncate(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    return cut + "…"


def fit_text(text: str, max_width: float, font_size: float = FONT) -> str:
    """Shorten ``text`` with an ellipsis until its estimated width fits ``max_width``."""
    text = truncate(text)
    while len(text) > 2 and text_width(text, font_size) > max_width:
        text = text[:-2].rstrip() + "…"
    return text


MONTHS = tuple(calendar.month_name)
MONTHS_ABBR = tuple(calendar.month_abbr)


def last_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def format_span(start: date, end: date) -> str:
    """Readable label for an inclusive range: a day, a month, a year or a span."""
    if start == end:
        return f"{start.day} {MONTHS[start.month]} {start.year}"
    whole_years = (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start.day == 1 and end == last_of_month(end.year, end.month):
        if (start.year, start.month) == (end.year, end.month):
            return f"{MONTHS[start.month]} {start.year}"
        if start.year == end.year:
            return f"{MONTHS[start.month]}–{MONTHS[end.month]} {start.year}"
        return f"{MONTHS[start.month]} {start.year} – {MONTHS[end.month]} {end.year}"
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS[start.month]} {start.year}"
    return f"{format_span(start, start)} – {format_span(end, end)}"


# --------------------------------------------------------------------------- scales


@dataclass(frozen=True)
class Segment:
    """A stretch of the time axis drawn linearly: one year, or a whole single-year domain."""

    first: date
    last: date
    x0: float
    x1: float
    thin: bool = False
    """A year crossed only by a long range (a decades-long episode): squeezed, and
    labelled only at the ends of its run of such years."""


@dataclass(frozen=True)
class Break:
    """Years without any event, collapsed into a short gap on the axis."""

    first_year: int
    last_year: int
    x0: float
    x1: float


BREAK_W = 22.0
THIN_WEIGHT = 0.3
LONG_DAYS = 2 * 366


@dataclass(frozen=True)
class Scale:
    """Day scale from an inclusive date domain to x coordinates.

    Linear within each year; years with no event collapse into breaks and years crossed only
    by long ranges get less room, so a decade-long episode does not squeeze the dense years.
    """

    first: date
    last: date
    x0: float
    x1: float
    segments: tuple[Segment, ...] = ()
    breaks: tuple[Break, ...] = ()

    @classmethod
    def linear(cls, first: date, last: date, x0: float, x1: float) -> Scale:
        return cls(first, last, x0, x1, (Segment(first, last, x0, x1),))

    @classmethod
    def for_items(
        cls, items: Sequence[TimelineItem], first: date, last: date, x0: float, x1: float
    ) -> Scale:
        if first.year == last.year:
            return cls.linear(first, last, x0, x1)
        weight: dict[int, float] = dict.fromkeys(range(first.year, last.year + 1), 0.0)
        for item in items:
            short = (item.end - item.start).days <= LONG_DAYS
            for year in range(max(item.start.year, first.year), min(item.end.year, last.year) + 1):
                weight[year] = max(weight[year], 1.0 if short else THIN_WEIGHT)
        years = sorted(weight)
        runs: list[tuple[int, int]] = []  # empty runs long enough to collapse
        run_start: int | None = None
        for year in [*years, last.year + 1]:
            empty = weight.get(year, 1.0) == 0.0
            if empty and run_start is None:
                run_start = year
            elif not empty and run_start is not None:
                if year - run_start >= 2:
                    runs.append((run_start, year - 1))
                else:
                    for y in range(run_start, year):
                        weight[y] = THIN_WEIGHT
                run_start = None
        # A long run of thin years (a decades-long episode) shares at most two years' room.
        thin_run: list[int] = []
        for year in [*years, last.year + 1]:
            if weight.get(year) == THIN_WEIGHT:
                thin_run.append(year)
                continue
            for y in thin_run:
                weight[y] = min(THIN_WEIGHT, 2.0 / len(thin_run))
            thin_run = []
        collapsed = {y for a, b in runs for y in range(a, b + 1)}
        total = sum(w for y, w in weight.items() if y not in collapsed)
        room = (x1 - x0) - BREAK_W * len(runs)
        unit = room / total if total else 0.0
        segments: list[Segment] = []
        breaks: list[Break] = []
        x = x0
        for year in years:
            if year in collapsed:
                if runs and year == runs[0][0]:
                    a, b = runs.pop(0)
                    breaks.append(Break(a, b, x, x + BREAK_W))
                    x += BREAK_W
                continue
            w = weight[year] * unit
            thin = weight[year] < 1.0
            segments.append(Segment(date(year, 1, 1), date(year, 12, 31), x, x + w, thin))
            x += w
        return cls(first, last, x0, x1, tuple(segments), tuple(breaks))

    def _segment(self, day: date) -> Segment:
        for seg in self.segments:
            if day <= seg.last:
                return seg
        return self.segments[-1]

    def x(self, day: date) -> float:
        seg = self._segment(day)
        if day < seg.first:  # inside a break: snap to the break's end
            return seg.x0
        days = (seg.last - seg.first).days + 1
        return seg.x0 + (seg.x1 - seg.x0) * (day - seg.first).days / days

    def x_end(self, day: date) -> float:
        """Right edge of an inclusive day."""
        seg = self._segment(day)
        if day >= seg.last:
            return seg.x1
        return self.x(day + timedelta(days=1))


def year_domain(items: Iterable[TimelineItem]) -> tuple[date, date]:
    items = list(items)
    if not items:
        today = date(2000, 1, 1)
        return today, date(2000, 12, 31)
    first = min(item.start for item in items)
    last = max(item.end for item in items)
    return date(first.year, 1, 1), date(last.year, 12, 31)


def clip(item: TimelineItem, first: date, last: date) -> TimelineItem:
    return replace(item, start=max(item.start, first), end=min(item.end, last))


# --------------------------------------------------------------------------- layout


@dataclass
class Placed:
    """An item with its lane, mark geometry and label box."""

    item: TimelineItem
    lane: int
    mark_x0: float
    mark_x1: float
    cx: float  # centre of the glyph
    label: str
    label_x: float
    anchor: str  # "start" or "end"
    box: tuple[float, float]  # left and right edge of mark + label


@dataclass
class Bin:
    """Aggregated events of one year or month."""

    key: str
    label: str
    first: date
    last: date
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Layout:
    """Outcome of laying out a timeline: packed labelled marks, or aggregated bins."""

    scale: Scale
    mode: str  # "detail" or "aggregate"
    placed: list[Placed] = field(default_factory=list)
    lanes: int = 0
    bins: list[Bin] = field(default_factory=list)
    unit: str = "year"  # bin unit in aggregate mode


def pack(items: Sequence[TimelineItem], scale: Scale, max_lanes: int) -> list[Placed] | None:
    """Greedy lane assignment; ``None`` when more than ``max_lanes`` lanes would be needed.

    Each lane keeps the right edge of its last box; an item goes into the first lane whose
    edge lies left of the item's box, so boxes within a lane never overlap whatever the
    order of placement.
    """
    order = sorted(items, key=lambda it: (it.start, it.rank, it.end, it.title, it.id))
    right_edges: list[float] = []
    placed: list[Placed] = []
    limit_left, limit_right = scale.x0, scale.x1
    for item in order:
        x0 = scale.x(item.start)
        x1 = scale.x_end(item.end)
        if x1 - x0 < 2 * MARK_R + 2:
            cx = (x0 + x1) / 2
            x0, x1 = cx - MARK_R, cx + MARK_R
            inside_x = cx + MARK_R + 4
        else:
            # A range (a multi-day event, or a date known only to the month or year) is a
            # band over its whole span: no glyph at its start, which would claim a day.
            cx = (x0 + x1) / 2
            inside_x = x0 + 5
        full = truncate(item.title)
        width = text_width(full)
        room_inside = limit_right - inside_x
        room_left = (x0 - 4) - limit_left
        if width <= room_inside or room_inside >= room_left:
            label = full if width <= room_inside else fit_text(full, room_inside)
            anchor, label_x = "start", inside_x
            box = (x0, max(x1, label_x + text_width(label)))
        else:
            label = full if width <= room_left else fit_text(full, room_left)
            anchor, label_x = "end", x0 - 4
            box = (label_x - text_width(label), x1)
        for lane, edge in enumerate(right_edges):
            if edge + LABEL_GAP <= box[0]:
                right_edges[lane] = box[1]
                break
        else:
            lane = len(right_edges)
            if lane >= max_lanes:
                return None
            right_edges.append(box[1])
        placed.append(Placed(item, lane, x0, x1, cx, label, label_x, anchor, box))
    return placed


def bins_for(items: Sequence[TimelineItem], first: date, last: date, unit: str) -> list[Bin]:
    bins: dict[str, Bin] = {}
    if unit == "year":
        for year in range(first.year, last.year + 1):
            bins[str(year)] = Bin(str(year), str(year), date(year, 1, 1), date(year, 12, 31))
    else:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            key = f"{year:04d}-{month:02d}"
            bins[key] = Bin(
                key, MONTHS_ABBR[month], date(year, month, 1), last_of_month(year, month)
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for item in items:
        if unit == "month" and (item.start.year, item.start.month) != (
            item.end.year,
            item.end.month,
        ):
            continue  # a year-only (or multi-month) event has no one month: listed as text
        key = str(item.start.year) if unit == "year" else f"{item.start:%Y-%m}"
        if key in bins:
            bins[key].counts[(item.group, item.status)] += 1
    return list(bins.values())


def timeline_layout(
    items: Sequence[TimelineItem],
    *,
    width: float = 720,
    domain: tuple[date, date] | None = None,
    max_lanes: int = 24,
) -> Layout:
    """Lay out labelled marks, or aggregate by year (or by month within one year)."""
    first, last = domain or year_domain(items)
    items = [clip(it, first, last) for it in items if it.end >= first and it.start <= last]
    scale = Scale.for_items(items, first, last, 10.0, width - 10.0)
    placed = pack(items, scale, max_lanes)
    if placed is not None:
        lanes = 1 + max((p.lane for p in placed), default=0)
        return Layout(scale, "detail", placed=placed, lanes=lanes)
    unit = "year" if first.year != last.year else "month"
    return Layout(scale, "aggregate", bins=bins_for(items, first, last, unit), unit=unit)


# --------------------------------------------------------------------------- SVG drawing


def group_index(groups: Sequence[Group]) -> dict[str, int]:
    return {group.id: i for i, group in enumerate(groups)}


def shape_path(shape: str, cx: float, cy: float, r: float) -> str:
    """SVG element markup (without attributes for style) for a mark shape."""
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}"'
    if shape == "pill":
        return (
            f'<rect x="{cx - r * 1.4:.1f}" y="{cy - r * 0.8:.1f}" width="{r * 2.8:.1f}" '
            f'height="{r * 1.6:.1f}" rx="{r * 0.8:.1f}"'
        )
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{cx - s:.1f}" y="{cy - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"'
    if shape == "diamond":
        d = r * 1.25
        pts = (
            f"{cx:.1f},{cy - d:.1f} {cx + d:.1f},{cy:.1f} "
            f"{cx:.1f},{cy + d:.1f} {cx - d:.1f},{cy:.1f}"
        )
        return f'<polygon points="{pts}"'
    if shape == "triangle":
        d = r * 1.2
        pts = (
            f"{cx:.1f},{cy - d:.1f} {cx + d:.1f},{cy + d * 0.8:.1f} {cx - d:.1f},{cy + d * 0.8:.1f}"
        )
        return f'<polygon points="{pts}"'
    if shape == "hexagon":
        pts = " ".join(
            f"{cx + r * c:.1f},{cy + r * s:.1f}"
            for c, s in ((1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87))
        )
        return f'<polygon points="{pts}"'
    # star: a plus-like cross keeps it legible at small sizes
    t = r * 0.45
    pts = (
        f"{cx - t:.1f},{cy - r:.1f} {cx + t:.1f},{cy - r:.1f} {cx + t:.1f},{cy - t:.1f} "
        f"{cx + r:.1f},{cy - t:.1f} {cx + r:.1f},{cy + t:.1f} {cx + t:.1f},{cy + t:.1f} "
        f"{cx + t:.1f},{cy + r:.1f} {cx - t:.1f},{cy + r:.1f} {cx - t:.1f},{cy + t:.1f} "
        f"{cx - r:.1f},{cy + t:.1f} {cx - r:.1f},{cy - t:.1f} {cx - t:.1f},{cy - t:.1f}"
    )
    return f'<polygon points="{pts}"'


def style_of(group: str, index: Mapping[str, int]) -> tuple[str, str, str]:
    """CSS class, fallback colour and shape of a group."""
    if index.get(group) == -1:  # legend samples of a status: neutral, in a shape of their own
        return "dgx", NEUTRAL, "pill"
    if group in index:
        i = index[group]
        # Past six groups the shape shifts against the colour, so pairs stay unique.
        shape = SHAPES[(i + i // PALETTE_SIZE) % len(SHAPES)]
        return f"dg{i % PALETTE_SIZE}", FALLBACK[i % PALETTE_SIZE], shape
    return "dgx", NEUTRAL, "circle"


def mark_markup(
    status: str, group: str, index: Mapping[str, int], cx: float, cy: float, r: float = MARK_R
) -> str:
    cls, colour, shape = style_of(group, index)
    st = status if status in STATUSES else "occurred"
    if st == "occurred":
        paint = f'fill="{colour}" stroke="{colour}"'
    elif st == "reported":
        paint = f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"'
    else:
        paint = f'fill="none" stroke="{colour}" stroke-dasharray="2.5 1.5"'
    return f'{shape_path(shape, cx, cy, r)} class="dm {cls} ds-{st}" {paint} stroke-width="1.6"/>'


def axis_markup(scale: Scale, y_top: float, y_bottom: float) -> list[str]:
    """Year (or month) bands and grid lines, labels thinned so they never overlap."""
    out = ['<g class="daxis">']
    ticks: list[tuple[float, float, str]] = []
    # Each tick's label, then shorter forms to fall back on where it does not fit: every
    # year (every month of a one-year axis) keeps a label.
    short: dict[int, list[str]] = {}
    if scale.first.year == scale.last.year:
        year = scale.first.year
        for month in range(scale.first.month, scale.last.month + 1):
            a = scale.x(date(year, month, 1))
            b = scale.x_end(last_of_month(year, month))
            # The first month names the year: a strip of months alone hides when it is.
            label = f"{MONTHS_ABBR[month]} {year}" if not ticks else MONTHS_ABBR[month]
            if ticks:
                short[len(ticks)] = [MONTHS_ABBR[month][0]]
            else:
                short[0] = [f"{MONTHS_ABBR[month][0]} {year}"]
            ticks.append((a, b, label))
    else:
        segs = scale.segments
        for k, seg in enumerate(segs):
            inner = (
                seg.thin
                and 0 < k < len(segs) - 1
                and segs[k - 1].thin
                and segs[k + 1].thin
                and segs[k - 1].last.year + 1 == seg.first.year
                and seg.last.year + 1 == segs[k + 1].first.year
            )
            # Inside a squeezed run only its ends are named; they give the run's span.
            label = "" if inner else str(seg.first.year)
            short[len(ticks)] = [] if inner else [f"\u2019{seg.first.year % 100:02d}"]
            ticks.append((seg.x0, seg.x1, label))
    label_end = -1e9
    labels: list[tuple[float, str]] = []
    for i, (a, b, label) in enumerate(ticks):
        if not label:
            continue
        for candidate in [label, *short.get(i, [])]:
            tw = text_width(candidate, 11)
            centre = (a + b) / 2 if b - a >= tw + 4 else a + tw / 2
            left = max(centre - tw / 2, scale.x0)
            if left >= label_end + 3 and left + tw <= scale.x1 + 8:
                labels.append((left, candidate))
                label_end = left + tw
                break
        else:  # not even the short form fits: a second row, below the first
            labels.append((-(a + 1), ticks[i][2] if not short.get(i) else short[i][-1]))
    for i, (a, b, _label) in enumerate(ticks):
        if b - a >= 12 and i % 2 == 0:
            out.append(
                f'<rect class="dband" x="{a:.1f}" y="{y_top:.1f}" width="{b - a:.1f}" '
                f'height="{y_bottom - y_top:.1f}" fill="#000" fill-opacity="0.035"/>'
            )
        if b - a >= 4 or i == 0:
            out.append(
                f'<line class="dgrid" x1="{a:.1f}" y1="{y_top:.1f}" x2="{a:.1f}" '
                f'y2="{y_bottom:.1f}" stroke="#888" stroke-opacity="0.45" stroke-width="1"/>'
            )
    for left, label in labels:
        # A negative x marks a label of the second row (x is the tick's start, minus one).
        row2 = left < 0
        x = -left - 1 if row2 else left
        y = y_top - 7 - (9 if row2 else 0)
        out.append(
            f'<text class="dtick" x="{x:.1f}" y="{y:.1f}" font-size="11" fill="#444">'
            f"{esc(label)}</text>"
        )
    out.append(
        f'<line class="dbase" x1="{scale.x0:.1f}" y1="{y_top:.1f}" x2="{scale.x1:.1f}" '
        f'y2="{y_top:.1f}" stroke="#888" stroke-width="1"/>'
    )
    for br in scale.breaks:
        mid = (br.x0 + br.x1) / 2
        span = f"{br.first_year}–{br.last_year}"
        out.append(
            f'<g class="dbreak"><title>{esc(f"No events {span}: years left out")}</title>'
            f'<rect x="{br.x0 + 3:.1f}" y="{y_top - 3:.1f}" width="{br.x1 - br.x0 - 6:.1f}" '
            f'height="{y_bottom - y_top + 3:.1f}" fill="#fff" class="dbreakbg"/>'
            f'<path d="M{mid - 6:.1f},{y_top + 5:.1f} l4,-8 M{mid + 2:.1f},{y_top + 5:.1f} '
            f'l4,-8" stroke="#888" stroke-width="1.3" class="dbreakmark"/></g>'
        )
    out.append("</g>")
    return out


def legend_markup(
    groups: Sequence[Group],
    used_groups: set[str],
    used_status: set[str],
    index: Mapping[str, int],
    y: float,
    width: float,
) -> tuple[list[str], float]:
    """Legend in wrapping rows: agreements (colour and shape), then statuses (fill and line).

    Returns the markup and the height used.
    """
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []  # (heading, entries)
    agreements = [("occurred", g.id, g.label) for g in groups if g.id in used_groups]
    if "" in used_groups or any(g not in index for g in used_groups):
        agreements.append(("occurred", "", "no agreement"))
    if groups and agreements:
        sections.append(("Agreement:", agreements))
    if len(used_status) > 1 or used_status - {"occurred"}:
        statuses = [(st, "\0", STATUS_WORDS[st]) for st in STATUSES if st in used_status]
        sections.append(("Status:", statuses))
    out = ['<g class="dlegend">']
    row_y, height = y + 10, 0.0
    for number, (heading, entries) in enumerate(sections):
        if number:
            row_y += 20
        out.append(
            f'<text class="dlegend-head" x="10" y="{row_y + 4:.1f}" font-size="11" '
            f'font-weight="600" fill="#222">{esc(heading)}</text>'
        )
        x = 18 + text_width(heading, 11)
        for status, group_id, label in entries:
            text = fit_text(label, width - 40)
            w = 18 + text_width(text, 11) + 16
            if x + w > width - 10 and x > 80:
                x, row_y = 80.0, row_y + 20
            if group_id == "\0":
                # Statuses are shown on a neutral square, so they never read as an agreement.
                out.append(mark_markup(status, "\0neutral", {"\0neutral": -1}, x + 6, row_y, 5))
            else:
                out.append(mark_markup(status, group_id, index, x + 6, row_y, 5))
            out.append(
                f'<text class="dlabel" x="{x + 16:.1f}" y="{row_y + 4:.1f}" font-size="11" '
                f'fill="#222">{esc(text)}</text>'
            )
            x += w
        height = row_y - y + 14
    out.append("</g>")
    return out, height


def svg_open(
    fig_id: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    cls: str,
    *,
    interactive: bool = False,
) -> str:
    """Opening tag with title and description as the accessible name.

    A figure whose marks are links is a ``group`` (an ``img`` hides its children, so its
    links would be focusable yet nameless); a figure without links is an ``img``.
    """
    role = "group" if interactive else "img"
    return (
        f'<svg xmlns="{SVG_NS}" class="dossier-svg {cls}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="{role}" '
        f'aria-labelledby="{fig_id}-title {fig_id}-desc" font-family="sans-serif">'
        f'<title id="{fig_id}-title">{esc(title)}</title>'
        f'<desc id="{fig_id}-desc">{esc(desc)}</desc>'
    )


def has_links(parts: Sequence[str]) -> bool:
    return any(part.startswith("<a ") for part in parts)


def describe(items: Sequence[TimelineItem], groups: Sequence[Group], layout: Layout) -> str:
    first, last = layout.scale.first, layout.scale.last
    span = str(first.year) if first.year == last.year else f"{first.year} to {last.year}"
    n = len(items)
    parts = [f"{n} event{'s' if n != 1 else ''} from {span}."]
    if layout.mode == "aggregate":
        parts.append(f"Too many to label: bars count the events per {layout.unit}.")
    if groups:
        parts.append("Colour and shape show the agreement.")
    if {it.status for it in items} - {"occurred"}:
        parts.append(
            "Filled marks occurred; hollow dashed marks were planned; pale marks were reported."
        )
    parts.append("Dates known only to the month or year are drawn as bars over that period.")
    if layout.scale.breaks:
        gaps = ", ".join(f"{b.first_year}–{b.last_year}" for b in layout.scale.breaks)
        parts.append(f"Years without events are left out of the axis ({gaps}).")
    parts.append("The same events are listed as text after the figure.")
    return " ".join(parts)


def timeline_svg(
    items: Sequence[TimelineItem],
    *,
    width: float = 720,
    groups: Sequence[Group] = (),
    fig_id: str = "dossier-timeline",
    title: str = "Timeline of events",
    domain: tuple[date, date] | None = None,
    max_lanes: int = 24,
    link_prefix: str | None = None,
) -> str:
    """One inline SVG timeline.

    Detail mode draws one labelled mark per item, packed into lanes so no two marks or labels
    overlap. When more than ``max_lanes`` lanes would be needed, the figure aggregates: one
    stacked bar per year (or per month within a single year) linking to
    ``#<link_prefix>-y<year>`` / ``#<link_prefix>-m<yyyy-mm>``, the year panels and text
    list that :func:`timeline_figure` writes.
    """
    fig_id = safe_id(fig_id)
    prefix = safe_id(link_prefix or fig_id)
    layout = timeline_layout(items, width=width, domain=domain, max_lanes=max_lanes)
    index = group_index(groups)
    top = AXIS_H
    out, body_h = plot_body(layout, groups, index, top, prefix)
    used_groups = {it.group for it in items}
    used_status = {it.status if it.status in STATUSES else "occurred" for it in items}
    legend, legend_h = legend_markup(
        groups, used_groups, used_status, index, top + body_h + 6, width
    )
    height = top + body_h + 6 + legend_h + 6
    head = svg_open(
        fig_id,
        width,
        height,
        title,
        describe(items, groups, layout),
        f"dossier-{layout.mode}",
        interactive=has_links(out),
    )
    return "".join([head, *out, *legend, "</svg>"])


def detail_mark(p: Placed, index: Mapping[str, int], top: float) -> list[str]:
    item = p.item
    cy = top + 4 + p.lane * LANE_H + LANE_H / 2
    status = item.status if item.status in STATUSES else "occurred"
    tip = f"{item.title} ({item.label_date}; {STATUS_WORDS[status]})"
    # Without a page to go to, the mark is a plain group, not a link to nowhere.
    tag = "a" if item.url else "g"
    href = f'href="{esc(item.url)}" ' if item.url else ""
    out = [f'<{tag} {href}class="dlink" data-id="{esc(item.id)}">']
    out.append(f"<title>{esc(tip)}</title>")
    cls, colour, _ = style_of(item.group, index)
    span = p.mark_x1 - p.mark_x0
    if span > 2 * MARK_R + 0.5:
        # The whole period the date allows, as a band with the label over it.
        dash = ' stroke-dasharray="4 3"' if status == "planned" else ""
        fill = "none" if status == "planned" else colour
        opacity = "0.18" if status == "reported" else "0.3"
        out.append(
            f'<rect class="drange {cls} ds-{status}" x="{p.mark_x0 + 0.5:.1f}" '
            f'y="{cy - 8:.1f}" width="{span - 1:.1f}" height="16" rx="3" '
            f'fill="{fill}" fill-opacity="{opacity}" stroke="{colour}" '
            f'stroke-width="1.2"{dash}/>'
        )
    else:
        out.append(mark_markup(status, item.group, index, p.cx, cy))
    out.append(
        f'<text class="dlabel" x="{p.label_x:.1f}" y="{cy + 4:.1f}" text-anchor="{p.anchor}" '
        f'font-size="{FONT:.0f}" fill="#222" data-box="{p.box[0]:.1f} {p.box[1]:.1f}">'
        f"{esc(p.label)}</text>"
    )
    out.append(f"</{tag}>")
    return out


def plot_body(
    layout: Layout,
    groups: Sequence[Group],
    index: Mapping[str, int],
    top: float,
    link_prefix: str,
) -> tuple[list[str], float]:
    """The axis and the marks of a laid-out figure, and the height they take."""
    out: list[str] = []
    if layout.mode == "detail":
        body_h = max(layout.lanes, 1) * LANE_H + 8
        out += axis_markup(layout.scale, top, top + body_h)
        out.append('<g class="dmarks">')
        for p in layout.placed:
            out += detail_mark(p, index, top)
        out.append("</g>")
    else:
        body_h = 150.0
        out += axis_markup(layout.scale, top, top + body_h)
        out += aggregate_marks(layout, groups, index, top, body_h, link_prefix)
    return out, body_h


def aggregate_marks(
    layout: Layout,
    groups: Sequence[Group],
    index: Mapping[str, int],
    top: float,
    body_h: float,
    prefix: str,
) -> list[str]:
    scale = layout.scale
    peak = max((b.total for b in layout.bins), default=1) or 1
    bar_max = body_h - 30
    order = [g.id for g in groups]
    out = ['<g class="dmarks">']
    for b in layout.bins:
        if not b.total:
            continue
        x0, x1 = scale.x(b.first), scale.x_end(b.last)
        bw = max(3.0, (x1 - x0) * 0.64)
        bx = (x0 + x1 - bw) / 2
        anchor = f"#{prefix}-y{b.key}" if layout.unit == "year" else f"#{prefix}-m{b.key}"
        words = ", ".join(
            f"{n} {label_of(g, groups)} {st}"
            for (g, st), n in sorted(b.counts.items(), key=lambda kv: sort_key(kv[0], order))
        )
        when = b.key if layout.unit == "year" else format_span(b.first, b.last)
        out.append(f'<a href="{esc(anchor)}" class="dlink dbin" data-bin="{esc(b.key)}">')
        out.append(f"<title>{esc(f'{when}: {b.total} events ({words})')}</title>")
        y = top + body_h - 6
        for key, n in sorted(b.counts.items(), key=lambda kv: sort_key(kv[0], order)):
            h = max(1.5, bar_max * n / peak)
            group, status = key
            cls, colour, _ = style_of(group, index)
            st = status if status in STATUSES else "occurred"
            if st == "planned":
                paint = f'fill="none" stroke="{colour}" stroke-dasharray="2.5 1.5"'
            elif st == "reported":
                paint = f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"'
            else:
                paint = f'fill="{colour}" stroke="{colour}"'
            out.append(
                f'<rect class="dm {cls} ds-{st}" x="{bx:.1f}" y="{y - h:.1f}" width="{bw:.1f}" '
                f'height="{h:.1f}" {paint} stroke-width="1"/>'
            )
            y -= h
        count = str(b.total)
        if text_width(count, 10) <= (x1 - x0) + 2:
            out.append(
                f'<text class="dcount" x="{(x0 + x1) / 2:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle" font-size="10" fill="#222">{count}</text>'
            )
        out.append("</a>")
    out.append("</g>")
    return out


def sort_key(key: tuple[str, str], order: Sequence[str]) -> tuple[int, int]:
    group, status = key
    gi = order.index(group) if group in order else len(order)
    si = STATUSES.index(status) if status in STATUSES else 0
    return gi, si


def label_of(group: str, groups: Sequence[Group]) -> str:
    for g in groups:
        if g.id == group:
            return g.label
    return group or "no agreement"


# --------------------------------------------------------------------------- HTML wrappers


def text_bucket(item: TimelineItem) -> tuple[int, int]:
    """``(year, month)`` under which the text list files an event; month 0 for an event
    known only to the year (or spanning several months): "2019, month not known"."""
    if item.precision == "year" or (item.start.year, item.start.month) != (
        item.end.year,
        item.end.month,
    ):
        return item.start.year, 0
    return item.start.year, item.start.month


def text_runs(
    items: Sequence[TimelineItem],
) -> list[tuple[tuple[int, int], list[TimelineItem]]]:
    """Events in story order, as runs under one heading each (see :func:`text_bucket`).

    An event the sources place after a July event, but date only to the year, gets its
    own "month not known" run after July instead of being filed before it.
    """
    ordered = sorted(items, key=lambda it: (it.rank, it.start, it.end, it.title, it.id))
    runs: list[tuple[tuple[int, int], list[TimelineItem]]] = []
    for item in ordered:
        bucket = text_bucket(item)
        if runs and runs[-1][0] == bucket:
            runs[-1][1].append(item)
        else:
            runs.append((bucket, [item]))
    return runs


def bucket_label(year: int, month: int) -> str:
    return f"{MONTHS[month]} {year}" if month else f"{year}, month not known"


def timeline_text(
    items: Sequence[TimelineItem], groups: Sequence[Group], prefix: str, *, open_: bool = False
) -> str:
    """Text equivalent: every event in story order, filed under its month, or under its
    year alone when that is all the sources give (never under a month they do not give).
    Month anchors serve the aggregated bars."""
    runs = text_runs(items)
    n = len(items)
    out = [
        f'<details class="dossier-fig-text"{" open" if open_ else ""}>'
        f"<summary>The timeline as text ({n} event{'s' if n != 1 else ''})</summary>",
        '<ul class="dossier-fig-months">',
    ]
    seen: Counter[str] = Counter()
    for (year, month), run in runs:
        anchor = f"{prefix}-m{year:04d}-{month:02d}" if month else f"{prefix}-m{year:04d}-xx"
        seen[anchor] += 1
        if seen[anchor] > 1:
            anchor += f"-{seen[anchor]}"
        out.append(
            f'<li id="{anchor}">'
            f'<span class="dossier-fig-month">{esc(bucket_label(year, month))}</span><ul>'
        )
        for item in run:
            status = item.status if item.status in STATUSES else "occurred"
            bits = [esc(item.label_date)]
            if groups or item.group:
                bits.append(esc(label_of(item.group, groups)))
            bits.append(esc(STATUS_WORDS[status]))
            name = esc(item.title)
            if item.url:
                name = f'<a href="{esc(item.url)}">{name}</a>'
            out.append(f'<li>{name} <span class="dossier-fig-meta">({"; ".join(bits)})</span></li>')
        out.append("</ul></li>")
    out.append("</ul></details>")
    return "".join(out)


def era_panels(
    items: Sequence[TimelineItem], width: float, max_lanes: int
) -> list[tuple[int, int, list[TimelineItem]]]:
    """Consecutive years merged greedily into panels that can each be drawn event by event.

    A year too dense on its own gets a panel of its own (aggregated by month there).
    """
    by_year: dict[int, list[TimelineItem]] = defaultdict(list)
    for item in items:
        by_year[item.start.year].append(item)
    panels: list[tuple[int, int, list[TimelineItem]]] = []
    for year in sorted(by_year):
        if panels:
            first, _, current = panels[-1]
            merged = current + by_year[year]
            domain = (date(first, 1, 1), date(year, 12, 31))
            trial = timeline_layout(merged, width=width, domain=domain, max_lanes=max_lanes)
            if trial.mode == "detail":
                panels[-1] = (first, year, merged)
                continue
        panels.append((year, year, list(by_year[year])))
    return panels


def timeline_figure(
    items: Sequence[TimelineItem],
    *,
    groups: Sequence[Group] = (),
    fig_id: str = "dossier-timeline",
    title: str = "Timeline of events",
    caption: str = "",
    width: float = 720,
    max_lanes: int = 24,
) -> str:
    """Complete HTML figure: the SVG, per-year zoom panels when aggregated, and a text list."""
    fig_id = safe_id(fig_id)
    if not items:
        return (
            f'<figure class="dossier-figure dossier-timeline" id="{fig_id}">'
            f"<figcaption>{esc(caption or title)}: no events to show.</figcaption></figure>"
        )
    overview = timeline_svg(
        items,
        width=width,
        groups=groups,
        fig_id=f"{fig_id}-svg",
        title=title,
        max_lanes=max_lanes,
        link_prefix=fig_id,
    )
    out = [
        f'<figure class="dossier-figure dossier-timeline" id="{fig_id}">',
        HINT,
        f'<div class="dossier-fig-scroll" tabindex="0" role="region" '
        f'aria-label="{esc(title)} (scrolls sideways)">{overview}</div>',
    ]
    layout = timeline_layout(items, width=width, max_lanes=max_lanes)
    if layout.mode == "aggregate" and layout.unit == "year":
        for first_year, last_year, panel_items in era_panels(items, width, max_lanes):
            span = str(first_year) if first_year == last_year else f"{first_year}–{last_year}"
            panel = timeline_svg(
                panel_items,
                width=width,
                groups=groups,
                fig_id=f"{fig_id}-svg-{first_year}",
                title=f"{title}: {span}",
                domain=(date(first_year, 1, 1), date(last_year, 12, 31)),
                max_lanes=max_lanes,
                link_prefix=fig_id,
            )
            n = len(panel_items)
            anchors = "".join(
                f'<span id="{fig_id}-y{year}"></span>'
                for year in sorted({it.start.year for it in panel_items})
            )
            out.append(
                f'<div class="dossier-fig-zoom">{anchors}'
                f'<p class="dossier-fig-zoom-title">{span} in detail ({n} event'
                f"{'s' if n != 1 else ''})</p>"
                f'<div class="dossier-fig-scroll" tabindex="0" role="region" '
                f'aria-label="{esc(title)}: {span} (scrolls sideways)">{panel}</div></div>'
            )
    if caption:
        out.append(f"<figcaption>{esc(caption)}</figcaption>")
    out.append(timeline_text(items, groups, fig_id))
    out.append("</figure>")
    return "".join(out)


# --------------------------------------------------------------------------- role strips


def observation_items(observations: Sequence[Observation]) -> list[TimelineItem]:
    items = []
    for i, obs in enumerate(observations):
        label = f"{obs.title}, {obs.organization}" if obs.organization else obs.title
        items.append(
            TimelineItem(
                id=f"role-{i}",
                title=label,
                url=obs.url,
                start=obs.start,
                end=obs.end,
                status="occurred",
                group="",
                date_label=obs.date_label,
            )
        )
    return items


def role_strip_svg(
    observations: Sequence[Observation],
    *,
    width: float = 560,
    fig_id: str = "dossier-roles",
    title: str = "Roles observed in the sources",
) -> str:
    """Small time axis with one mark per dated role observation.

    Observations within one year get an axis of just the months around them, so the marks
    are in view on a phone without scrolling.
    """
    items = observation_items(observations)
    first, last = year_domain(items)
    if items and first.year == last.year:
        lo = min(it.start for it in items).month
        hi = max(it.end for it in items).month
        first = date(first.year, max(1, lo - 1), 1)
        last = last_of_month(last.year, min(12, hi + 1))
    fig_id = safe_id(fig_id)
    layout = timeline_layout(items, width=width, domain=(first, last), max_lanes=8)
    index: dict[str, int] = {}
    top = AXIS_H
    out, body_h = plot_body(layout, (), index, top, fig_id)
    height = top + body_h + 8
    n = len(items)
    desc = (
        f"{n} role observation{'s' if n != 1 else ''}: each mark is the date of a source that "
        "gives the title, not the start or end of a tenure. Listed as text after the figure."
    )
    head = svg_open(fig_id, width, height, title, desc, "dossier-roles", interactive=has_links(out))
    return "".join([head, *out, "</svg>"])


def role_strip_figure(
    observations: Sequence[Observation],
    *,
    fig_id: str = "dossier-roles",
    title: str = "Roles observed in the sources",
    width: float = 560,
) -> str:
    """HTML figure with the role strip and its text equivalent."""
    fig_id = safe_id(fig_id)
    if not observations:
        return ""
    svg = role_strip_svg(observations, width=width, fig_id=f"{fig_id}-svg", title=title)
    rows = []
    for obs in sorted(observations, key=lambda o: (o.start, o.title)):
        when = obs.date_label or format_span(obs.start, obs.end)
        what = esc(obs.title) + (f", {esc(obs.organization)}" if obs.organization else "")
        if obs.url:
            what = f'<a href="{esc(obs.url)}">{what}</a>'
        rows.append(f"<li>{what}: observed {esc(when)}</li>")
    return (
        f'<figure class="dossier-figure dossier-role-strip" id="{fig_id}">{HINT}'
        f'<div class="dossier-fig-scroll" tabindex="0" role="region" '
        f'aria-label="{esc(title)} (scrolls sideways)">{svg}</div>'
        f'<details class="dossier-fig-text"><summary>The roles as text ({len(rows)})</summary>'
        f"<ul>{''.join(rows)}</ul></details></figure>"
    )


# --------------------------------------------------------------------------- matrix

#: Above this many cells (involved actors x involved agreements) the matrix is shown as
#: one list per agreement. A full table costs a cell per pair, most of them empty once a
#: dataset has hundreds of actors; the lists cost one entry per pair that has events.
#: 2,000 cells is about 50 actors by 40 agreements, already more than a reader can scan
#: across, and about 250 kB of HTML; the GSOMIA site (480 cells) stays a table.
MATRIX_MAX_CELLS = 2000


def _event_items(events: Sequence[Link]) -> str:
    return "".join(
        f'<li><a href="{esc(ev.url)}" title="{esc(ev.label)}">'
        f"{esc(ev.date_label or ev.label)}"
        f'<span class="dossier-sr">: {esc(ev.label)}</span></a></li>'
        if ev.date_label
        else f'<li><a href="{esc(ev.url)}">{esc(ev.label)}</a></li>'
        for ev in events
    )


def involvement_matrix(
    actors: Sequence[Link],
    agreements: Sequence[Link],
    links: Mapping[tuple[str, str], Sequence[Link]],
    *,
    table_id: str = "dossier-involvement",
    caption: str = "Who was involved in what: actors by agreement",
    max_cells: int = MATRIX_MAX_CELLS,
) -> str:
    """HTML table, actors by agreements; each cell links to the events connecting them.

    ``links`` is keyed by (actor id, agreement id). Actors and agreements without any link
    are left out so the table shows involvement only. When the remaining table would have
    more than ``max_cells`` cells, :func:`involvement_lists` shows the same links instead.
    """
    table_id = safe_id(table_id)
    # From the pairs that have events, so that the work grows with them, not actors x agreements.
    actor_ids = {a.id for a in actors}
    agreement_ids = {g.id for g in agreements}
    pairs = [(a, g) for (a, g), events in links.items() if events]
    involved_actors = {a for a, g in pairs if g in agreement_ids}
    involved_agreements = {g for a, g in pairs if a in actor_ids}
    rows = [a for a in actors if a.id in involved_actors]
    agreements = [g for g in agreements if g.id in involved_agreements]
    if len(rows) * len(agreements) > max_cells:
        return involvement_lists(rows, agreements, links, list_id=table_id, caption=caption)
    out = [
        f'<div class="dossier-fig-scroll dossier-matrix-wrap" tabindex="0" role="region" '
        f'aria-labelledby="{table_id}-caption">',
        f'<table class="dossier-matrix" id="{table_id}">',
        f'<caption id="{table_id}-caption">{esc(caption)}</caption>',
        '<thead><tr><th scope="col">Actor</th>',
    ]
    for agreement in agreements:
        out.append(
            f'<th scope="col"><a href="{esc(agreement.url)}">{esc(agreement.label)}</a></th>'
        )
    out.append("</tr></thead><tbody>")
    for actor in rows:
        out.append(f'<tr><th scope="row"><a href="{esc(actor.url)}">{esc(actor.label)}</a></th>')
        for agreement in agreements:
            events = list(links.get((actor.id, agreement.id), ()))
            if not events:
                out.append(
                    f'<td class="dossier-matrix-empty"><span class="dossier-sr">'
                    f"{esc(actor.label)}: no events for {esc(agreement.label)}</span></td>"
                )
                continue
            out.append(
                f'<td><span class="dossier-matrix-n">{len(events)}</span>'
                f'<ul class="dossier-matrix-events">{_event_items(events)}</ul></td>'
            )
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def involvement_lists(
    actors: Sequence[Link],
    agreements: Sequence[Link],
    links: Mapping[tuple[str, str], Sequence[Link]],
    *,
    list_id: str = "dossier-involvement",
    caption: str = "Who was involved in what: actors by agreement",
) -> str:
    """The involvement matrix as one list per agreement, naming only its involved actors.

    Agreements keep the order of ``agreements`` and actors the order of ``actors``; an actor
    or agreement without events is left out. The size grows with the (actor, agreement)
    pairs that have events and their events, never with actors x agreements.
    """
    list_id = safe_id(list_id)
    actor_pos = {a.id: i for i, a in enumerate(actors)}
    agreement_pos = {g.id: i for i, g in enumerate(agreements)}
    by_agreement: dict[str, list[tuple[int, Link, Sequence[Link]]]] = defaultdict(list)
    for (actor_id, agreement_id), events in links.items():
        pos = actor_pos.get(actor_id)
        if events and pos is not None and agreement_id in agreement_pos:
            by_agreement[agreement_id].append((pos, actors[pos], events))
    shown = [g for g in agreements if g.id in by_agreement]
    n_actors = len({a for entries in by_agreement.values() for _, a, _ in entries})
    n_pairs = sum(len(entries) for entries in by_agreement.values())
    cells = n_actors * len(shown)
    out = [
        f'<div class="dossier-matrix-wrap dossier-matrix-lists" id="{list_id}" role="region" '
        f'aria-labelledby="{list_id}-caption">',
        f'<p class="dossier-matrix-caption" id="{list_id}-caption">{esc(caption)}</p>',
        f'<p class="dossier-matrix-note">Listed by agreement instead of as a table: '
        f"{n_actors:,} actors by {len(shown):,} agreements would make {cells:,} cells, "
        f"of which only {n_pairs:,} have events.</p>",
        '<ul class="dossier-matrix-agreements">',
    ]
    for agreement in shown:
        entries = sorted(by_agreement[agreement.id], key=lambda entry: entry[0])
        count = f"{len(entries)} actor{'s' if len(entries) != 1 else ''}"
        out.append(
            f'<li><a href="{esc(agreement.url)}">{esc(agreement.label)}</a> '
            f'<span class="dossier-matrix-count">({count})</span>'
            '<ul class="dossier-matrix-actors">'
        )
        for _, actor, events in entries:
            noun = "event" if len(events) == 1 else "events"
            out.append(
                f'<li><a href="{esc(actor.url)}">{esc(actor.label)}</a> '
                f'<span class="dossier-matrix-n">{len(events)}'
                f'<span class="dossier-sr"> {noun}</span></span> '
                f'<ul class="dossier-matrix-events">{_event_items(events)}</ul></li>'
            )
        out.append("</ul></li>")
    out.append("</ul></div>")
    return "".join(out)
