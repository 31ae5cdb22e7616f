"""The portal's charts drawn on the server, without a browser, as SVG or PNG: for embeds, the
open data, slides and the reports.

`render_chart(figure, fmt)` takes exactly the plotly-style dict that `dashboards.charts`'
`build_<chart>_figure` functions return and draws it with matplotlib's object API (a
`matplotlib.figure.Figure` per call, Agg and SVG canvases, never pyplot's global state), keeping
the plotly look: the same colours, marker symbols, dash styles, the target star, axis titles,
number separators and legend; the title on top, the source line at the bottom.

Text: Noto Sans, with Noto Sans Arabic and Noto Sans CJK SC as per-glyph fallbacks (Debian's
fonts-noto-core and fonts-noto-cjk). Glyphs are embedded as paths, so the SVG looks the same
everywhere, and the SVG is deterministic (fixed ids, no date) so that it can be cached and
compared. In a right-to-left language the title, the source and the legend are mirrored; the
axes are not (the years run left to right, as on the HTML charts: static/css/portal.css keeps
`.chart-plot` left-to-right).

Maps (choropleth) are not drawn here: `render_chart` raises ValueError for them.
"""

import io
import math
import re
import threading
from pathlib import Path

import matplotlib
from matplotlib import font_manager, ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

FORMATS = ("svg", "png")
SUPPORTED_TRACES = ("scatter", "bar")

# One design unit for both formats: at 72 dots per inch a point is a pixel, so line widths and
# marker sizes read as plotly's pixels, and the PNG has exactly the asked size.
DPI = 72
FONT_SIZE = 13  # as charts._layout's font
TITLE_SIZE = 16
SOURCE_SIZE = 10
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#d9d9d9"

# Families in order of preference, each glyph taken from the first that has it (matplotlib's
# font fallback), as the HTML charts' CSS font stack does; DejaVu Sans last for the status
# icons (✔ ↗) that the Noto faces lack.
FONTS = {
    # family: (file name under /usr/share/fonts, Debian package)
    "Noto Sans": ("NotoSans-Regular.ttf", "fonts-noto-core"),
    "Noto Sans Arabic": ("NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    "Noto Sans CJK SC": ("NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
}
FAMILIES = [*FONTS, "DejaVu Sans"]
FONT_ROOT = Path("/usr/share/fonts")

# matplotlib lays text out with libraqm from 3.11 on: Arabic is shaped and ordered right to
# left by matplotlib itself, and shaping it beforehand would reverse it a second time.
NATIVE_SHAPING = matplotlib.__version_info__ >= (3, 11)
RTL_CHARACTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")

# rcParams are process-wide: rc_context() saves and restores them, and two threads inside it
# at once could restore each other's values. Only the SVG writer reads the settings below
# (svg.*), so only writing an SVG holds this lock; drawing and PNG run concurrently. The font
# manager's registry is process-wide too: fonts are registered once, under the same lock.
_RC_LOCK = threading.Lock()
SVG_RC = {
    "svg.fonttype": "path",  # glyphs as paths: identical in any viewer, no font needed
    "svg.hashsalt": "itu-rbm-static-charts",  # ids derived from content, not random
    "svg.id": None,
}
_fonts_checked = False

# plotly marker symbol -> (matplotlib marker, size factor: matplotlib's star and plus are
# drawn smaller than plotly's at the same size)
SYMBOLS = {
    "circle": ("o", 1.0),
    "square": ("s", 0.9),
    "diamond": ("D", 0.75),
    "triangle-up": ("^", 1.0),
    "triangle-down": ("v", 1.0),
    "cross": ("P", 1.0),
    "x": ("X", 1.0),
    "star": ("*", 1.35),
    "line-ns": ("|", 1.0),
}
DASHES = {"solid": "-", "dash": (0, (6, 3)), "dot": (0, (1.5, 2.5)), "dashdot": "-."}
PATTERNS = {"/": "//", "\\": "\\\\", "x": "xx", "-": "--", "|": "||", "+": "++", ".": ".."}


class MissingFont(RuntimeError):
    """A font the static charts need is not installed."""


def render_chart(
    figure: dict,
    fmt: str,
    *,
    title: str = "",
    source: str = "",
    width: int = 800,
    height: int = 450,
    language: str | None = None,
) -> bytes:
    """The figure drawn as an SVG or PNG image of width x height pixels, with the title on top
    and the source line at the bottom. `language` (a Django language code, default the active
    one) decides the direction of the layout. About 100-200 ms a chart: cache the result.

    Raises ValueError for an unknown format, a size out of bounds or a trace type not drawn
    here (maps), MissingFont when the Noto fonts are not installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown image format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if not (100 <= width <= 4000 and 100 <= height <= 4000):
        raise ValueError(f"Image size {width}x{height} out of bounds (100 to 4000 pixels).")
    traces = figure.get("data") or []
    for trace in traces:
        kind = trace.get("type", "scatter")
        if kind not in SUPPORTED_TRACES:
            raise ValueError(
                f"Trace type {kind!r} cannot be drawn as a static image "
                f"(supported: {', '.join(SUPPORTED_TRACES)})."
            )
    ensure_fonts()
    rtl = _is_rtl(language)
    chart = _Chart(figure, title=title, source=source, width=width, height=height, rtl=rtl)
    return chart.render(fmt)


# --- text ---------------------------------------------------------------------------------------


def shape_label(text: str, *, native: bool = NATIVE_SHAPING) -> str:
    """A label as the text renderer must receive it. matplotlib >= 3.11 shapes and orders
    Arabic itself (libraqm): the text goes as it is. An older matplotlib draws characters one by
    one, left to right: Arabic is then joined into its contextual forms (arabic-reshaper) and
    put in visual order (python-bidi)."""
    if native or not text or not RTL_CHARACTERS.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def _is_rtl(language: str | None) -> bool:
    from django.utils.translation import get_language, get_language_info

    code = language or get_language() or "en"
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return False


def font_file(family: str) -> Path:
    """The installed file of one of FONTS' families, or MissingFont naming its package."""
    name, package = FONTS[family]
    found = sorted(FONT_ROOT.rglob(name)) if FONT_ROOT.is_dir() else []
    if not found:
        raise MissingFont(
            f"Font {family!r} ({name}) not found under {FONT_ROOT}: "
            f"install the Debian package {package} (apt-get install {package})."
        )
    return found[0]


def ensure_fonts() -> None:
    """Check once that matplotlib finds every family of FONTS, registering the files of any it
    has not indexed (fonts installed after its font cache was built)."""
    global _fonts_checked
    if _fonts_checked:
        return
    with _RC_LOCK:
        if _fonts_checked:
            return
        for family in FONTS:
            try:
                font_manager.fontManager.findfont(
                    FontProperties(family=family), fallback_to_default=False
                )
            except ValueError:
                font_manager.fontManager.addfont(str(font_file(family)))
        _fonts_checked = True


def _font(size: float, weight: str = "normal") -> FontProperties:
    return FontProperties(family=FAMILIES, size=size, weight=weight)


# --- numbers ------------------------------------------------------------------------------------


def format_number(value: float, separators: str, decimals: int, *, grouping: bool) -> str:
    """A number as plotly writes it with the figure's `separators` (decimal then thousands):
    `decimals` digits after the point with trailing zeros trimmed, a true minus sign."""
    decimal_mark = separators[0] if separators else "."
    thousands = separators[1] if len(separators) > 1 else ","
    text = f"{abs(value):{',' if grouping else ''}.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)
    return f"−{text}" if value < 0 and text.strip("0" + decimal_mark) else text


class PlotlyFormatter(ticker.Formatter):
    """Tick labels as plotly's tickformat writes them: "d" whole numbers without grouping (the
    years), "," or none grouped thousands with as many decimals as the tick step needs."""

    def __init__(self, separators: str, tickformat: str | None):
        self.separators = separators
        self.whole = tickformat == "d"
        self.grouping = tickformat != "d"
        self.decimals = 0

    def format_ticks(self, values):
        if self.whole:
            self.decimals = 0
        else:
            self.decimals = max((_decimals_needed(v) for v in values), default=0)
        return [self(value) for value in values]

    def __call__(self, x, pos=None):
        if self.whole:
            x = round(x)
        return format_number(x, self.separators, self.decimals, grouping=self.grouping)


def _decimals_needed(value: float) -> int:
    for decimals in range(7):
        if abs(round(value, decimals) - value) < 1e-9 * max(1, abs(value)):
            return decimals
    return 6


# --- colours and markers ------------------------------------------------------------------------


def colour(value, default=INK):
    """A plotly colour (#rrggbb, rgb(), rgba(), a name) as matplotlib takes it."""
    if value is None:
        return default
    if isinstance(value, str):
        match = re.fullmatch(r"rgba?\(([^)]*)\)", value.strip())
        if match:
            parts = [float(p) for p in match.group(1).split(",")]
            red, green, blue = (p / 255 for p in parts[:3])
            return (red, green, blue, parts[3] if len(parts) > 3 else 1.0)
    return value


def marker_style(symbol: str | None) -> tuple[str, float, bool]:
    """(matplotlib marker, size factor, open) of a plotly symbol; "-open" draws the outline."""
    symbol = symbol or "circle"
    is_open = symbol.endswith("-open")
    base = symbol.removesuffix("-open")
    if base not in SYMBOLS:
        base = "circle"
    marker, factor = SYMBOLS[base]
    return marker, factor, is_open


def _gid(trace: dict, index: int) -> str:
    """The id of a trace's group in the SVG: its meta ("observed:WLD" -> "observed-WLD"),
    else its position."""
    meta = str(trace.get("meta") or f"trace-{index}")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", meta)


def _per_point(value, count: int) -> list:
    if isinstance(value, list | tuple):
        return list(value) + [value[-1] if value else None] * (count - len(value))
    return [value] * count


# --- the chart ----------------------------------------------------------------------------------


class _Chart:
    """One rendering: a Figure of its own, so that threads never share an artist."""

    def __init__(self, figure: dict, *, title, source, width, height, rtl):
        self.data = figure.get("data") or []
        self.layout = figure.get("layout") or {}
        self.title, self.source = title, source
        self.width, self.height, self.rtl = width, height, rtl
        self.separators = self.layout.get("separators") or ".,"
        self.legend_items: list[tuple[object, str]] = []
        self.categories = {"x": None, "y": None}

    def render(self, fmt: str) -> bytes:
        fig = Figure(figsize=(self.width / DPI, self.height / DPI), dpi=DPI)
        fig.patch.set_facecolor(self.layout.get("paper_bgcolor") or "#ffffff")
        # Agg measures the text for the layout; savefig draws the SVG with its own canvas
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_facecolor(self.layout.get("plot_bgcolor") or "#ffffff")
        self._category_axes()
        self._draw_traces(ax)
        self._style_axes(ax)
        self._frame(fig, ax, canvas)
        out = io.BytesIO()
        if fmt == "svg":
            with _RC_LOCK, matplotlib.rc_context(SVG_RC):
                fig.savefig(out, format="svg", dpi=DPI, metadata={"Date": None})
            return _svg_in_pixels(out.getvalue())
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()

    # categories ---------------------------------------------------------------------------------

    def _category_axes(self):
        """Text values on an axis (goals, objectives) become positions 0, 1, ... in the axis'
        categoryarray order, else in order of appearance, as plotly places them."""
        for axis in ("x", "y"):
            spec = self.layout.get(f"{axis}axis") or {}
            values = [v for trace in self.data for v in trace.get(axis) or []]
            if spec.get("type") != "category" and not any(isinstance(v, str) for v in values):
                continue
            order = list(spec.get("categoryarray") or [])
            for value in values:
                if value not in order:
                    order.append(value)
            self.categories[axis] = order

    def _positions(self, axis: str, values) -> list:
        order = self.categories[axis]
        if order is None:
            return [math.nan if v is None else v for v in values]
        return [order.index(v) for v in values]

    # traces -------------------------------------------------------------------------------------

    def _draw_traces(self, ax):
        bars = [t for t in self.data if t.get("type") == "bar"]
        stacks: dict = {}
        group_index = 0
        for index, trace in enumerate(self.data):
            if trace.get("type") == "bar":
                self._bar(ax, trace, index, stacks, group_index, len(bars))
                group_index += 1
            else:
                self._scatter(ax, trace, index)

    def _scatter(self, ax, trace: dict, index: int):
        gid = _gid(trace, index)
        xs = self._positions("x", trace.get("x") or [])
        ys = self._positions("y", trace.get("y") or [])
        mode = trace.get("mode") or ("lines+markers" if len(xs) < 20 else "lines")
        line = trace.get("line") or {}
        marker = trace.get("marker") or {}
        line_colour = colour(line.get("color") or marker.get("color"))
        handle_line = None
        if "lines" in mode and len(xs) > 1:
            (handle_line,) = ax.plot(
                xs,
                ys,
                color=line_colour,
                linewidth=line.get("width", 2),
                linestyle=DASHES.get(line.get("dash") or "solid", "-"),
                gid=f"{gid}-line",
                zorder=2,
            )
        handle_marker = None
        if "markers" in mode:
            handle_marker = self._markers(ax, trace, xs, ys, gid)
        if "text" in mode and trace.get("text"):
            self._point_texts(ax, trace, xs, ys)
        legend_line = None
        if handle_marker is not None or handle_line is not None:
            symbol, factor, is_open = marker_style(marker.get("symbol"))
            sizes = [s for s in _per_point(marker.get("size", 6), 1) if s] or [6]
            size = [s for s in _per_point(marker.get("size", 6), len(xs) or 1) if s]
            fill = colour(marker.get("color"), line_colour)
            legend_line = Line2D(
                [],
                [],
                color=line_colour,
                linewidth=line.get("width", 2) if handle_line is not None else 0,
                linestyle=DASHES.get(line.get("dash") or "solid", "-"),
                marker=symbol if handle_marker is not None else None,
                markersize=min(max(size or sizes), 12) * factor,
                markerfacecolor="none" if is_open else fill,
                markeredgecolor=fill,
            )
        self._add_legend(trace, legend_line)

    def _markers(self, ax, trace, xs, ys, gid):
        marker = trace.get("marker") or {}
        symbol, factor, is_open = marker_style(marker.get("symbol"))
        count = len(xs)
        sizes = _per_point(marker.get("size", 6), count)
        fills = _per_point(colour(marker.get("color")), count)
        edge = marker.get("line") or {}
        edge_width = edge.get("width", 2 if is_open else 0)
        edge_colour = colour(edge.get("color")) if edge.get("color") else None
        points = [
            (x, y, size, fill)
            for x, y, size, fill in zip(xs, ys, sizes, fills, strict=True)
            if size and y is not None and not (isinstance(y, float) and math.isnan(y))
        ]
        if not points:
            return None
        return ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=[(p[2] * factor) ** 2 for p in points],
            marker=symbol,
            c=["none" if is_open else p[3] for p in points] if symbol not in "|" else None,
            edgecolors=[edge_colour or p[3] for p in points],
            linewidths=max(edge_width, 1.5 if is_open or symbol == "|" else 0),
            gid=f"{gid}-markers",
            zorder=3,
            clip_on=False,
        )

    def _point_texts(self, ax, trace, xs, ys):
        position = trace.get("textposition") or "top center"
        size = ((trace.get("marker") or {}).get("size") or 8) / 2 + 4
        offset = size if position.startswith("top") else -size
        for x, y, text in zip(xs, ys, trace["text"], strict=False):
            ax.annotate(
                shape_label(str(text)),
                (x, y),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                va="bottom" if offset > 0 else "top",
                fontproperties=_font(FONT_SIZE - 1),
                color=INK,
                annotation_clip=False,
            )

    def _bar(self, ax, trace, index, stacks, group_index, group_size):
        gid = _gid(trace, index)
        horizontal = trace.get("orientation") == "h"
        values = [v or 0 for v in (trace.get("x") if horizontal else trace.get("y")) or []]
        places = self._positions(
            "y" if horizontal else "x", (trace.get("y") if horizontal else trace.get("x")) or []
        )
        places = [0 if isinstance(p, float) and math.isnan(p) else p for p in places]
        mode = self.layout.get("barmode") or "group"
        widths = _per_point(trace.get("width"), len(values))
        width = 0.8
        offsets = [0.0] * len(values)
        if mode == "group" and group_size > 1:
            width = 0.8 / group_size
            offsets = [(group_index - (group_size - 1) / 2) * width] * len(values)
        thickness = [w if w else width for w in widths]
        starts = [0.0] * len(values)
        if mode == "stack":
            starts = [stacks.get(p, 0.0) for p in places]
            for place, value, start in zip(places, values, starts, strict=True):
                stacks[place] = start + value
        marker = trace.get("marker") or {}
        fill = colour(marker.get("color"), "#0b5394")
        edge = marker.get("line") or {}
        pattern = (marker.get("pattern") or {}).get("shape") or ""
        hatch = PATTERNS.get(pattern)
        centres = [p + o for p, o in zip(places, offsets, strict=True)]
        draw = ax.barh if horizontal else ax.bar
        extent = {"height": thickness, "left": starts} if horizontal else {"width": thickness}
        if not horizontal:
            extent["bottom"] = starts
        container = draw(
            centres,
            values,
            color=fill,
            edgecolor=colour(edge.get("color")) if edge.get("color") else "#ffffff",
            linewidth=edge.get("width", 1 if hatch else 0),
            hatch=hatch,
            zorder=2,
            **extent,
        )
        # one id per bar: SVG ids are unique
        for number, patch in enumerate(container.patches):
            patch.set_gid(f"{gid}-bar-{number}")
        texts = trace.get("text")
        if texts and trace.get("textposition", "inside") in ("inside", "auto"):
            text_colour = colour((trace.get("textfont") or {}).get("color"), "#ffffff")
            for centre, start, value, text in zip(centres, starts, values, texts, strict=False):
                if not text or not value:
                    continue
                middle = start + value / 2
                xy = (middle, centre) if horizontal else (centre, middle)
                ax.text(
                    *xy,
                    shape_label(str(text)),
                    ha="center",
                    va="center",
                    color=text_colour,
                    fontproperties=_font(FONT_SIZE - 1),
                    zorder=4,
                )
        handle = container.patches[0] if container.patches else None
        self._add_legend(trace, handle)

    def _add_legend(self, trace, handle):
        if handle is not None and trace.get("name") and trace.get("showlegend", True):
            self.legend_items.append((handle, shape_label(str(trace["name"]))))

    # axes ---------------------------------------------------------------------------------------

    def _style_axes(self, ax):
        for name in ("top", "right", "left", "bottom"):
            ax.spines[name].set_visible(False)
        ax.tick_params(
            length=0,
            labelsize=FONT_SIZE - 1,
            labelcolor=INK,
            labelfontfamily=FAMILIES,
            pad=6,
        )
        ax.set_axisbelow(True)
        for axis in ("x", "y"):
            self._style_axis(ax, axis)

    def _style_axis(self, ax, axis: str):
        spec = self.layout.get(f"{axis}axis") or {}
        which = ax.xaxis if axis == "x" else ax.yaxis
        if spec.get("visible") is False:
            which.set_visible(False)
        grid = spec.get("gridcolor", GRID)
        show_grid = spec.get("showgrid", True) and colour(grid) != (0.0, 0.0, 0.0, 0.0)
        if show_grid and spec.get("visible") is not False:
            ax.grid(True, axis=axis, color=colour(grid), linewidth=1, zorder=0)
        else:
            ax.grid(False, axis=axis)
        order = self.categories[axis]
        if order is not None:
            which.set_major_locator(ticker.FixedLocator(range(len(order))))
            which.set_major_formatter(
                ticker.FixedFormatter([shape_label(str(label)) for label in order])
            )
            limits = (-0.5, len(order) - 0.5)
        else:
            which.set_major_formatter(PlotlyFormatter(self.separators, spec.get("tickformat")))
            which.set_major_locator(self._locator(spec, axis))
            limits = None
        if spec.get("range"):
            limits = tuple(spec["range"])
        if limits is not None:
            (ax.set_xlim if axis == "x" else ax.set_ylim)(*limits)
        elif axis == "y" and spec.get("rangemode") == "tozero":
            low, high = ax.get_ylim()
            ax.set_ylim(min(0, low), max(0, high))
        elif axis == "x" and spec.get("rangemode") == "tozero":
            low, high = ax.get_xlim()
            ax.set_xlim(min(0, low), max(0, high))
        if spec.get("autorange") == "reversed":
            (ax.invert_xaxis if axis == "x" else ax.invert_yaxis)()
        if spec.get("tickvals"):
            which.set_major_locator(ticker.FixedLocator(spec["tickvals"]))
        if axis == "x" and spec.get("side") == "top":
            which.tick_top()
        title = spec.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        if text:
            setter = ax.set_xlabel if axis == "x" else ax.set_ylabel
            setter(shape_label(str(text)), fontproperties=_font(FONT_SIZE), color=INK)

    def _locator(self, spec: dict, axis: str):
        length = self.width if axis == "x" else self.height
        bins = max(3, min(spec.get("nticks") or 8, int(length / 70)))
        dtick = spec.get("dtick")
        if dtick and spec.get("range"):
            low, high = spec["range"]
            if (high - low) / dtick <= length / 45:
                return ticker.MultipleLocator(dtick)
        return ticker.MaxNLocator(
            nbins=bins, integer=bool(dtick) or spec.get("tickformat") == "d", min_n_ticks=2
        )

    # frame: title, legend, source ---------------------------------------------------------------

    def _frame(self, fig, ax, canvas):
        side, anchor = (1 - 12 / self.width, "right") if self.rtl else (12 / self.width, "left")
        top = 0
        if self.title:
            fig.text(
                side,
                1 - 10 / self.height,
                shape_label(self.title),
                ha=anchor,
                va="top",
                fontproperties=_font(TITLE_SIZE, "bold"),
                color=INK,
                gid="chart-title",
                wrap=True,
            )
            top = 10 + TITLE_SIZE * 1.6
        bottom = 6
        if self.source:
            fig.text(
                side,
                6 / self.height,
                shape_label(self.source),
                ha=anchor,
                va="bottom",
                fontproperties=_font(SOURCE_SIZE),
                color=MUTED,
                gid="chart-source",
            )
            bottom += SOURCE_SIZE * 1.6
        legend_height = 0
        if self.legend_items and self.layout.get("showlegend", len(self.legend_items) > 1):
            legend = self._legend(fig, canvas, side, anchor, bottom)
            legend_height = legend.get_window_extent(canvas.get_renderer()).height + 4
        # the plot takes the rest, its tick labels and axis titles measured
        fig.subplots_adjust(
            left=0.1, right=0.97, top=1 - top / self.height if top else 0.96, bottom=0.2
        )
        renderer = canvas.get_renderer()
        outer = ax.get_tightbbox(renderer)
        inner = ax.get_window_extent(renderer)
        pad = 8
        left = (inner.x0 - outer.x0) + pad
        right = (outer.x1 - inner.x1) + pad + 4
        below = (inner.y0 - outer.y0) + pad
        above = (outer.y1 - inner.y1) + pad
        plot_top = self.height - max(top, 8) - above
        plot_bottom = bottom + legend_height + below
        if plot_top - plot_bottom < 40 or self.width - left - right < 80:
            raise ValueError(f"Image size {self.width}x{self.height} too small for this chart.")
        fig.subplots_adjust(
            left=left / self.width,
            right=1 - right / self.width,
            top=plot_top / self.height,
            bottom=plot_bottom / self.height,
        )

    def _legend(self, fig, canvas, side, anchor, bottom):
        """A plotly-like horizontal legend under the plot, read in rows, as many entries a row as
        fit; in a right-to-left language it starts on the right, the marker after the words."""
        renderer = canvas.get_renderer()
        count = len(self.legend_items)
        legend = None
        for columns in range(count, 0, -1):
            if legend is not None:
                legend.remove()
            handles, labels = self._legend_order(columns)
            legend = fig.legend(
                handles,
                labels,
                loc=f"lower {anchor}",
                bbox_to_anchor=(side, bottom / self.height),
                ncols=columns,
                frameon=False,
                prop=_font(FONT_SIZE - 1),
                markerfirst=not self.rtl,
                alignment=anchor,
                handlelength=2.2,
                columnspacing=1.4,
                borderaxespad=0,
                borderpad=0,
                scatterpoints=1,
            )
            legend.set_gid("legend")
            if legend.get_window_extent(renderer).width <= self.width - 24:
                break
        return legend

    def _legend_order(self, columns: int):
        """The entries in the order matplotlib fills a legend (column by column, the first
        columns taking one more when the last row is short) so that they read row by row, from
        the right in a right-to-left language."""
        count = len(self.legend_items)
        rows = math.ceil(count / columns)
        order = []
        for column in range(columns):
            for row in range(rows):
                in_row = min(columns, count - row * columns)
                if column < in_row:
                    logical = in_row - 1 - column if self.rtl else column
                    order.append(row * columns + logical)
        items = [self.legend_items[i] for i in order]
        return [item[0] for item in items], [item[1] for item in items]


def _svg_in_pixels(svg: bytes) -> bytes:
    """matplotlib sizes the SVG in points; at 72 dpi a point is one of our pixels, and "800pt"
    would show 4/3 larger in a browser than the PNG: the root's size is given in pixels."""
    head, rest = svg.split(b"<svg", 1)
    tag, tail = rest.split(b">", 1)
    tag = re.sub(rb'(width|height)="([0-9.]+)pt"', rb'\1="\2"', tag)
    return head + b"<svg" + tag + b">" + tail
