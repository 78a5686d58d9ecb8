"""Parameter validation: defaults, types, ranges and choices from a query's header.

Values may arrive as Python objects or as CLI strings (``--param k=v``); both are
coerced to the declared type. Anything unknown or out of range is a clear error.

>>> from graphkit.packs.catalog import ParamSpec
>>> specs = {"min_accounts": ParamSpec(type="int", default=2, min=2, max=100)}
>>> validate("q.x", specs, {"min_accounts": "3"})
{'min_accounts': 3}
>>> validate("q.x", specs, {"min_accounts": 1})
Traceback (most recent call last):
...
graphkit.packs.params.ParamError: q.x: parameter 'min_accounts' = 1 is out of range [2, 100]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.packs.catalog import ParamSpec


class ParamError(GraphkitError):
    """A parameter is unknown, of the wrong type or out of range."""


_TRUE, _FALSE = {"true", "1", "yes", "y"}, {"false", "0", "no", "n"}


def _coerce(spec: ParamSpec, value: Any) -> Any:
    if spec.type == "bool":
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        if isinstance(value, bool):
            return value
        raise ValueError
    if spec.type == "int":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(value)
    if spec.type == "float":
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    if spec.type == "list":
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, list | tuple):
            return list(value)
        raise ValueError
    if not isinstance(value, str):
        raise ValueError
    return value


def _range(spec: ParamSpec) -> str:
    low = "-inf" if spec.min is None else f"{spec.min:g}"
    high = "inf" if spec.max is None else f"{spec.max:g}"
    return f"[{low}, {high}]"


def _describe(spec: ParamSpec) -> str:
    if spec.choices is not None:
        return f"one of {', '.join(map(str, spec.choices))}"
    return f"{spec.type} in {_range(spec)}" if spec.type in ("int", "float") else spec.type


def validate(query_id: str, specs: Mapping[str, ParamSpec], given: Mapping[str, Any]) -> dict:
    """Merge ``given`` over the defaults and check every value against its spec."""
    unknown = sorted(set(given) - set(specs))
    if unknown:
        allowed = ", ".join(sorted(specs)) or "none"
        raise ParamError(
            f"{query_id}: unknown parameter '{unknown[0]}'",
            hint=f"this query accepts: {allowed} (`graphkit query show {query_id}`)",
        )
    values = {}
    for name, spec in specs.items():
        raw = given.get(name, spec.default)
        try:
            value = _coerce(spec, raw)
        except (TypeError, ValueError):
            raise ParamError(
                f"{query_id}: parameter '{name}' = {raw!r} is not a {spec.type}",
                hint=f"use {_describe(spec)}",
            ) from None
        if spec.choices is not None and value not in spec.choices:
            raise ParamError(
                f"{query_id}: parameter '{name}' = {value!r} is not allowed",
                hint=f"use {_describe(spec)}",
            )
        out_of_range = (spec.min is not None and value < spec.min) or (
            spec.max is not None and value > spec.max
        )
        if out_of_range:
            raise ParamError(
                f"{query_id}: parameter '{name}' = {value!r} is out of range {_range(spec)}"
            )
        values[name] = value
    return values


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line into a dict (values stay strings).

    >>> parse_pairs(["identifier=device", "min_accounts=3"])
    {'identifier': 'device', 'min_accounts': '3'}
    """
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParamError(
                f"--param {pair!r} is not NAME=VALUE", hint="e.g. --param min_accounts=3"
            )
        parsed[name.strip()] = value.strip()
    return parsed
