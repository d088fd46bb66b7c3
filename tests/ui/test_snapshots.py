"""Snapshots of the key screens, on the real embedded sandbox, pinned to be deterministic.

Each test builds the app as ``draft-wizard --sandbox`` does, drives it with the shared
scenario from ``tests/ui/scenarios.py`` and compares the screen with the SVG committed
under ``tests/ui/__snapshots__/``. Accept intended changes with ``make snapshot-update``
and look at every changed SVG before committing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .scenarios import SCENARIOS, Scenario, deterministic

SnapCompare = Callable[..., bool]
SnapScenario = Callable[[str], bool]


@pytest.fixture
def snap_scenario(snap_compare: SnapCompare) -> Iterator[SnapScenario]:
    """Run a named scenario under ``deterministic()`` and compare its screen."""

    def run(name: str) -> bool:
        scenario: Scenario = SCENARIOS[name]
        app = scenario.build()
        return snap_compare(app, terminal_size=scenario.size, run_before=scenario.run_before)

    with deterministic():
        yield run


def test_start_screen(snap_scenario: SnapScenario) -> None:
    """Start: sample picker, description box, the (empty) drafts list; 120x40."""
    assert snap_scenario("start")


def test_start_screen_narrow(snap_scenario: SnapScenario) -> None:
    """Start at 80x24."""
    assert snap_scenario("start_narrow")


def test_form_short_string_text_area_and_selects(snap_scenario: SnapScenario) -> None:
    """A one-line description: title (Input), overview (TextArea), experience (Select)."""
    assert snap_scenario("form")


def test_form_narrow(snap_scenario: SnapScenario) -> None:
    """The form below 100 columns: no checklist sidebar; 80x24."""
    assert snap_scenario("form_narrow")


def test_form_list_pickers_with_facet_counts(snap_scenario: SnapScenario) -> None:
    """Languages and countries: filterable multi-selects, options with facet counts."""
    assert snap_scenario("form_lists")


def test_form_number_and_compound_data_volume(snap_scenario: SnapScenario) -> None:
    """Headcount (number) and data volume + unit (one compound question)."""
    assert snap_scenario("form_numbers")


def test_inline_client_error(snap_scenario: SnapScenario) -> None:
    """Headcount 0: "Must be at least 1." under the question, nothing sent."""
    assert snap_scenario("inline_error")


def test_server_rejected_field(snap_scenario: SnapScenario) -> None:
    """Country XX: the 400's zod issue pinned to Countries, the banner says so."""
    assert snap_scenario("server_rejected")


def test_new_field_marked_with_reason(snap_scenario: SnapScenario) -> None:
    """Pay per hour sent: the hourly rate appears marked NEW with its reason; +1 new."""
    assert snap_scenario("new_field")


def test_rate_hint(snap_scenario: SnapScenario) -> None:
    """Pay per hour chosen: what similar open jobs pay, under the hourly rate; 120x40."""
    assert snap_scenario("rate_hint")


def test_rate_hint_narrow(snap_scenario: SnapScenario) -> None:
    """The rate hint at 80x24."""
    assert snap_scenario("rate_hint_narrow")


def test_filtered_list(snap_scenario: SnapScenario) -> None:
    """Typing "united" in the countries filter: 4 of 249 match."""
    assert snap_scenario("filtered_list")


def test_review(snap_scenario: SnapScenario) -> None:
    """Review: every value with its source, the parser's doubts, Publish focused."""
    assert snap_scenario("review")


def test_publish_result(snap_scenario: SnapScenario) -> None:
    """Published in the sandbox: the job URL and the server's warning."""
    assert snap_scenario("publish_result")


def test_moderation_block(snap_scenario: SnapScenario) -> None:
    """Publishing a crypto job: the 403's reasons in the banner and per field."""
    assert snap_scenario("moderation_block")


def test_request_log(snap_scenario: SnapScenario) -> None:
    """The request log after the rejected PATCH: the 400 highlighted with both bodies."""
    assert snap_scenario("request_log")


def test_help(snap_scenario: SnapScenario) -> None:
    """F1 over the form: the loop and every key; 120x40."""
    assert snap_scenario("help")


def test_help_narrow(snap_scenario: SnapScenario) -> None:
    """F1 at 80x24."""
    assert snap_scenario("help_narrow")


def test_server_rejected_field_narrow(snap_scenario: SnapScenario) -> None:
    """The refused country at 80x24: the server's sentence above the list, in view."""
    assert snap_scenario("server_rejected_narrow")


def test_new_field_marked_with_reason_narrow(snap_scenario: SnapScenario) -> None:
    """The hourly rate marked NEW with its one reason, at 80x24."""
    assert snap_scenario("new_field_narrow")


def test_review_narrow(snap_scenario: SnapScenario) -> None:
    """The review at 80x24: Field, Value and Source columns all in view."""
    assert snap_scenario("review_narrow")


def test_publish_result_narrow(snap_scenario: SnapScenario) -> None:
    """Published, at 80x24: the job URL, the draft URL, o opens it."""
    assert snap_scenario("publish_result_narrow")


def test_add_detail(snap_scenario: SnapScenario) -> None:
    """ "Add a detail": accepted keys not asked for, each with its widget; one typed."""
    assert snap_scenario("add_detail")


def test_add_detail_narrow(snap_scenario: SnapScenario) -> None:
    """ "Add a detail" at 80x24."""
    assert snap_scenario("add_detail_narrow")


def test_review_warnings(snap_scenario: SnapScenario) -> None:
    """The review of a draft whose description gave a pay range: warning and doubts."""
    assert snap_scenario("review_warnings")


def test_review_warnings_narrow(snap_scenario: SnapScenario) -> None:
    """Warnings in the review at 80x24."""
    assert snap_scenario("review_warnings_narrow")


def test_tour_offer(snap_scenario: SnapScenario) -> None:
    """First bare start: the guided first run offered in a note; the description has focus."""
    assert snap_scenario("tour_offer")


def test_tour_offer_narrow(snap_scenario: SnapScenario) -> None:
    """The offer at 80x24."""
    assert snap_scenario("tour_offer_narrow")


def test_tour_send_step(snap_scenario: SnapScenario) -> None:
    """Tour step 3 on the practice draft: the send row outlined, the note says what to do."""
    assert snap_scenario("tour_send")


def test_tour_send_step_narrow(snap_scenario: SnapScenario) -> None:
    """Tour step 3 at 80x24."""
    assert snap_scenario("tour_send_narrow")


def test_tour_publish_step(snap_scenario: SnapScenario) -> None:
    """Tour step 6 over the review: Publish outlined."""
    assert snap_scenario("tour_publish")


def test_tour_publish_step_narrow(snap_scenario: SnapScenario) -> None:
    """Tour step 6 at 80x24."""
    assert snap_scenario("tour_publish_narrow")


def test_tour_summary(snap_scenario: SnapScenario) -> None:
    """The tour's closing summary over the published page."""
    assert snap_scenario("tour_summary")


def test_every_scenario_has_a_snapshot_test() -> None:
    """A scenario added to the catalogue must get its snapshot test here too."""
    tested = {
        "start",
        "start_narrow",
        "form",
        "form_narrow",
        "form_lists",
        "form_numbers",
        "inline_error",
        "server_rejected",
        "new_field",
        "rate_hint",
        "rate_hint_narrow",
        "filtered_list",
        "review",
        "publish_result",
        "moderation_block",
        "request_log",
        "help",
        "help_narrow",
        "server_rejected_narrow",
        "new_field_narrow",
        "review_narrow",
        "publish_result_narrow",
        "add_detail",
        "add_detail_narrow",
        "review_warnings",
        "review_warnings_narrow",
        "tour_offer",
        "tour_offer_narrow",
        "tour_send",
        "tour_send_narrow",
        "tour_publish",
        "tour_publish_narrow",
        "tour_summary",
    }
    assert set(SCENARIOS) == tested
