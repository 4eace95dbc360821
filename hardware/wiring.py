"""The wiring diagram (hardware/wiring.svg), generated from the pin map so the two never disagree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from firmware.terminal.pinmap import PinMap, load_pinmap
from hardware import circuit

HERE = Path(__file__).resolve().parent
PINMAP = HERE / "pinmap.toml"
SVG = HERE / "wiring.svg"

FILL = {"green": "#2e9d3a", "amber": "#f0a000", "red": "#d62828", "blue": "#1f6fd1"}
BUTTON_FILL = "#555555"
BUZZER_FILL = "#7b3fa0"
BUTTON_ROLES = {
    "presence_a": "clerk A presence (到岗/离岗)",
    "presence_b": "clerk B presence (到岗/离岗)",
    "handover": "handover (交接)",
    "done": "service done (办结)",
}
LAMP_ROLES = {"a": "A holds the post", "b": "B holds the post", "empty": "window empty (空岗)",
              "online": "hub reachable"}
WIDTH = 1120
TOP = 90
PIN_ROW = 22
CIRCUIT_ROW = 54
CIRCUIT_X = 400


def render(pinmap: PinMap) -> str:
    """The wiring diagram of a pin map as SVG text (deterministic: same map, same bytes)."""
    rows = _rows(pinmap)
    height = TOP + max(20 * PIN_ROW, len(rows) * CIRCUIT_ROW) + 150
    used = {physical: (_short(key), colour) for key, _, physical, colour, _ in rows}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif" font-size="12">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(20, 30, "HallPost window terminal — wiring (generated from hardware/pinmap.toml by "
              "scripts/make-wiring-svg; do not edit)", size=15, weight="bold"),
        _text(20, 52, f"Raspberry Pi 40-pin header, BCM numbering. Debounce {pinmap.bounce_ms} ms. "
              f"Lamps: 10 mm LEDs on +5 V switched low-side by a {circuit.DRIVER}.", size=12),
        *_header(used),
        *(_circuit_row(i, row) for i, row in enumerate(rows)),
        *_notes(height - 120),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _rows(pinmap: PinMap) -> list[tuple[str, int, int, str, str]]:
    """(key, bcm, physical pin, fill colour, kind) for every used pin, in pin map order."""
    rows = [(f"buttons.{name}", pin, circuit.physical_pin(pin), BUTTON_FILL, "button")
            for name, pin in pinmap.buttons.items()]
    rows += [(f"lamps.{name}", pin, circuit.physical_pin(pin), FILL[circuit.LAMP_LEDS[name][0]], "lamp")
             for name, pin in pinmap.lamps.items()]
    rows.append(("buzzer.pin", pinmap.buzzer, circuit.physical_pin(pinmap.buzzer), BUZZER_FILL, "buzzer"))
    return rows


def _short(key: str) -> str:
    """A pin map key as the header labels it: the part's name (``presence_a``, ``online``, ``buzzer``)."""
    section, name = key.split(".", 1)
    return section if section == "buzzer" else name


def _header(used: dict[int, tuple[str, str]]) -> list[str]:
    """The 40-pin header: odd pins left, even pins right, used pins coloured and named."""
    names = {physical: f"GPIO{bcm}" for bcm, physical in circuit.HEADER.items()} | circuit.POWER_PINS
    out = [f'<rect x="172" y="{TOP - 14}" width="66" height="{20 * PIN_ROW + 6}" rx="4" fill="#1b1b1b"/>']
    for physical in range(1, 41):
        x = 190 if physical % 2 else 220
        y = TOP + (physical - 1) // 2 * PIN_ROW
        key, colour = used.get(physical, ("", ""))
        fill = colour or ("#c0392b" if names[physical] == "5V" else "#222222" if names[physical] == "GND"
                          else "#e0c068" if names[physical] == "3V3" else "#bbbbbb")
        out.append(f'<circle cx="{x}" cy="{y}" r="8" fill="{fill}" stroke="#ffffff" stroke-width="1"/>')
        out.append(_text(x, y + 4, str(physical), size=8, anchor="middle", fill="#ffffff"))
        label = f"{names[physical]} {key}" if key else names[physical]
        if physical % 2:
            out.append(_text(172 - 6, y + 4, label, size=10, anchor="end", weight="bold" if key else "normal"))
        else:
            out.append(_text(238 + 6, y + 4, label, size=10, weight="bold" if key else "normal"))
    return out


def _circuit_row(index: int, row: tuple[str, int, int, str, str]) -> str:
    """One used pin's circuit: label, wire and the part chain to +5 V or GND."""
    key, bcm, physical, colour, kind = row
    y = TOP + index * CIRCUIT_ROW
    x = CIRCUIT_X
    out = [
        f'<rect x="{x}" y="{y - 12}" width="130" height="24" rx="3" fill="{colour}"/>',
        _text(x + 65, y + 4, f"pin {physical} · GPIO{bcm}", anchor="middle", fill="#ffffff", weight="bold"),
        _line(x + 130, y, x + 170, y),
    ]
    name = key.split(".", 1)[1]
    if kind == "button":
        out += _button(x + 170, y)
        out.append(_text(x + 140, y - 18, f"{key}: {BUTTON_ROLES[name]} — push button to GND, "
                         "internal pull-up, active-low", size=11))
    elif kind == "lamp":
        channel = list(LAMP_ROLES).index(name) + 1
        resistor = circuit.lamp_resistor(name)
        out += _lamp(x + 170, y, channel, colour, resistor)
        out.append(_text(x + 140, y - 18, f"{key}: {resistor.colour} lamp, {LAMP_ROLES[name]} — "
                         f"{resistor.ohms} Ω, {resistor.current_ma} mA, {resistor.power_mw} mW", size=11))
    else:
        out += _buzzer(x + 170, y)
        out.append(_text(x + 140, y - 18, f"{key}: buzzer — {circuit.BUZZER_TRANSISTOR.split()[0]} NPN, "
                         f"{circuit.BUZZER_BASE_OHMS // 1000} kΩ base, "
                         f"{circuit.BUZZER_PULLDOWN_OHMS // 1000} kΩ base→GND, 1N4148 flyback", size=11))
    return "\n".join(out)


def _button(x: int, y: int) -> list[str]:
    return [
        f'<circle cx="{x + 4}" cy="{y}" r="3" fill="none" stroke="#000"/>',
        _line(x + 6, y - 2, x + 40, y - 14),
        f'<circle cx="{x + 44}" cy="{y}" r="3" fill="none" stroke="#000"/>',
        _line(x + 47, y, x + 90, y), *_ground(x + 90, y),
    ]


def _lamp(x: int, y: int, channel: int, colour: str, resistor: circuit.LampResistor) -> list[str]:
    return [
        f'<rect x="{x}" y="{y - 12}" width="120" height="24" fill="#eeeeee" stroke="#000"/>',
        _text(x + 60, y + 4, f"{circuit.DRIVER} {channel}→{19 - channel}", anchor="middle", size=10),
        _line(x + 120, y, x + 150, y),
        f'<polygon points="{x + 176},{y - 10} {x + 176},{y + 10} {x + 156},{y}" fill="{colour}" stroke="#000"/>',
        _line(x + 154, y - 10, x + 154, y + 10),
        _text(x + 166, y + 21, "K  A", size=9, anchor="middle"),
        _line(x + 176, y, x + 200, y),
        f'<rect x="{x + 200}" y="{y - 7}" width="50" height="14" fill="#ffffff" stroke="#000"/>',
        _text(x + 225, y + 4, f"{resistor.ohms} Ω", anchor="middle", size=10),
        _line(x + 250, y, x + 280, y), _text(x + 284, y + 4, f"+5V (pin {circuit.SUPPLY_PIN})", weight="bold"),
    ]


def _buzzer(x: int, y: int) -> list[str]:
    return [
        f'<rect x="{x}" y="{y - 7}" width="50" height="14" fill="#ffffff" stroke="#000"/>',
        _text(x + 25, y + 4, f"{circuit.BUZZER_BASE_OHMS // 1000} kΩ", anchor="middle", size=10),
        _line(x + 50, y, x + 80, y),
        f'<circle cx="{x + 96}" cy="{y}" r="16" fill="none" stroke="#000"/>',
        _text(x + 96, y + 4, "NPN", anchor="middle", size=9),
        _line(x + 112, y, x + 150, y),
        f'<circle cx="{x + 166}" cy="{y}" r="16" fill="{BUZZER_FILL}" stroke="#000"/>',
        _text(x + 166, y + 4, "BZ", anchor="middle", size=10, fill="#ffffff"),
        _line(x + 182, y, x + 210, y), _text(x + 214, y + 4, f"+5V (pin {circuit.SUPPLY_PIN})", weight="bold"),
        _line(x + 96, y + 16, x + 96, y + 22), _text(x + 102, y + 24, "E→GND", size=9),
    ]


def _ground(x: int, y: int) -> list[str]:
    return [_line(x, y - 8, x, y + 8), _line(x + 4, y - 5, x + 4, y + 5), _line(x + 8, y - 2, x + 8, y + 2),
            _text(x + 14, y + 4, f"GND (pin {circuit.GROUND_PIN})")]


def _notes(y: int) -> list[str]:
    lines = [
        f"Power: pin {circuit.SUPPLY_PIN} (5V) feeds the lamp resistors, the buzzer and {circuit.DRIVER} "
        f"pin 10 (COM); pin {circuit.GROUND_PIN} (GND) feeds {circuit.DRIVER} pin 9, the NPN emitter and the "
        "buttons' common leg.",
        "GPIOs are 3.3 V only: never connect 5 V to a GPIO. The keypad (Pico) plugs into USB: see keypad.md.",
        f"LED resistors: R = (5 V − Vf − {circuit.DRIVER_DROP_V} V) / {int(circuit.LED_CURRENT_A * 1000)} mA, "
        "rounded up to E12. See BOM.md.",
    ]
    return [_text(20, y + 22 * i, line, size=11) for i, line in enumerate(lines)]


def _line(x1: int, y1: int, x2: int, y2: int) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#000" stroke-width="1.5"/>'


def _text(x: int, y: int, text: str, *, size: int = 12, anchor: str = "start", weight: str = "normal",
          fill: str = "#000000") -> str:
    return (f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(text)}</text>')


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the wiring diagram of a pin map."""
    parser = argparse.ArgumentParser(prog="make-wiring-svg", description=__doc__)
    parser.add_argument("--pinmap", type=Path, default=PINMAP)
    parser.add_argument("--out", type=Path, default=SVG)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from the pin map")
    args = parser.parse_args(argv)
    svg = render(load_pinmap(args.pinmap))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != svg:
            print(f"{args.out} does not match {args.pinmap}: run scripts/make-wiring-svg", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
