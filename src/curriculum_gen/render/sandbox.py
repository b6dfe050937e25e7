"""Limits for workspace templates: what a template may nest, make and spend.

Templates come from the workspace, so they are untrusted code. Jinja2's sandbox keeps them
away from Python's insides; :class:`LimitedEnvironment` also bounds their cost, so a broken
or hostile template ends in a located error within seconds and a small amount of memory:

* a template file is small enough to compile quickly (bytes and parts are capped);
* a value (text, list, number) that would pass its limit is refused *before* it is made,
  where the size can be known (``*``, ``+``, ``%``, ``**``, ``~``, ``range``, widths and
  counts of filters and string methods), and checked right after every filter and call;
* the values a render makes, and its output, add up to caps, so a loop cannot pile up memory;
* loop turns and calls count as steps, capped per render, and every step checks one
  time budget shared by the renders of a pack (:func:`template_budget`), so no signal
  or thread is needed: it works the same in a ``batch`` worker and under a test runner;
* templates may nest (include, import) and macros may call themselves only so deep,
  and a ``RecursionError`` that slips past is still caught.

The numbers are in :mod:`curriculum_gen.render.limits`.

Every breach, and every other exception a template raises, becomes a :class:`WorkspaceError`
naming the template file and line (Jinja2 keeps the template in each frame's globals).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2 import nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from curriculum_gen.errors import WorkspaceError, display_path
from curriculum_gen.load.yaml_source import read_text
from curriculum_gen.render import limits
from curriculum_gen.render.limits import (
    MAX_MACRO_DEPTH,
    MAX_MADE,
    MAX_NESTING,
    MAX_SIZE,
    MAX_STEPS,
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATE_NODES,
    OUTPUT_BUDGET,
    STRUCTURAL_FILTERS,
    TIME_BUDGET,
    TemplateLimitError,
    check_binop,
    check_call,
    check_filter,
    locate_fault,
    measure,
    shallow,
    too_big,
    weigh,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- budgets and runs


@dataclass
class _Budget:
    """Template time and output allowed to the renders of one pack (or of one lone render)."""

    seconds: float
    characters: int
    spent: float = 0.0
    """Seconds used so far."""
    output: dict[str, int] = field(default_factory=dict)
    """Characters rendered so far, by template name."""

    def characters_left(self) -> int:
        return self.characters - sum(self.output.values())

    def too_much_output(self, name: str, size: int) -> str:
        shares = {**self.output, name: self.output.get(name, 0) + size}
        biggest = ", ".join(f"{n}: {c}" for n, c in sorted(shares.items(), key=lambda item: -item[1])[:3])
        return f"more than {self.characters} characters of output from the templates of one pack ({biggest})"


@dataclass
class _Run:
    """What one render has spent so far."""

    budget: _Budget
    deadline: float
    steps: int = 0
    depth: int = 0
    made: int = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(
                f"more than {MAX_STEPS} steps (loop turns and calls) in one template; "
                "is a loop too long or nested too deep?"
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"templates took more than {self.budget.seconds:g} s; is a loop too long or nested too deep?"
            )

    def count(self, nbytes: int) -> None:
        self.made += nbytes
        if self.made > MAX_MADE:
            raise TemplateLimitError(
                f"made more than {MAX_MADE // 1_000_000} MB of text and lists in one template; "
                "does a loop build them up?"
            )


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)
_RUN: ContextVar[_Run | None] = ContextVar("template_run", default=None)


@contextlib.contextmanager
def template_budget(seconds: float = TIME_BUDGET, characters: int = OUTPUT_BUDGET) -> Iterator[None]:
    """Let the renders inside share one allowance of template time and output, e.g. a whole pack.

    Outside any budget, each render gets an allowance of its own.
    """
    token = _BUDGET.set(_Budget(seconds, characters))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _tick() -> None:
    run = _RUN.get()
    if run is not None:
        run.tick()


def _checked(value: Any, deep: bool = True) -> Any:
    """A value a template just made: within the size limit, and counted (``deep=False``: its parts are not new)."""
    size, nbytes = weigh(value) if deep else (shallow(value), sys.getsizeof(value))
    if size > MAX_SIZE:
        raise too_big(size, exact=False)
    run = _RUN.get()
    if run is not None:
        run.count(nbytes)
    return value


# --------------------------------------------------------------------------- compiled-in hooks


def paced(iterable: Iterable[Any]) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through here: each turn is a step."""
    for item in iterable:
        _tick()
        yield item


@pass_eval_context
def joined(eval_ctx: EvalContext, *parts: Any) -> str:
    """The ``~`` operator, refused before it makes text over the limit."""
    size = sum(measure(part) for part in parts)
    if size > MAX_SIZE:
        raise too_big(size, exact=False)
    return (markup_join if eval_ctx.autoescape else str_join)(parts)


def sliced(value: Any, start: Any, stop: Any, step: Any) -> Any:
    """``value[start:stop:step]``: a slice makes a new value, so it is counted like one."""
    return value[start:stop:step]


def _hook(name: str, *args: nodes.Node, lineno: int) -> nodes.Call:
    target = nodes.ImportedName(f"{__name__}.{name}", lineno=lineno)
    return nodes.Call(target, list(args), [], None, None, lineno=lineno)


class _Instrument(NodeTransformer):
    """Route loops, ``~`` and slices through the hooks above."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _hook("paced", node.iter, lineno=node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _hook("joined", *node.nodes, lineno=node.lineno)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        if not isinstance(node.arg, nodes.Slice):
            return node
        parts = (node.arg.start, node.arg.stop, node.arg.step)
        return _hook(
            "sliced", node.node, *(p or nodes.Const(None, lineno=node.lineno) for p in parts), lineno=node.lineno
        )


class _LimitedCodeGenerator(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        parts = sum(1 for _ in node.find_all(nodes.Node))
        if parts > MAX_TEMPLATE_NODES:  # compiling costs time and memory by the part
            self.fail(
                f"template of {parts} parts (text, tags, names, operators); at most {MAX_TEMPLATE_NODES}: "
                "split it into templates that include one another",
                1,
            )
        _Instrument().visit(node)
        node.set_environment(self.environment)
        super().visit_Template(node, frame)


# --------------------------------------------------------------------------- template, loader, environment


def _nesting() -> int:
    """Templates running on the stack: each has its ``root`` function there."""
    count, frame = 0, sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "root" and "__jinja_template__" in frame.f_globals:
            count += 1
        frame = frame.f_back  # type: ignore[assignment]
    return count


class LimitedTemplate(jinja2.Template):
    """A template whose render runs under the limits and fails with a located error."""

    def new_context(
        self, vars: dict[str, Any] | None = None, shared: bool = False, locals: Mapping[str, Any] | None = None
    ) -> Context:
        if _nesting() >= MAX_NESTING:
            raise TemplateLimitError(f"templates nested more than {MAX_NESTING} deep (does a template include itself?)")
        _tick()  # an include or import is a step, and may have just compiled a template
        return super().new_context(vars, shared, locals)

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _RUN.get() is not None:  # rendered by template code itself: the outer render's limits hold
            return super().render(*args, **kwargs)
        budget = _BUDGET.get() or _Budget(TIME_BUDGET, OUTPUT_BUDGET)
        started = time.monotonic()
        token = _RUN.set(_Run(budget, deadline=started + budget.seconds - budget.spent))
        try:
            text = self._collect(self.new_context(dict(*args, **kwargs)), budget)
        except Exception as exc:
            log.debug("template %s failed", self.name, exc_info=exc)
            raise WorkspaceError(locate_fault(exc, self.filename or self.name or "template")) from None
        finally:
            budget.spent += time.monotonic() - started
            _RUN.reset(token)
        budget.output[str(self.name)] = budget.output.get(str(self.name), 0) + len(text)
        return text

    def _collect(self, context: Context, budget: _Budget) -> str:
        pieces: list[str] = []
        size = 0
        left = budget.characters_left()
        events = cast(Generator[str, None, None], self.root_render_func(context))
        for piece in events:
            size += len(piece)
            if size > MAX_SIZE or size > left:
                # raised where the template stands, so the error names its line
                what = (
                    f"output of more than {MAX_SIZE} characters"
                    if size > MAX_SIZE
                    else budget.too_much_output(str(self.name), size)
                )
                events.throw(TemplateLimitError(f"{what}; is a loop too long?"))
            pieces.append(piece)
        return "".join(pieces)


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


class LimitedLoader(jinja2.FileSystemLoader):
    """Template files from folders, read as every input is: regular files of at most
    :data:`MAX_TEMPLATE_BYTES`, UTF-8, a bad byte located by line and column."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if path.is_file():
                text = read_text(path, display_path(path), limit=MAX_TEMPLATE_BYTES)
                mtime = path.stat().st_mtime
                return text, os.path.normpath(path), functools.partial(_unchanged, path, mtime)
        raise jinja2.TemplateNotFound(template)

    def load(
        self, environment: jinja2.Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> jinja2.Template:
        """Load and compile a template; compiling outside a render counts against the template budget."""
        started = time.monotonic()
        try:
            return super().load(environment, name, globals)
        finally:
            budget = _BUDGET.get()
            if budget is not None and _RUN.get() is None:  # inside a render, the render's time counts it
                budget.spent += time.monotonic() - started


class _LimitedFilters(dict[str, Callable[..., Any]]):
    """Every filter put in here is wrapped: a step, checks of its arguments, a check of its result."""

    def __setitem__(self, name: str, func: Callable[..., Any]) -> None:
        super().__setitem__(name, _limited_filter(name, func))


def _limited_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1  # context, eval context or environment

    @functools.wraps(func)
    def limited(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if len(args) > skip:
            value = check_filter(name, args[skip], args[skip + 1 :], kwargs)
            args = (*args[:skip], value, *args[skip + 1 :])
        return _checked(func(*args, **kwargs), deep=name not in STRUCTURAL_FILTERS)

    return limited


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with limits on size, steps, nesting and time (see the module's docstring)."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})
    code_generator_class = _LimitedCodeGenerator
    template_class = LimitedTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        filters, self.filters = self.filters, _LimitedFilters()
        for name, func in filters.items():
            self.filters[name] = func
        self.globals["range"] = limits.limited_range
        self.globals["lipsum"] = limits.limited_lipsum
        outer = self.finalize

        def finalize(value: Any) -> Any:
            _checked(value)
            return value if outer is None else outer(value)

        self.finalize = finalize
        self.concat = _limited_concat  # type: ignore[method-assign]

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        check_binop(operator, left, right)
        return _checked(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        run = _RUN.get()
        if run is not None:
            run.tick()
        args = check_call(obj, args, {k: v for k, v in kwargs.items() if not k.startswith("_")})
        if run is None or not isinstance(obj, (Macro, LoopContext, BlockReference)):
            result = super().call(context, obj, *args, **kwargs)
        else:
            run.depth += 1
            try:
                if run.depth > MAX_MACRO_DEPTH:
                    raise TemplateLimitError(
                        f"macro calls nested more than {MAX_MACRO_DEPTH} deep "
                        "(does a macro or block call itself without end?)"
                    )
                result = super().call(context, obj, *args, **kwargs)
            finally:
                run.depth -= 1
        limits.check_grown(obj)
        return _checked(result)


def _limited_concat(pieces: Iterable[str]) -> str:
    """How Jinja2 joins a macro's, block's or ``{% set %}``'s output: sized before it is joined."""
    parts = pieces if isinstance(pieces, list) else list(pieces)
    size = sum(map(len, parts))
    if size > MAX_SIZE:
        raise too_big(size, exact=True)
    return _checked("".join(parts))  # type: ignore[no-any-return]
