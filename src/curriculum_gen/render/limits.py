"""How much a workspace template may make, the checks that refuse a value before it is made, and
how a fault in a render becomes a located problem.

Python can make a huge value in one step (``'x' * 10**10``, ``'{:>9999999999}'.format(1)``,
``s.replace('', s)``), and no time limit can stop one step. So each operation that can
blow a value up is sized first, from its operands. Values are sized by :func:`measure`,
which counts shared parts each time they occur: ``[a, a, a]`` costs three ``a``, since
that is what printing or joining it would cost.
"""

from __future__ import annotations

import itertools
import re
import string
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.utils import Namespace, generate_lorem_ipsum

from curriculum_gen.errors import Problem, WorkspaceError, display_path

MAX_SIZE = 1_000_000
"""Characters or items in one value a template makes, and in one rendered document."""
MAX_MADE = 64_000_000
"""Bytes (about) of the values one render may make in all, each counted when it is made or printed."""
MAX_RANGE = 10_000
"""Items of one ``range()``."""
MAX_PARAM = 10_000
"""A width or count given to a filter or string method (``center``, ``indent``, ``batch``, ``zfill``...)."""
MAX_INT_BITS = 16_000
"""Bits of one whole number (about 4,800 digits, past Python's own printing limit)."""
MAX_STEPS = 1_000_000
"""Loop turns, calls, filters and operators in one render."""
MAX_MACRO_DEPTH = 64
"""Macro (or recursive ``loop()``, or ``self.block()``) calls inside one another."""
MAX_NESTING = 16
"""Templates inside one another (include, import)."""
MAX_TEMPLATE_BYTES = 200_000
"""Bytes of one template file (the shipped ones are under 7,000)."""
MAX_TEMPLATE_NODES = 5_000
"""Parts of one template: text, tags, names, operators (the shipped guide has 662)."""
TIME_BUDGET = 2.0
"""Seconds of template time for all the renders of one pack (the shipped templates need about 0.1 s)."""
OUTPUT_BUDGET = 2_000_000
"""Characters of output for all the renders of one pack (a 52-session pack is about 800,000)."""
SLOW_INPUT = 100_000
"""Characters or items given to a filter that is slow on long input."""
SLOW_FILTERS = frozenset({"dictsort", "groupby", "pprint", "sort", "striptags", "unique", "urlize", "wordwrap"})
STRUCTURAL_FILTERS = frozenset(
    {
        "abs",
        "attr",
        "count",
        "d",
        "default",
        "dictsort",
        "first",
        "float",
        "groupby",
        "int",
        "items",
        "last",
        "length",
        "list",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "reverse",
        "random",
        "round",
        "select",
        "selectattr",
        "sort",
        "sum",
        "unique",
    }
)
"""Filters that pick, count or reorder: their result shares its parts with their input, so neither is
measured deep (the others turn their input into text, which costs its full size)."""

_SEQUENCES = (str, bytes, list, tuple)
_SIZED = (str, bytes, list, tuple, set, frozenset, dict)


class TemplateLimitError(Exception):
    """A template went past one of the limits; the message says which."""


def too_big(size: int, *, exact: bool = True) -> TemplateLimitError:
    return TemplateLimitError(f"would make {'' if exact else 'over '}{size} characters or items; at most {MAX_SIZE}")


def measure(value: Any, limit: int = MAX_SIZE) -> int:
    """Characters and items in ``value``, shared parts counted each time; stops soon after ``limit``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    return weigh(value, limit)[0]


def weigh(value: Any, limit: int = MAX_SIZE) -> tuple[int, int]:
    """Characters and items in ``value`` (as :func:`measure`), and about how many bytes they take."""
    total, nbytes, stack = 0, 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        nbytes += sys.getsizeof(item)
        if isinstance(item, (str, bytes)):
            total += len(item)
            continue
        if isinstance(item, Namespace):
            item = object.__getattribute__(item, "_Namespace__attrs")
        if isinstance(item, (list, tuple, set, frozenset, dict)):
            total += len(item)
            if total <= limit:
                stack.extend(item)
                if isinstance(item, dict):
                    stack.extend(item.values())
        else:
            total += 1
    return total, nbytes


def shallow(value: Any) -> int:
    """Characters or items in ``value`` itself, not in what it holds."""
    return len(value) if isinstance(value, _SIZED) else 1


def _size(size: int, *measured: Any) -> None:
    """Refuse ``size`` over the limit; it is a lower bound if any of ``measured`` is itself over."""
    if size > MAX_SIZE:
        raise too_big(size, exact=all(measure(value) <= MAX_SIZE for value in measured))


def _param(name: str, value: Any) -> None:
    if isinstance(value, int) and value > MAX_PARAM:
        raise TemplateLimitError(f"{name}() width or count of {value}; at most {MAX_PARAM}")


def _bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimitError(f"would make a number of about {bits} bits; at most {MAX_INT_BITS}")


def limited_range(*args: int) -> range:
    """``range()`` for templates: at most :data:`MAX_RANGE` items."""
    numbers = range(*args)
    try:
        items = len(numbers)
    except OverflowError:  # more than sys.maxsize
        items = sys.maxsize
    if items > MAX_RANGE:
        raise TemplateLimitError(f"range() of {items} items; at most {MAX_RANGE}")
    return numbers


def limited_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """``lipsum()`` for templates: at most 100 paragraphs of at most 1000 words."""
    if n > 100 or max > 1000:
        raise TemplateLimitError("lipsum() of more than 100 paragraphs or 1000 words each")
    return generate_lorem_ipsum(n, html, min, max)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left OP right`` if its result would pass a limit."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(times, int):
                _size(max(times, 0) * measure(seq), seq)
                return
        if isinstance(left, int) and isinstance(right, int):
            _bits(left.bit_length() + right.bit_length())
    elif operator == "+":
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            _size(measure(left) + measure(right), left, right)
        elif isinstance(left, int) and isinstance(right, int):
            _bits(max(left.bit_length(), right.bit_length()) + 1)
    elif operator == "%" and isinstance(left, (str, bytes)):
        _check_percent(left, right)
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        _bits(right * left.bit_length())


_PERCENT_SPEC = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _width(digits: str, what: str) -> None:
    if len(digits) > 6 or int(digits) > MAX_PARAM:
        raise TemplateLimitError(f"{what} width or precision of {digits}; at most {MAX_PARAM}")


def _check_percent(fmt: str | bytes, args: Any) -> None:
    text = fmt.decode("latin-1") if isinstance(fmt, bytes) else fmt
    for match in _PERCENT_SPEC.finditer(text):
        for group in match.groups():
            if group == "*":
                raise TemplateLimitError("'*' widths in % formatting are not allowed in templates")
            if group:
                _width(group, "% format")
    _size(len(fmt) + measure(args), args)


def _check_format(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for _, _, spec, _ in string.Formatter().parse(fmt):
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimitError("nested fields in a format spec ('{:{width}}') are not allowed in templates")
        for digits in re.findall(r"\d+", spec):
            _width(digits, "format()")
    _size(len(fmt) + measure(list(args)) + measure(kwargs), list(args), kwargs)


def _replaced(text: Any, old: Any, new: Any, count: Any) -> int:
    """The length of ``text.replace(old, new, count)``, worked out without making it."""
    if not isinstance(text, (str, bytes)) or not isinstance(old, (str, bytes)) or not isinstance(new, (str, bytes)):
        return measure(text)
    hits = len(text) + 1 if not old else text.count(old)  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _gather(iterable: Any) -> Any:
    """An iterable as a list, refused as soon as its items pass the size limit."""
    if isinstance(iterable, (str, bytes, list, tuple)):
        return iterable
    items, size = [], 0
    for item in iterable:
        size += measure(item)
        if size > MAX_SIZE:
            raise too_big(size, exact=False)
        items.append(item)
    return items


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any = None) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def check_call(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a call of a string or number method whose result would pass a limit; returns the arguments."""
    target = getattr(func, "__wrapped__", func)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, int) and name == "to_bytes":
        _param(name, _arg(args, kwargs, 0, "length", 1))
    if not isinstance(owner, (str, bytes)):
        return args
    if name in ("center", "ljust", "rjust", "zfill"):
        _param(name, _arg(args, kwargs, 0, "width", 0))
    elif name == "expandtabs":
        tab = _arg(args, kwargs, 0, "tabsize", 8)
        _param(name, tab)
        if isinstance(tab, int):
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            _size(len(owner) + tabs * max(tab, 0))
    elif name == "replace" and len(args) >= 2:
        _size(_replaced(owner, args[0], args[1], _arg(args, kwargs, 2, "count", -1)))
    elif name == "join" and args:
        items = _gather(args[0])
        _size(measure(items) + len(owner) * len(items), items)
        return (items, *args[1:])
    elif name in ("format", "format_map") and isinstance(owner, str):
        mapping = args[0] if name == "format_map" and args else kwargs
        _check_format(owner, args if name == "format" else (), mapping if isinstance(mapping, dict) else {})
    elif name == "translate" and args and isinstance(args[0], dict):
        _size(len(owner) * max((measure(v) for v in args[0].values()), default=1))
    return args


def check_filter(name: str, value: Any, params: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Refuse a filter whose input is too big or whose result would pass a limit; returns the value."""
    for given in (*params, *kwargs.values()):
        _size(measure(given), given)
    if name not in STRUCTURAL_FILTERS:
        _size(measure(value), value)
    if name in SLOW_FILTERS and name in STRUCTURAL_FILTERS and not isinstance(value, _SIZED):
        value = list(itertools.islice(value, SLOW_INPUT + 1))  # a generator: as many items as matter
    if name in SLOW_FILTERS and (shallow if name in STRUCTURAL_FILTERS else measure)(value) > SLOW_INPUT:
        raise TemplateLimitError(f"{name} of more than {SLOW_INPUT} characters or items")
    if name == "center":
        _param(name, _arg(params, kwargs, 0, "width"))
    elif name in ("batch", "slice"):
        _param(name, _arg(params, kwargs, 0, "linecount" if name == "batch" else "slices"))
    elif name == "indent" and isinstance(value, str):
        width = _arg(params, kwargs, 0, "width", 4)
        _param(name, width)
        per_line = width if isinstance(width, int) else measure(width)
        _size(len(value) + (value.count("\n") + 1) * per_line)
    elif name == "wordwrap" and isinstance(value, str):
        width, wrap = _arg(params, kwargs, 0, "width", 79), _arg(params, kwargs, 2, "wrapstring") or "\n"
        if isinstance(width, int) and width > 0:
            _size(len(value) + (len(value) // width + 1) * measure(wrap))
    elif name == "replace" and len(params) >= 2:
        _size(_replaced(value, params[0], params[1], _arg(params, kwargs, 2, "count", -1)))
    elif name == "join":
        value = _gather(value)
        _size(measure(value) + measure(_arg(params, kwargs, 0, "d", "")) * len(value), value)
    elif name == "format" and isinstance(value, (str, bytes)):
        _check_percent(value, kwargs or params)
    elif name == "tojson":
        indent = _arg(params, kwargs, 0, "indent")
        if (indent if isinstance(indent, int) else measure(indent)) > 16:
            raise TemplateLimitError("tojson() indent of more than 16")
    elif name == "sum" and not isinstance(_arg(params, kwargs, 1, "start", 0), (int, float)):
        raise TemplateLimitError(
            "sum() of lists or text is not allowed in templates (it takes quadratic time); use join or a loop"
        )
    return value


def check_grown(func: Any) -> None:
    """After ``list.append``, ``dict.update`` and the like: the container is still within the limit."""
    owner = getattr(func, "__self__", None)
    if isinstance(owner, (list, dict, set)) and len(owner) > MAX_SIZE:
        raise too_big(len(owner))


# --------------------------------------------------------------------------- faults, located


def locate_fault(exc: BaseException, fallback: str) -> Problem:
    """An exception from a render as a problem: the deepest template line on its way out, and what went wrong."""
    where, line = fallback, 0
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template) and template.filename:
            where, line = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:  # an included template does not compile
        where, line = exc.filename, exc.lineno or 0
    return Problem(display_path(Path(where)), line, 1 if line else 0, "", f"template error: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.message or str(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, (TemplateLimitError, jinja2.TemplateError)):
        return str(exc)
    if isinstance(exc, WorkspaceError):  # a template file too big to load
        return "; ".join(p.message for p in exc.problems)
    if isinstance(exc, RecursionError):
        return "templates or macros call themselves too deeply (maximum recursion depth exceeded)"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"{exc} ({type(exc).__name__})"
