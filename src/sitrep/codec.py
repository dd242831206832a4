"""Turn model dataclasses into plain dicts and back, for the store and for workers.

One generic converter, driven by the dataclasses' type hints, so that a field added to
``model.py`` is stored and restored without touching this module.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")

_TRANSIENT = {"spacy_doc", "rule_trace"}


def to_dict(obj: Any) -> Any:
    """Convert a dataclass (recursively) to JSON-ready dicts and lists, dropping transient fields."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in _TRANSIENT}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    return obj


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass of type ``cls`` from what ``to_dict`` produced; unknown keys are ignored."""
    return _convert(cls, data)


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is list:
        (arg,) = typing.get_args(tp) or (Any,)
        return [_convert(arg, v) for v in value]
    if origin is dict:
        _, arg = typing.get_args(tp) or (Any, Any)
        return {k: _convert(arg, v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: _convert(hints[k], v) for k, v in value.items() if k in names})
    return value
