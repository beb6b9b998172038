"""Charts as static inline SVG: no script, no external reference, the same bytes on every run.

The report's charts are drawn by pygal. pygal adds a tooltip script, generator comments with today's date
and a random chart id; all three are removed or fixed here, so a chart is plain SVG that renders offline and
reproducibly. A scorecard's dimension bars are a small SVG drawn here in pygal's style: pygal takes about
30 ms a chart, which for 937 scorecards would be half the publish budget. Labels come from the frameworks
and the report's data (never from crawled text), and are XML-escaped anyway.
"""

from __future__ import annotations

import re
from html import escape
from xml.etree import ElementTree as ET

import pygal
from pygal.style import Style

FONT = '"WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
COLORS = ("#b0191e", "#d9822b", "#2f6f9f", "#4c9a5b", "#7a5195", "#57606a")
STYLE = Style(
    font_family=FONT, background="transparent", plot_background="transparent", foreground="#1f2328",
    foreground_strong="#1f2328", foreground_subtle="#8c959f", colors=COLORS, label_font_size=12,
    major_label_font_size=12, legend_font_size=12, title_font_size=14, value_font_size=11,
    tooltip_font_size=12,
)
_SPACES = re.compile(r">\s+<")


def _clean(chart, chart_id: str) -> str:
    chart.uuid = chart_id  # pygal's random uuid names the CSS scope; a stable one keeps bytes stable
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag is ET.Comment or child.tag == "script":
                parent.remove(child)
    svg = ET.tostring(tree, encoding="unicode")
    return _SPACES.sub("><", svg)


def _config(**kw) -> dict:
    return {"style": STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": False,
            "print_values": False, "show_y_guides": True, "legend_at_bottom": True, "truncate_label": -1,
            "truncate_legend": -1, **kw}


def regional(chart_id: str, dimensions: list[str], series: list[tuple[str, list[float | None]]],
             title: str = "") -> str:
    """Grouped bars: per dimension, one bar per region (score rate in %)."""
    chart = pygal.Bar(**_config(width=900, height=380, range=(0, 100), y_title="得分率（%）",
                                x_label_rotation=0, legend_at_bottom_columns=len(series)))
    chart.title = title or None
    chart.x_labels = dimensions
    for name, values in series:
        chart.add(name, [None if v is None else round(v, 1) for v in values])
    return _clean(chart, chart_id)


def distribution(chart_id: str, bins: list[str], counts: list[int], title: str = "") -> str:
    top = max(counts) if counts else 0
    step = max(1, -(-top // 5))
    chart = pygal.Bar(**_config(width=520, height=260, show_legend=False, y_title="网站数", print_values=True,
                                y_labels=list(range(0, top + step + 1, step))))
    chart.title = title or None
    chart.x_labels = bins
    chart.add("网站数", counts)
    return _clean(chart, chart_id)


def breakdown(chart_id: str, dimensions: list[str], site: list[float], average: list[float] | None,
              site_label: str = "本网站", average_label: str = "同组平均") -> str:
    """Horizontal bars: the site's score rate per dimension (0-100 %), beside its group's average."""
    left, width, row, bar = 120, 560, 44, 15
    top = 12
    height = top + row * len(dimensions) + 58
    x = lambda v: left + width * max(0.0, min(100.0, v)) / 100.0  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{escape(chart_id)}" class="bars" '
             f'viewBox="0 0 {left + width + 70} {height}" role="img" aria-label="一级指标得分率" '
             f'font-family=\'{FONT}\' font-size="12">']
    for tick in range(0, 101, 20):
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{top + row * len(dimensions)}" '
                     f'stroke="#d0d7de" stroke-dasharray="3,3"/><text x="{x(tick):.1f}" '
                     f'y="{top + row * len(dimensions) + 14}" text-anchor="middle" fill="#57606a">{tick}</text>')
    for i, title in enumerate(dimensions):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + bar + 4}" text-anchor="end" fill="#1f2328">{escape(title)}</text>')
        parts.append(_bar(left, y + 2, x(site[i]) - left, bar, COLORS[0], f"{site[i]:.1f}%"))
        if average is not None:
            parts.append(_bar(left, y + 2 + bar + 2, x(average[i]) - left, bar - 4, COLORS[1], f"{average[i]:.1f}%"))
    legend_y = top + row * len(dimensions) + 36
    parts.append(f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="{COLORS[0]}"/>'
                 f'<text x="{left + 18}" y="{legend_y}" fill="#1f2328">{escape(site_label)}</text>')
    if average is not None:
        parts.append(f'<rect x="{left + 200}" y="{legend_y - 10}" width="12" height="12" fill="{COLORS[1]}"/>'
                     f'<text x="{left + 218}" y="{legend_y}" fill="#1f2328">{escape(average_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar(x0: float, y: float, w: float, h: float, color: str, label: str) -> str:
    return (f'<rect x="{x0}" y="{y}" width="{max(w, 0.0):.1f}" height="{h}" fill="{color}" fill-opacity=".85">'
            f'<title>{escape(label)}</title></rect><text x="{x0 + max(w, 0.0) + 4:.1f}" y="{y + h - 3}" '
            f'fill="#57606a" font-size="11">{escape(label)}</text>')
