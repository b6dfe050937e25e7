"""The ring map a ``layout: rings`` worksheet section draws: rings around the reader, numbered from the middle out.

One drawing for every format: the HTML shows it as inline SVG (:func:`ring_map_svg`), and
the Word writer places a PNG made once from the same SVG by ``scripts/ring_maps.py``
(``templates/images/rings-N.png``, one for each number of rings a section may have), since
Word and LibreOffice print a PNG alike. The drawing holds no words, only the ring numbers
and a figure for "you" in the middle, so the same picture serves every language; the
rings' names are the legend under it, and the alt text says what it shows.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
SIZE = 1000
"""The drawing's width and height in its own units (the ``viewBox``)."""
PRINTED_CM = 12.0
"""How wide the map is printed in Word: room for names in each ring, with its legend on the same page."""
INK = "#1f3864"
"""The rings' colour: the headings' dark navy, which prints as near black."""
_MIDDLE = 120
"""The radius of the middle circle, where "you" are."""
_OUTER = 490


def ring_radii(count: int) -> list[float]:
    """The radius of each ring's outer edge, from the middle out."""
    step = (_OUTER - _MIDDLE) / count
    return [_MIDDLE + step * (n + 1) for n in range(count)]


def ring_map_svg(count: int) -> ET.Element:
    """The drawing of ``count`` rings around a figure, each numbered at its top: an ``<svg>`` element."""
    centre = SIZE / 2
    svg = ET.Element("svg", {"xmlns": SVG, "viewBox": f"0 0 {SIZE} {SIZE}", "class": "rings"})
    radii = ring_radii(count)
    for radius in reversed([_MIDDLE, *radii]):
        ET.SubElement(
            svg,
            "circle",
            {
                "cx": _n(centre),
                "cy": _n(centre),
                "r": _n(radius),
                "fill": "#ffffff",
                "stroke": INK,
                "stroke-width": "6",
            },
        )
    figure = ET.SubElement(svg, "g", {"fill": INK})  # "you": a head and shoulders, no word
    ET.SubElement(figure, "circle", {"cx": _n(centre), "cy": _n(centre - 38), "r": "34"})
    ET.SubElement(
        figure,
        "path",
        {"d": f"M {_n(centre - 62)} {_n(centre + 62)} Q {_n(centre - 62)} {_n(centre + 4)} {_n(centre)} {_n(centre + 4)} "
         f"Q {_n(centre + 62)} {_n(centre + 4)} {_n(centre + 62)} {_n(centre + 62)} Z"},
    )  # fmt: skip
    inner = float(_MIDDLE)
    for number, outer in enumerate(radii, 1):
        y = centre - (inner + outer) / 2  # at the top of its ring, between its two circles
        ET.SubElement(
            svg,
            "circle",
            {"cx": _n(centre), "cy": _n(y), "r": "34", "fill": "#ffffff", "stroke": INK, "stroke-width": "5"},
        )
        label = ET.SubElement(
            svg,
            "text",
            {"x": _n(centre), "y": _n(y + 16), "text-anchor": "middle", "font-family": "Arial, 'Liberation Sans', "
             "sans-serif", "font-size": "46", "font-weight": "bold", "fill": INK},
        )  # fmt: skip
        label.text = str(number)
        inner = outer
    return svg


def drawing_digest(count: int) -> str:
    """A fingerprint of the drawing, kept in each shipped PNG, so a test knows the PNG shows today's drawing."""
    return hashlib.sha256(ET.tostring(ring_map_svg(count))).hexdigest()


def image_path(count: int) -> str:
    """Where the PNG of this drawing is, among the templates."""
    return f"images/rings-{count}.png"


def _n(value: float) -> str:
    """A coordinate as the SVG writes it: a whole number, or one decimal."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
