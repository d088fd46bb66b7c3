"""How the plain mode reads a typed line: choices, lists, yes/no, and when it is chosen."""

from __future__ import annotations

import io

import pytest

from wizard.api.opentrain.models import MissingField, Validation
from wizard.core.fields import FieldSpec, build_spec
from wizard.core.form import FormModel
from wizard.core.options import Option
from wizard.core.session import DraftSession
from wizard.plain.matching import match_choice, split_list, top_values, yes_no
from wizard.plain.mode import conversation_streams, plain_reason
from wizard.plain.render import answer_prompt, round_summary, why

LEVELS = [
    Option("EXPERT", "Expert"),
    Option("ENTRY_LEVEL", "Entry level"),
    Option("INTERMEDIATE", "Intermediate"),
    Option("ANY_EXPERIENCE_LEVEL", "Any experience level"),
]
PAYMENT = [
    Option("PAY_PER_LABEL", "Pay per label"),
    Option("PAY_PER_HOUR", "Pay per hour"),
    Option("FIXED_PRICE", "Fixed price"),
]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1", "EXPERT"),
        ("2.", "ENTRY_LEVEL"),
        (" 4 ", "ANY_EXPERIENCE_LEVEL"),
        ("expert", "EXPERT"),
        ("ENTRY_LEVEL", "ENTRY_LEVEL"),
        ("entry level", "ENTRY_LEVEL"),
        ("int", "INTERMEDIATE"),
        ("An", "ANY_EXPERIENCE_LEVEL"),
        ("entry_", "ENTRY_LEVEL"),
    ],
)
def test_a_choice_by_number_name_value_or_prefix(typed: str, value: str) -> None:
    match = match_choice(typed, LEVELS)
    assert match.problem is None
    assert match.option is not None and match.option.value == value


def test_the_start_of_a_word_names_a_choice_when_no_label_starts_so() -> None:
    match = match_choice("hour", PAYMENT)
    assert match.option is not None and match.option.value == "PAY_PER_HOUR"


def test_an_exact_name_wins_over_a_longer_option_it_begins() -> None:
    options = [Option("EXPERT_REVIEWER", "Expert reviewer"), Option("EXPERT", "Expert")]
    match = match_choice("expert", options)
    assert match.option is not None and match.option.value == "EXPERT"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0", "There is no choice 0; type a number from 1 to 4, or a name."),
        ("7", "There is no choice 7; type a number from 1 to 4, or a name."),
        ("e", "'e' could be Expert or Entry level; type more of it, or its number."),
        ("pay per", "'pay per' could be Pay per label or Pay per hour; type more of it"),
        ("guru", "'guru' is not one of the choices; type a number from 1 to 4, or a name."),
    ],
)
def test_a_wrong_or_ambiguous_choice_gets_one_sentence(typed: str, problem: str) -> None:
    options = PAYMENT if typed.startswith("pay") else LEVELS
    match = match_choice(typed, options)
    assert match.option is None
    assert match.problem is not None and match.problem.startswith(problem)
    assert match.problem.count(".") <= 2  # one sentence ("1 to 4" has none)


def test_lists_are_comma_separated_trimmed_and_once_each() -> None:
    assert split_list(" US, nl ,,US, Germany ") == ["US", "nl", "Germany"]
    assert split_list(" , ") == []


@pytest.mark.parametrize(
    ("typed", "default", "answer"),
    [("", False, False), ("", True, True), ("Y", False, True), ("no", True, False)],
)
def test_yes_no_with_a_default(typed: str, default: bool, answer: bool) -> None:
    assert yes_no(typed, default=default) is answer


def test_yes_no_refuses_anything_else() -> None:
    assert yes_no("maybe", default=False) is None


def test_top_values_are_the_counted_ones_most_used_first() -> None:
    options = [Option("a", "A", count=3), Option("b", "B", count=0), Option("c", "C", count=9)]
    assert [o.value for o in top_values(options)] == ["c", "a"]


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    ("env", "stdin_tty", "stdout_tty", "reason"),
    [
        ({"TERM": "xterm-256color"}, True, True, None),
        ({"TERM": "dumb"}, True, True, "TERM is dumb"),
        ({"TERM": "xterm"}, False, True, "standard input is not a terminal"),
        ({"TERM": "xterm"}, True, False, "standard output is not a terminal"),
        # textual-serve: its streams are pipes to the browser, and the TUI always runs.
        ({"TERM": "dumb", "TEXTUAL_DRIVER": "textual_serve"}, False, False, None),
    ],
)
def test_when_the_plain_mode_is_chosen_by_itself(
    env: dict[str, str], stdin_tty: bool, stdout_tty: bool, reason: str | None
) -> None:
    assert plain_reason(env, _Stream(stdin_tty), _Stream(stdout_tty)) == reason


def test_a_captured_stdout_leaves_the_conversation_on_the_terminal() -> None:
    keyboard, terminal, captured = _Stream(True), _Stream(True), _Stream(False)
    assert conversation_streams(keyboard, captured, terminal) == (terminal, captured)
    # A file or pipe for input (a script), or a terminal stdout: all on stdout.
    assert conversation_streams(_Stream(False), captured, terminal) == (captured, None)
    assert conversation_streams(keyboard, terminal, _Stream(False)) == (terminal, None)


def _spec(**fields: object) -> FieldSpec:
    return build_spec(MissingField.model_validate(fields))


def test_why_is_said_only_when_it_adds_something() -> None:
    generic = _spec(
        field="headcount", label="Headcount", message="Headcount is required before publishing."
    )
    telling = _spec(
        field="labelingOverview",
        prompt="What exactly will trainers label?",
        message="A labeling overview is required while the job description is short.",
    )
    echo = _spec(field="title", prompt="Title?", message="Title?")
    assert why(generic) is None
    assert why(echo) is None
    assert why(telling) == "A labeling overview is required while the job description is short."


def test_the_answer_line_says_what_kind_of_answer_it_takes() -> None:
    spec = _spec(
        field="dataVolume",
        type="number",
        example="20000",
        updateKeys=["dataVolume", "dataVolumeUnit"],
    )
    number, unit = spec.parts
    assert answer_prompt(number) == "Data volume (e.g. 20000): "
    assert answer_prompt(unit) == "Data volume unit (number or name): "


def test_the_round_summary_names_a_new_question_and_why() -> None:
    session = DraftSession(job_id="j1")
    session.apply_validation(_validation(["paymentType", "headcount"]))
    model = FormModel(session)
    sent = {"paymentType": "PAY_PER_HOUR"}
    diff = session.apply_validation(_validation(["pricePerHour", "headcount"]), sent)
    plan = model.round_applied(diff, sent)
    assert round_summary(plan, model) == (
        "Saved: 1 answered, 1 new question: Hourly rate, because you chose Pay per "
        "hour. 2 questions left."
    )


def _validation(fields: list[str]) -> Validation:
    return Validation.model_validate(
        {"publishReady": False, "missingFields": [{"field": f} for f in fields]}
    )
