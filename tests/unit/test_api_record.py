"""The record kit the response models are built on: types, aliases, defaults, hooks."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import pytest

from wizard.api.record import (
    BeforeValidator,
    Field,
    ModelConfig,
    Record,
    ShapeError,
    field_validator,
    is_built,
    model_validator,
)


class Child(Record):
    name: str
    count: int = 0


class Parent(Record):
    job_id: str = Field(alias="jobId")
    ready: bool = Field(default=False, alias="publishReady")
    ratio: float | None = None
    tags: list[str] = Field(default_factory=list)
    children: list[Child] = Field(default_factory=list)
    child: Child | None = None
    meta: dict[str, Any] | None = None
    either: int | str | None = None
    picked: Annotated[list[str], BeforeValidator(lambda v: v if isinstance(v, list) else [])] = (
        Field(default_factory=list)
    )
    sub: list[str] = Field(default_factory=list, aliases=("sub", "subTags", "children_names"))


def test_fields_read_by_alias_or_name_with_defaults() -> None:
    parent = Parent.model_validate({"jobId": "j1", "ratio": 2})
    assert parent.job_id == "j1" and parent.ready is False and parent.ratio == 2.0
    assert parent.tags == [] and parent.children == [] and parent.child is None
    assert parent.model_fields_set == {"job_id", "ratio"}
    assert Parent.model_validate({"job_id": "j2"}).job_id == "j2"
    # Default factories give each record its own list.
    first, second = Parent.model_validate({"jobId": "a"}), Parent.model_validate({"jobId": "b"})
    assert first.tags is not second.tags


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), ("false", False), ("YES", True), (0, False), (1, True), ("off", False)],
)
def test_booleans_read_like_json_servers_spell_them(raw: Any, expected: bool) -> None:
    assert Parent.model_validate({"jobId": "j", "publishReady": raw}).ready is expected


@pytest.mark.parametrize(
    "body",
    [
        {},  # the required field is missing
        {"jobId": 5},  # a number is not text
        {"jobId": "j", "publishReady": "maybe"},
        {"jobId": "j", "tags": "a"},
        {"jobId": "j", "tags": ["a", None]},
        {"jobId": "j", "children": [{"count": 1}]},
        {"jobId": "j", "child": "x"},
        {"jobId": "j", "ratio": "a lot"},
        {"jobId": "j", "meta": [1]},
        {"jobId": "j", "either": [1]},
    ],
)
def test_a_value_of_the_wrong_type_is_one_shape_error(body: dict[str, Any]) -> None:
    with pytest.raises(ShapeError) as caught:
        Parent.model_validate(body)
    assert str(caught.value).startswith(("Parent.", "Child."))


def test_a_reply_that_is_not_an_object_is_a_shape_error() -> None:
    raw: Any
    for raw in (None, [], "text", 3):
        with pytest.raises(ShapeError):
            Parent.model_validate(raw)


def test_nested_records_numbers_and_unions() -> None:
    parent = Parent.model_validate(
        {
            "jobId": "j",
            "children": [{"name": "a", "count": "3"}, {"name": "b", "count": 2.0}],
            "child": {"name": "c"},
            "either": "7",
            "meta": {"k": [1]},
            "picked": "not a list",
            "subTags": ["x"],
        }
    )
    assert [(c.name, c.count) for c in parent.children] == [("a", 3), ("b", 2)]
    assert parent.child == Child(name="c")
    assert parent.either == "7"  # text that looks like a number stays text in a union with str
    assert Parent.model_validate({"jobId": "j", "either": 7}).either == 7
    assert parent.meta == {"k": [1]} and parent.picked == [] and parent.sub == ["x"]
    with pytest.raises(ShapeError):
        Child.model_validate({"name": "a", "count": 2.5})


def test_dump_copy_and_equality() -> None:
    parent = Parent.model_validate({"jobId": "j", "child": {"name": "c", "count": 1}})
    dumped = parent.model_dump(by_alias=True)
    assert dumped["jobId"] == "j" and dumped["publishReady"] is False
    assert dumped["child"] == {"name": "c", "count": 1}
    assert Parent.model_validate(dumped) == parent
    assert parent.model_dump()["job_id"] == "j"
    copy = parent.model_copy(update={"ready": True})
    assert copy.ready and not parent.ready and copy.child is parent.child
    assert copy != parent
    assert repr(Child(name="x")) == "Child(name='x', count=0)"


class Hooked(Record):
    model_config: ClassVar[ModelConfig] = ModelConfig(extra="allow")

    field: str
    keys: list[str] = Field(default_factory=list)
    code: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"field": value} if isinstance(value, str) else value

    @field_validator("keys", mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("code", mode="after")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @model_validator(mode="after")
    def _default_keys(self) -> Hooked:
        if not self.keys:
            self.keys = [self.field]
        return self


def test_hooks_run_before_and_after_and_extras_are_kept() -> None:
    assert Hooked.model_validate("plain").keys == ["plain"]
    hooked = Hooked.model_validate({"field": "f", "keys": "k", "code": "ab", "other": 1})
    assert hooked.keys == ["k"] and hooked.code == "AB"
    assert hooked.model_extra == {"other": 1}
    assert hooked.model_dump()["other"] == 1
    assert Child.model_validate({"name": "a", "other": 1}).model_extra is None


class Overridden(Hooked):
    @field_validator("keys", mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        return ["replaced", *value]


def test_a_hook_redefined_in_a_subclass_replaces_its_parents() -> None:
    assert Overridden.model_validate({"field": "f", "keys": "k"}).keys == ["replaced", "k"]
    assert Overridden.model_fields() == ("field", "keys", "code")


def test_readers_are_built_on_first_use() -> None:
    class Late(Record):
        value: int = 0

    assert not is_built(Late)
    assert Late.model_validate({"value": "4"}).value == 4
    assert is_built(Late)
