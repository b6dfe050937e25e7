"""Plain data → typed models: each pydantic error becomes a problem located at its line and column.

Walks pydantic's ``loc`` along the composed YAML nodes (:class:`Source`) to the key or value at fault.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from curriculum_gen.errors import InputError, Problem, unknown
from curriculum_gen.load.yaml_source import Loc, Source, format_loc, load_yaml, short_repr
from curriculum_gen.models import ERS_FACTORS, SOFT_SKILLS

M = TypeVar("M", bound=BaseModel)


def validate_data(
    data: Any, model: type[M], source: Source, prefix: Loc = (), context: dict[str, Any] | None = None
) -> M:
    """Validate plain data into ``model``, turning each pydantic error into a located problem.

    ``context`` reaches the model's validators (a profile's needs are read against its ``assessed``).
    """
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        raise InputError(
            [*source.early, *(_to_problem(err, model, source, tuple(prefix)) for err in exc.errors(include_url=False))]
        ) from None
    if source.early:
        raise InputError(list(source.early))
    return result


def load_model(path: Path, model: type[M]) -> tuple[M, Source]:
    """Load one YAML file into ``model``.

    Raises:
        InputError: every problem in the file, located.
    """
    data, source = load_yaml(path)
    return validate_data(data, model, source), source


_QUOTED = re.compile(r"'([^']*)'")


def _to_problem(err: Any, model: type[BaseModel], source: Source, prefix: tuple[Any, ...]) -> Problem:
    loc = prefix + tuple(p for p in err["loc"] if not _is_union_tag(p))
    kind = err["type"]
    value = err.get("input")
    if kind == "invalid_key":  # a key that is not text; pydantic's loc garbles it ('None', 1 for true): use the key
        loc = (*loc[:-1], value)
        if value is None:
            return source.problem(loc, "a key must be a name (found an empty or null key)", key=True)
        found, exact = source.find(loc, key=True)
        return _unknown_key(model, source, prefix, loc, str(found.value) if exact and found is not None else str(value))
    if kind == "missing":
        parent, name = loc[:-1], loc[-1]
        return source.problem(parent, f"required key '{source.name_of(parent, str(name))}' is missing")
    if kind == "extra_forbidden":
        return _unknown_key(model, source, prefix, loc, str(loc[-1]))
    if kind in ("literal_error", "enum"):
        raw_expected = str(err.get("ctx", {}).get("expected", ""))
        choices = _QUOTED.findall(raw_expected) or [c.strip() for c in re.split(r",| or ", raw_expected) if c.strip()]
        is_key = "[key]" in loc
        path = tuple(p for p in loc if p != "[key]")
        if isinstance(value, str) and value in choices and not is_key:  # "1" where the number 1 is expected
            return source.problem(path, f"'{value}' is text (write {value} without quotes)")
        label = (
            "ERS factor"
            if set(choices) == set(ERS_FACTORS)
            else "soft skill"
            if set(choices) == set(SOFT_SKILLS)
            else "value"
        )
        return source.problem(path, unknown(label, str(value), choices), key=is_key)
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    elif kind not in ("model_type", "dict_type", "list_type"):
        message = f"{message[0].lower()}{message[1:]} (got {short_repr(value)})"
    else:
        message = f"expected a {_kind_name(kind)}, got {short_repr(value)}"
    return source.problem(loc, message)


def _unknown_key(
    model: type[BaseModel], source: Source, prefix: tuple[Any, ...], loc: tuple[Any, ...], written: str
) -> Problem:
    """``unknown key 'x'`` at the key ``loc`` ends with (``written`` as in the file), with what its mapping allows."""
    allowed = [source.name_of(loc[:-1], key) for key in _allowed_keys(model, loc[len(prefix) : -1])]
    label = "ERS factor" if len(loc) > 1 and loc[-2] == "needs_help" else "key"
    shown = format_loc(source.written((*loc[:-1], written)))
    return source.problem(loc, unknown(label, written, allowed), key=True, shown=shown)


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in ("int", "str", "float", "bool") or part.startswith(("constrained-", "function-"))
    )


def _kind_name(kind: str) -> str:
    return {"model_type": "mapping of keys", "dict_type": "mapping of keys", "list_type": "list"}[kind]


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names of the model reached by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[str(part)].annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """``list[X]`` / ``X | None`` → ``X``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is list:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp
