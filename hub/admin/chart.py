"""A small inline SVG line chart (no JavaScript, no library): the ratings trend."""
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
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'aria-label="{escape(label)}">{grid}<polyline fill="none" stroke="#1d4f91" stroke-width="2" '
                  f'points="{line}"/>{dots}{ends}</svg>')
