"""Table columns sized to their content, as a browser sizes an HTML table.

Word's fixed layout needs each column's width; text is measured with Arial's widths
(Liberation Sans has the same), which is close enough for any plain sans-serif. Every
column is at least as wide as its longest word; short columns then get all the room
their longest text needs, so a "Need help" column never wraps to three lines while
long ones have room to give; what is left is shared by the columns that still want it.
"""

from __future__ import annotations

_ARIAL = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 "
    "1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 "
    "556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
"""Arial's advance widths in thousandths of an em, for the printable ASCII characters (space to tilde)."""
_WIDTHS = dict(zip(map(chr, range(32, 127)), map(int, _ARIAL.split()), strict=True))
_OTHER = 600  # any other character: a wide letter's width
_BOLD = 1.08  # bold Arial is about this much wider
_SLACK = 1.05  # a little room, so a measured fit is not a line break in another renderer


def text_width(text: str, points: float, bold: bool = False) -> float:
    """The width of one line of text, in twentieths of a point (twips)."""
    ems = sum(_WIDTHS.get(ch, _OTHER) for ch in text) / 1000
    return ems * points * 20 * (_BOLD if bold else 1.0) * _SLACK


def column_widths(
    texts: list[list[str]], header: bool, columns: int, total: int, points: float, padding: int
) -> list[int]:
    """Each column's width in twips, the widths adding up to ``total``.

    ``texts`` holds each row's cell texts, the header row first when ``header``; a header
    may wrap between its words, body cells are given their whole text's width where there
    is room.
    """
    least = [float(padding + 1)] * columns
    most = [float(padding + 1)] * columns
    for r, row in enumerate(texts):
        bold = header and r == 0
        for c, text in enumerate(row[:columns]):
            longest_word = max((text_width(word, points, bold) for word in text.split()), default=0.0)
            least[c] = max(least[c], longest_word + padding)
            whole = longest_word if bold else text_width(" ".join(text.split()), points, bold)
            most[c] = max(most[c], whole + padding)
    most = [max(m, n) for m, n in zip(most, least, strict=True)]
    if sum(least) >= total:  # not even the longest words fit: shrink them alike
        return _fill([total * n / sum(least) for n in least], total)
    widths = list(least)
    spare = total - sum(least)
    wanting = [c for c in range(columns) if most[c] > widths[c]]
    while wanting and spare > 0.5:
        share = spare / len(wanting)
        satisfied = [c for c in wanting if most[c] - widths[c] <= share]
        if not satisfied:  # every column still wanting needs more than a fair share: split what is left by need
            need = sum(most[c] - widths[c] for c in wanting)
            for c in wanting:
                widths[c] += spare * (most[c] - widths[c]) / need
            spare = 0.0
            break
        for c in satisfied:  # short columns first: all they need
            spare -= most[c] - widths[c]
            widths[c] = most[c]
        wanting = [c for c in wanting if c not in satisfied]
    if spare > 0.5:  # every column has what it needs: the rest in proportion to their widths
        widths = [w + spare * w / sum(widths) for w in widths]
    return _fill(widths, total)


def _fill(widths: list[float], total: int) -> list[int]:
    """Whole twips adding up to ``total`` exactly (the last column takes the rounding)."""
    whole = [int(w) for w in widths]
    whole[-1] += total - sum(whole)
    return whole
