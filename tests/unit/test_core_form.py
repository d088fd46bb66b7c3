"""FormModel: the one source of truth for a draft's form, tested without any UI."""

from __future__ import annotations

from typing import Any

from wizard.api.opentrain.models import DraftResponse
from wizard.core.form import FormModel, QuestionState
from wizard.core.session import DraftSession

EXPERIENCE = {
    "field": "experienceLevel",
    "message": "Experience level is required before publishing.",
    "type": "enum",
    "enumValues": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
    "updateKeys": ["experienceLevel"],
}
HEADCOUNT = {
    "field": "headcount",
    "message": "How many trainers?",
    "type": "number",
    "updateKeys": ["headcount"],
}
FIXED = {
    "field": "fixedPrice",
    "message": "A fixed price is required for fixed-price jobs.",
    "type": "number",
    "updateKeys": ["fixedPrice"],
}


def state_of(form: FormModel, field: str) -> QuestionState:
    """A question's state, read afresh (each call sees the model as it is now)."""
    return form.questions[field].state


def reply(
    *missing: Any, ready: bool = False, issues: Any = (), values: Any = None
) -> DraftResponse:
    return DraftResponse.model_validate(
        {
            "ok": True,
            "jobId": "job_1",
            "status": "DRAFT",
            "validation": {
                "publishReady": ready,
                "missingFields": list(missing),
                "issues": list(issues),
            },
            **({"normalizedFields": values} if values else {}),
        }
    )


def model(*missing: Any, values: Any = None, typed: Any = None) -> FormModel:
    session = DraftSession(job_id="job_1")
    session.apply(reply(*missing, values=values))
    return FormModel(session, typed)


def test_typing_moves_a_question_through_its_states() -> None:
    form = model(EXPERIENCE, HEADCOUNT)
    assert form.questions["headcount"].state == "open"
    form.type("headcount", "headcount", "0")
    assert state_of(form, "headcount") == "invalid"
    assert form.questions["headcount"].error == "Must be at least 1."
    form.type("headcount", "headcount", "5")
    assert state_of(form, "headcount") == "typed"
    assert form.unsent() == 1
    assert form.typed_snapshot() == {"headcount": "5"}


def test_a_refused_send_banner_goes_away_once_the_answer_is_fixed() -> None:
    form = model(HEADCOUNT)
    form.type("headcount", "headcount", "0")
    plan = form.begin_send()
    assert plan.problems and not plan.ok
    banner = form.banner()
    assert banner is not None and "nothing was sent" in banner.text
    form.type("headcount", "headcount", "3")
    assert form.banner() is None  # never a stale "fix the highlighted answer"


def test_a_send_carries_answers_and_value_edits_in_one_body() -> None:
    form = model(EXPERIENCE, values={"pricePerHour": 18, "jobTitle": "Reviewers"})
    form.type("experienceLevel", "experienceLevel", "EXPERT")
    assert form.edit_value("pricePerHour", "18") is None  # the same value: no edit
    assert form.value_edits == {}
    assert form.edit_value("pricePerHour", "22") is None
    plan = form.begin_send()
    assert plan.ok
    assert plan.body == {"experienceLevel": "EXPERT", "pricePerHour": "22"}
    assert form.questions["experienceLevel"].state == "sending"


def test_a_round_removes_answered_adds_new_and_keeps_what_is_still_typed() -> None:
    form = model(EXPERIENCE, HEADCOUNT)
    form.type("experienceLevel", "experienceLevel", "EXPERT")
    plan = form.begin_send()
    form.type("headcount", "headcount", "4")  # typed while the send is on its way
    session = form.session
    diff = session.apply(reply(HEADCOUNT, FIXED), sent={"experienceLevel": "EXPERT"})
    round_plan = form.round_applied(diff, plan.body)
    assert round_plan.removed == ["experienceLevel"]
    assert round_plan.added == ["fixedPrice"]
    assert "headcount" in round_plan.kept
    assert round_plan.resolved == ["experienceLevel"]
    assert form.questions["headcount"].raw == {"headcount": "4"}
    assert form.typed_snapshot() == {"headcount": "4"}
    assert form.questions["fixedPrice"].spec.is_new


def test_server_rejection_is_pinned_and_answers_are_kept() -> None:
    form = model(HEADCOUNT)
    form.type("headcount", "headcount", "9999")
    form.begin_send()
    pinned = form.send_refused({"headcount": "Too many trainers."}, "The server said no.")
    assert pinned == 1
    question = form.questions["headcount"]
    assert question.state == "rejected"
    assert question.raw == {"headcount": "9999"}
    banner = form.banner()
    assert banner is not None and "refused Headcount" in banner.text
    form.type("headcount", "headcount", "12")
    assert state_of(form, "headcount") == "typed"


def test_a_network_failure_keeps_every_answer_and_says_so() -> None:
    form = model(HEADCOUNT)
    form.type("headcount", "headcount", "3")
    form.begin_send()
    form.send_failed("Network problem talking to example.test.")
    assert not form.sending
    assert form.unsent() == 1
    banner = form.banner()
    assert banner is not None and banner.text.startswith("Network problem")


def test_typed_answers_restore_into_questions_and_values() -> None:
    form = model(
        EXPERIENCE,
        values={"pricePerHour": 18},
        typed={"experienceLevel": "EXPERT", "pricePerHour": "20", "gone": "x"},
    )
    assert form.restored == 2
    assert form.questions["experienceLevel"].origin == "resumed"
    assert form.value_edits["pricePerHour"].raw == "20"
    # An answer that matches nothing is kept, not dropped.
    assert form.typed_snapshot()["gone"] == "x"


def test_progress_and_publishing_are_derived_not_stored() -> None:
    form = model(HEADCOUNT)
    assert form.progress() == "1 left"
    form.type("headcount", "headcount", "3")
    assert form.progress() == "1 left"
    assert form.unsent() == 1
    plan = form.begin_send()
    diff = form.session.apply(reply(ready=True), sent={"headcount": 3})
    form.round_applied(diff, plan.body)
    assert form.progress() == "ready to publish"
    assert form.can_publish
    banner = form.banner()
    assert banner is not None and banner.kind == "success"
    form.edit_value("headcount", "4")
    assert not form.can_publish  # a typed change waits to be sent first


def test_switching_payment_type_marks_the_old_rate_as_not_applying() -> None:
    form = model(values={"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.04})
    assert form.stale_rates() == []
    form.edit_value("paymentType", "FIXED_PRICE")
    stale = form.stale_rates()
    assert [s.key for s in stale] == ["pricePerLabel"]
    assert "does not apply to a Fixed price job" in stale[0].sentence
    assert "no way to remove" in stale[0].sentence


def test_a_refused_answer_is_held_back_and_the_valid_ones_can_go_without_it() -> None:
    form = model(EXPERIENCE, HEADCOUNT)
    form.type("experienceLevel", "experienceLevel", "EXPERT")
    form.type("headcount", "headcount", "9999")
    assert form.begin_send().body == {"experienceLevel": "EXPERT", "headcount": "9999"}
    form.send_refused({"headcount": "Too many trainers."}, "The server said no.")
    # Both stay typed and unsent; the banner names the refused one and the way on.
    assert form.unsent() == 2
    banner = form.banner()
    assert banner is not None
    assert "refused Headcount" in banner.text and "other 1 answer without it" in banner.text
    plan = form.begin_send()
    assert plan.body == {"experienceLevel": "EXPERT"}
    assert form.questions["headcount"].state == "rejected"
    assert not form.questions["headcount"].sending
    # The valid answer lands; the refused one stays typed, with the server's sentence.
    diff = form.session.apply(reply(HEADCOUNT), sent=plan.body)
    form.round_applied(diff, plan.body)
    headcount = form.questions["headcount"]
    assert headcount.raw == {"headcount": "9999"}
    assert headcount.error == "Too many trainers."
    assert form.unsent() == 1
    banner = form.banner()
    assert banner is not None and banner.text.startswith("The other answers were saved")
    # Changing it puts it back in the next send.
    form.type("headcount", "headcount", "12")
    assert form.plan_send().body == {"headcount": "12"}


def test_publish_ready_alone_decides_even_with_advisory_issues() -> None:
    issue = {"code": "RATE_LOW", "field": "pricePerHour", "message": "Rate is below median."}
    session = DraftSession(job_id="job_1")
    session.apply(reply(ready=True, issues=[issue], values={"pricePerHour": 9}))
    form = FormModel(session)
    assert form.ready and form.can_publish
    assert form.progress() == "ready to publish"
    assert form.advisories() == [("pricePerHour", "Rate is below median.")]
    # On its field, as a warning, not an error: the server allows publishing.
    rate = form.questions["pricePerHour"]
    assert rate.warning == "Rate is below median." and rate.error is None
    banner = form.banner()
    assert banner is not None and banner.kind == "success"


def test_not_ready_when_the_server_says_so_even_without_questions() -> None:
    issue = {"code": "X", "message": "The description is too short."}
    session = DraftSession(job_id="job_1")
    session.apply(reply(ready=False, issues=[issue]))
    form = FormModel(session)
    assert not form.ready and not form.can_publish
    banner = form.banner()
    assert banner is not None and banner.text == "Not ready: The description is too short."


def test_an_unknown_country_code_warns_but_is_still_sent() -> None:
    from wizard.core.options import OptionCatalog

    countries = {
        "field": "countries",
        "message": "Countries are required.",
        "type": "string[]",
        "updateKeys": ["countries"],
    }
    session = DraftSession(job_id="job_1", catalog=OptionCatalog.reference())
    session.apply(reply(countries))
    form = FormModel(session)
    form.type("countries", "countries", ["US", "XX"])
    question = form.questions["countries"]
    assert question.state == "typed"
    assert question.warning is not None and "'XX'" in question.warning
    assert form.plan_send().body == {"countries": ["US", "XX"]}
    form.type("countries", "countries", ["Spain"])
    assert question.warning is None


def test_a_refused_answer_alone_is_sent_again_when_asked() -> None:
    form = model(HEADCOUNT)
    form.type("headcount", "headcount", "5")
    form.begin_send()
    form.send_refused({"headcount": "Try again later."}, "The server said no.")
    assert form.begin_send().body == {"headcount": "5"}
    assert form.sending
