"""A small inline SVG line chart (no JavaScript, no library): the ratings trend."""
from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 600, 180, 28


def trend_svg(points, *, low=1, high=5, label=""):
    """An SVG polyline of (x label, value) *points*; values scaled between *low* and *high*."""
    if not points:
        return Markup("")
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(value):
        return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)

    coords = [(PAD + i * step, y(value)) for i, (_, value) in enumerate(points)]
    grid = "".join(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#dde2e8"/>'
                   f'<text x="4" y="{y(v) + 4:.1f}" font-size="11" fill="#5b6472">{v}</text>'
                   for v in range(low, high + 1))
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="#1d4f91"><title>{escape(name)}: {value:.2f}'
                   f"</title></circle>" for (x, yy), (name, value) in zip(coords, points))
    ends = (f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="11" fill="#5b6472">{escape(points[0][0])}</text>'
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" font-size="11" fill="#5b6472" text-anchor="end">'
            f"{escape(points[-1][0])}</text>")
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'aria-label="{escape(label)}">{grid}<polyline fill="none" stroke="#1d4f91" stroke-width="2" '
                  f'points="{line}"/>{dots}{ends}</svg>')
