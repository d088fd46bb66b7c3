"""Records read from JSON: typed attributes, defaults, aliases and before/after hooks.

A response model subclasses ``Record`` and declares its fields as annotations, with
``Field(...)`` for an alias or a default factory, ``Annotated[T, BeforeValidator(f)]`` for
a conversion stated in the type, and ``field_validator`` / ``model_validator`` for the
rest. ``Model.model_validate(data)`` reads a JSON object into one, and any value that
cannot be read as its field's type raises ``ShapeError`` (a ``ValueError``), one
sentence naming the model and the field.

Why not pydantic: the client reads a few small replies per run, and importing pydantic
with its core took about 70 ms and 9 MiB of every command's start (``fill``'s whole
budget beside a plain httpx script, and the first form's memory). This module is the
subset the response models use, in plain Python, with pydantic's lax-mode conversions
for the types they declare (``str``, ``int``, ``float``, ``bool``, ``None``, unions of
those, ``list[...]``, ``dict[str, ...]``, ``Any`` and nested records) and its method
names (``model_validate``, ``model_dump``, ``model_copy``, ``model_fields``,
``model_fields_set``, ``model_extra``), so code above the client did not change.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self, TypeVar, dataclass_transform

Reader = Callable[[Any], Any]
"""Turns a raw JSON value into a field's value, or raises ``ShapeError``."""

_MISSING: Any = object()


class ShapeError(ValueError):
    """A JSON value that cannot be read as the record (a required field, a wrong type)."""


# ---- declaring fields ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    """What ``Field(...)`` says about one field."""

    default: Any = _MISSING
    default_factory: Callable[[], Any] | None = None
    alias: str | None = None
    """The JSON key, read first and written by ``model_dump(by_alias=True)``."""
    aliases: tuple[str, ...] = ()
    """Keys read in this order instead of the name (never written)."""


def Field(  # noqa: N802 - named like the field specifiers it stands in for
    default: Any = _MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    alias: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Any:
    """A field's default, default factory, JSON alias, or the keys it may be read from."""
    return FieldInfo(default, default_factory, alias, aliases)


@dataclass(frozen=True)
class BeforeValidator:
    """``Annotated`` metadata: run ``func`` on the raw value before its type is checked."""

    func: Reader


@dataclass(frozen=True)
class ModelConfig:
    """How a record treats keys it does not declare: dropped, or kept in ``model_extra``."""

    extra: Literal["ignore", "allow"] = "ignore"


@dataclass(frozen=True)
class _Hook:
    """A method marked by ``field_validator`` or ``model_validator``."""

    func: Any
    mode: Literal["before", "after"]
    fields: tuple[str, ...] = ()


def field_validator(*fields: str, mode: Literal["before", "after"] = "after") -> Reader:
    """Mark a classmethod ``(cls, value) -> value`` to run on the named fields."""

    def mark(func: Any) -> Any:
        return _Hook(func, mode, fields)

    return mark


def model_validator(*, mode: Literal["before", "after"]) -> Reader:
    """Mark a hook on the whole record: ``before`` a classmethod on the raw data,
    ``after`` a method on the new record that returns it."""

    def mark(func: Any) -> Any:
        return _Hook(func, mode)

    return mark


# ---- reading values by their declared type --------------------------------------------


def _read_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise ShapeError("expected text")


def _read_int(value: Any) -> int:
    # pydantic's lax mode: whole floats and numeric text are ints, booleans are 0 and 1.
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and len(text) <= 40:
            return int(text)
    raise ShapeError("expected a whole number")


def _read_float(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and len(value) <= 100:
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise ShapeError("expected a number")


_TRUE = frozenset({"true", "t", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "off", "0"})


def _read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ShapeError("expected true or false")


def _read_none(value: Any) -> None:
    if value is None:
        return None
    raise ShapeError("expected null")


def _read_any(value: Any) -> Any:
    return value


_SCALARS: dict[Any, Reader] = {
    str: _read_str,
    int: _read_int,
    float: _read_float,
    bool: _read_bool,
    type(None): _read_none,
    Any: _read_any,
    object: _read_any,
}


def _exact(tp: Any) -> type | None:
    """The Python type a value may already have for ``tp`` to take it as it is."""
    if tp is type(None):
        return type(None)
    return tp if tp in (str, int, float, bool) else None


def _union_reader(options: tuple[Any, ...]) -> Reader:
    readers = [reader_for(option) for option in options]
    exact = [(_exact(option), reader) for option, reader in zip(options, readers, strict=True)]

    def read(value: Any) -> Any:
        # Like pydantic's smart unions: a value that already has one of the types keeps it.
        for kind, reader in exact:
            if kind is not None and type(value) is kind:
                return reader(value)
        for reader in readers:
            try:
                return reader(value)
            except ShapeError:
                continue
        raise ShapeError("not any of the accepted types")

    return read


def _list_reader(item: Any) -> Reader:
    read_item = reader_for(item)

    def read(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise ShapeError("expected a list")
        return [read_item(entry) for entry in value]

    return read


def _dict_reader(item: Any) -> Reader:
    read_item = reader_for(item)

    def read(value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ShapeError("expected an object")
        out: dict[str, Any] = {}
        for key, entry in value.items():
            if not isinstance(key, str):
                raise ShapeError("expected text keys")
            out[key] = read_item(entry)
        return out

    return read


def _record_reader(model: type[Record]) -> Reader:
    def read(value: Any) -> Record:
        return model.model_validate(value)

    return read


def _chain(befores: list[Reader], then: Reader) -> Reader:
    def read(value: Any) -> Any:
        for before in befores:
            value = before(value)
        return then(value)

    return read


def reader_for(tp: Any) -> Reader:
    """The function that reads a raw JSON value as ``tp`` (a type annotation)."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and issubclass(tp, Record):
        return _record_reader(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        befores = [meta.func for meta in tp.__metadata__ if isinstance(meta, BeforeValidator)]
        inner = reader_for(args[0])
        return _chain(befores, inner) if befores else inner
    if origin in (typing.Union, types.UnionType):
        return _union_reader(args)
    if origin is list:
        return _list_reader(args[0] if args else Any)
    if origin is dict:
        return _dict_reader(args[1] if len(args) == 2 else Any)
    raise TypeError(f"a record cannot declare a field of type {tp!r}")


# ---- the record ------------------------------------------------------------------------


@dataclass
class _Slot:
    """One field, ready to read: where it comes from, how it is read, what it defaults to."""

    name: str
    keys: tuple[str, ...]
    alias: str | None
    read: Reader
    default: Any
    default_factory: Callable[[], Any] | None

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def default_value(self) -> Any:
        return self.default_factory() if self.default_factory is not None else self.default


@dataclass
class _Plan:
    """A record class's fields and hooks, built on first use (annotations resolved then)."""

    slots: list[_Slot]
    before: list[Reader]
    after: list[Callable[[Any], Any]]
    known_keys: frozenset[str]
    extra_allowed: bool


RecordT = TypeVar("RecordT", bound="Record")


@dataclass_transform(kw_only_default=True, field_specifiers=(Field,))
class Record:
    """Base of every response model; see the module docstring."""

    model_config: ClassVar[ModelConfig] = ModelConfig()
    _plans: ClassVar[dict[type, _Plan]] = {}
    _names: ClassVar[tuple[str, ...]] = ()

    __slots__ = ("__dict__", "_fields_set", "_extra")
    _fields_set: set[str]
    _extra: dict[str, Any] | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: list[str] = list(cls._names)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if "ClassVar" in str(annotation) or name.startswith("_") or name in names:
                continue
            names.append(name)
        cls._names = tuple(names)

    def __init__(self, **data: Any) -> None:
        # Keyword construction reads the values like a reply (by name or by alias).
        built = type(self).model_validate(data)
        object.__setattr__(self, "_fields_set", built._fields_set)
        object.__setattr__(self, "_extra", built._extra)
        self.__dict__.update(built.__dict__)

    # -- reading -------------------------------------------------------------------------

    @classmethod
    def _plan(cls) -> _Plan:
        plan = Record._plans.get(cls)
        if plan is None:
            plan = Record._plans[cls] = cls._build_plan()
        return plan

    @classmethod
    def _build_plan(cls) -> _Plan:
        hints = typing.get_type_hints(cls, include_extras=True)
        # A hook redefined under the same name replaces its parent's, as a method would.
        by_name = {n: h for k in reversed(cls.__mro__) for n, h in vars(k).items()}
        hooks = [h for h in by_name.values() if isinstance(h, _Hook)]
        slots: list[_Slot] = []
        for name in cls._names:
            spec = getattr(cls, name, _MISSING)
            info = spec if isinstance(spec, FieldInfo) else FieldInfo(default=spec)
            mine = [h for h in hooks if name in h.fields]
            befores = [_bound(h.func, cls) for h in mine if h.mode == "before"]
            afters = [_bound(h.func, cls) for h in mine if h.mode == "after"]
            read = reader_for(hints[name])
            if befores:
                read = _chain(befores, read)
            if afters:
                read = _then(read, afters)
            keys = info.aliases or tuple(k for k in (info.alias, name) if k)
            slots.append(_Slot(name, keys, info.alias, read, info.default, info.default_factory))
        return _Plan(
            slots=slots,
            before=[_bound(h.func, cls) for h in hooks if h.mode == "before" and not h.fields],
            after=[h.func for h in hooks if h.mode == "after" and not h.fields],
            known_keys=frozenset(key for slot in slots for key in slot.keys),
            extra_allowed=cls.model_config.extra == "allow",
        )

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """Read ``obj`` (a JSON object) as this record.

        Raises:
            ShapeError: a required field is missing, or a value is not of its type.
        """
        if isinstance(obj, cls):
            return obj
        plan = cls._plan()
        for hook in plan.before:
            obj = hook(obj)
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, Mapping):
            raise ShapeError(f"{cls.__name__}: expected an object")
        record = cls.__new__(cls)
        values = record.__dict__
        present: set[str] = set()
        for slot in plan.slots:
            for key in slot.keys:
                if key in obj:
                    try:
                        values[slot.name] = slot.read(obj[key])
                    except ShapeError as err:
                        raise ShapeError(f"{cls.__name__}.{slot.name}: {err}") from None
                    present.add(slot.name)
                    break
            else:
                if slot.required:
                    raise ShapeError(f"{cls.__name__}.{slot.name}: missing")
                values[slot.name] = slot.default_value()
        extra = None
        if plan.extra_allowed:
            extra = {k: v for k, v in obj.items() if k not in plan.known_keys}
        object.__setattr__(record, "_fields_set", present)
        object.__setattr__(record, "_extra", extra)
        for after in plan.after:
            record = after(record)
        return record

    # -- reading back ----------------------------------------------------------------------

    @classmethod
    def model_fields(cls) -> tuple[str, ...]:
        """The declared fields' names, in declaration order (parents' first)."""
        return cls._names

    @property
    def model_fields_set(self) -> set[str]:
        """The fields the data named (the rest took their defaults)."""
        return self._fields_set

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """Keys the record does not declare, when its config keeps them; else None."""
        return self._extra

    def model_dump(self, *, mode: str = "python", by_alias: bool = False) -> dict[str, Any]:
        """The record as plain data (nested records too), keyed by name or by alias."""
        out: dict[str, Any] = {}
        for slot in self._plan().slots:
            key = slot.alias if by_alias and slot.alias else slot.name
            out[key] = _dump(self.__dict__[slot.name], by_alias)
        if self._extra:
            out.update({k: _dump(v, by_alias) for k, v in self._extra.items()})
        return out

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A shallow copy with ``update`` applied as given (not read again)."""
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(update or {})
        object.__setattr__(copy, "_fields_set", self._fields_set | set(update or ()))
        object.__setattr__(copy, "_extra", self._extra)
        return copy

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self.__dict__ == other.__dict__ and self._extra == other._extra

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dicts it is read from

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._fields())
        return f"{type(self).__name__}({fields})"

    def _fields(self) -> Iterator[tuple[str, Any]]:
        for name in self._names:
            yield name, self.__dict__.get(name)


def is_built(model: type[Record]) -> bool:
    """Whether ``model``'s reader has been built (it is, on first use)."""
    return model in Record._plans


def _bound(func: Any, cls: type) -> Any:
    """A hook as a callable: classmethods bound to ``cls``, plain functions as they are."""
    return func.__get__(None, cls) if isinstance(func, classmethod) else func


def _then(read: Reader, afters: list[Reader]) -> Reader:
    def run(value: Any) -> Any:
        value = read(value)
        for after in afters:
            value = after(value)
        return value

    return run


def _dump(value: Any, by_alias: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(by_alias=by_alias)
    if isinstance(value, list | tuple):
        return [_dump(item, by_alias) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item, by_alias) for key, item in value.items()}
    return value
