"""Small inline SVG charts (no JavaScript, no library, printable): a trend line, a heat map, grouped bars."""
from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 600, 180, 28


def trend_svg(points, *, start, end, low=1, high=5, label=""):
    """An SVG line of daily (date, value) *points* placed by date on the period *start*..*end*.

    Values are scaled between *low* and *high*; the axis is labelled with the period's ends, so a period
    with few rated days still shows where in it they fall.
    """
    if not points:
        return Markup("")
    days = max((end - start).days, 1)

    def x(day):
        return PAD + (day - start).days / days * (WIDTH - 2 * PAD)

    def y(value):
        return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)

    coords = [(x(day), y(value)) for day, value in points]
    grid = "".join(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#dde2e8"/>'
                   f'<text x="4" y="{y(v) + 4:.1f}" font-size="11" fill="#5b6472">{v}</text>'
                   for v in range(low, high + 1))
    line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    dots = "".join(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="#1d4f91"><title>{day.isoformat()}: {value:.2f}'
                   f"</title></circle>" for (cx, cy), (day, value) in zip(coords, points))
    ends = (f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="11" fill="#5b6472">{start.isoformat()}</text>'
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" font-size="11" fill="#5b6472" text-anchor="end">'
            f"{end.isoformat()}</text>")
    return _svg(WIDTH, HEIGHT, label, f'{grid}<polyline fill="none" stroke="#1d4f91" stroke-width="2" '
                                      f'points="{line}"/>{dots}{ends}')


def _svg(width, height, label, body):
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
                  f'aria-label="{escape(label)}">{body}</svg>')


def heatmap_svg(rows, columns, values, *, label="", unit=""):
    """A grid of *rows* (labels) × *columns* (labels), each cell shaded by ``values[(row, column)]``
    (darker is more; a blank cell is none), with the value in its tooltip."""
    top, left, cell, row_h = 22, 150, 34, 22
    most = max(values.values(), default=0) or 1
    width, height = left + cell * len(columns) + 4, top + row_h * len(rows) + 4
    parts = [f'<text x="{left + i * cell + cell / 2:.1f}" y="14" font-size="11" fill="#5b6472" '
             f'text-anchor="middle">{escape(c)}</text>' for i, c in enumerate(columns)]
    for j, row in enumerate(rows):
        y = top + j * row_h
        parts.append(f'<text x="{left - 6}" y="{y + 15}" font-size="12" fill="#1f2933" text-anchor="end">'
                     f'{escape(row)}</text>')
        for i, column in enumerate(columns):
            value = values.get((row, column), 0)
            shade = f"rgba(192,57,43,{0.12 + 0.88 * value / most:.2f})" if value else "#f3f5f8"
            parts.append(f'<rect x="{left + i * cell}" y="{y}" width="{cell - 2}" height="{row_h - 2}" fill="{shade}" '
                         f'data-value="{value:g}"><title>{escape(row)} {escape(column)}: {value:g} {escape(unit)}'
                         f'</title></rect>')
    return _svg(width, height, label, "".join(parts))


def bars_svg(labels, series, *, label=""):
    """Grouped bars: for each of *labels*, one bar per ``(name, colour, values)`` of *series*, with a legend."""
    height, pad, top = 200, 28, 24
    group = max(18, 14 * len(series))
    width = pad * 2 + group * len(labels)
    most = max((v for _, _, values in series for v in values), default=0) or 1
    parts = [f'<rect x="{pad + k * 110}" y="4" width="10" height="10" fill="{colour}"/>'
             f'<text x="{pad + k * 110 + 14}" y="13" font-size="11" fill="#1f2933">{escape(name)}</text>'
             for k, (name, colour, _) in enumerate(series)]
    bar = (group - 4) / len(series)
    for i, text in enumerate(labels):
        x = pad + i * group
        for k, (name, colour, values) in enumerate(series):
            h = (height - pad - top) * values[i] / most
            parts.append(f'<rect x="{x + k * bar:.1f}" y="{height - pad - h:.1f}" width="{bar - 1:.1f}" '
                         f'height="{h:.1f}" fill="{colour}" data-value="{values[i]}"><title>{escape(text)} '
                         f'{escape(name)}: {values[i]}</title></rect>')
        if len(labels) <= 16 or i % max(1, len(labels) // 8) == 0:
            parts.append(f'<text x="{x + group / 2:.1f}" y="{height - 8}" font-size="10" fill="#5b6472" '
                         f'text-anchor="middle">{escape(text)}</text>')
    return _svg(width, height, label, "".join(parts))
