"""The TUI against a hostile server: server text is data, never code (issue 9).

Each case drives the real app (built by ``make_app``, as ``draft-wizard`` builds it)
over real HTTP against ``tests/hostile_server.py`` in one mode, and checks what a person
would see: the text shown as the characters the server sent (markup never parsed, no
clickable action planted), no escape byte reaching any widget, never the token, one
sentence instead of a hang or a traceback, and typed answers kept when a reply is
refused. The last case uses the in-process sandbox to show that opening a draft never
reverts a title changed elsewhere.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Select, Static

from tests.hostile_server import MARKUP, TITLE, HostileServer
from wizard.api.retry import RetryPolicy
from wizard.bootstrap import in_process_sandbox_backend, make_app
from wizard.config import DEFAULT_TIMEOUT
from wizard.core.journal import Journal
from wizard.settings import load_settings
from wizard.ui.app import WizardApp
from wizard.ui.dialogs.request_log import RequestLogScreen
from wizard.ui.screens.form import MAX_SHOWN, FormScreen
from wizard.ui.screens.start import StartScreen
from wizard.ui.widgets.banner import ProblemBanner
from wizard.ui.widgets.field_box import FieldBox

from .harness import form_screen, owning_box, real_api_app, type_answer, wait_for

TOKEN = "ot_pat_hostile_stand_in_0123456789abcdef"
"""A made-up token: the hostile server echoes whatever it receives."""

DESCRIPTION = "Draw bounding boxes around products on shelf photos."

SIZE = (120, 40)

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What must never reach a widget: C0 controls (but tab and newline), DEL and C1."""

HANG_GUARD = 60.0
"""How long a wait may last before the test calls it a hang. Not a speed budget: speed
is measured in ``bench/``; a loaded machine may be many times slower than an idle one."""


@pytest.fixture
def server(hostile_server: HostileServer) -> HostileServer:
    return hostile_server


def _app(base_url: str, **kwargs: Any) -> WizardApp:
    return real_api_app(base_url, TOKEN, deadline=1.0, **kwargs)


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = HANG_GUARD
) -> None:
    """``harness.wait_for`` for any app's pilot, on any truthy condition."""
    await wait_for(pilot, lambda: bool(condition()), timeout)


def _new_draft_app(server: HostileServer) -> WizardApp:
    return _app(server.base_url, description=DESCRIPTION, start_new=True)


async def _open_form(pilot: Pilot[Any], app: WizardApp) -> FormScreen:
    await until(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await until(pilot, lambda: form.rendered_round > 0)
    return form


async def _request_log_texts(pilot: Pilot[Any], app: WizardApp) -> list[str]:
    """Open the request log (ctrl+l) and read the screen and its widgets at every row."""
    await pilot.press("ctrl+l")
    await until(
        pilot,
        lambda: isinstance(app.screen, RequestLogScreen) and bool(app.screen.query(DataTable)),
    )
    log = app.screen
    await pilot.pause()
    table = log.query_one(DataTable)
    texts: list[str] = []
    for row in range(table.row_count):
        table.move_cursor(row=row)
        await pilot.pause()
        texts += [screen_text(app), *widget_texts(log)]
    return texts


async def _start_sentence(pilot: Pilot[Any], app: WizardApp) -> str:
    """The sentence the start screen ends on once the create is given up."""
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, StartScreen)
            and bool(start_banner(app))
            and not start_banner(app).startswith("Creating")
        ),
    )
    return start_banner(app)


def screen_text(app: WizardApp) -> str:
    """Every cell of the active screen as plain text, as the terminal would get it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def screenshot_text(app: WizardApp) -> str:
    """The SVG screenshot's text, tags dropped and entities decoded."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def click_actions(app: WizardApp) -> list[tuple[int, int, Any]]:
    """Cells of the active screen that carry a markup action (``@click`` and friends)."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            if any(key.startswith("@") and key != "@mouse.down" for key in meta):
                found.append((x, y, meta))
            x += segment.cell_length
    return found


def widget_texts(screen: Widget) -> list[str]:
    """What every widget of a screen renders: statics, labels, options, select values."""
    texts = []
    for widget in screen.walk_children(with_self=False):
        if isinstance(widget, Static):
            texts.append(str(widget.render()))
        if isinstance(widget, OptionList):
            for index in range(widget.option_count):
                texts.append(str(widget.get_option_at_index(index).prompt))
        if isinstance(widget, Select):
            texts.extend(str(prompt) for prompt, _ in widget._options)
    return texts


def model_texts(form: FormScreen) -> list[str]:
    """Every server string the form model holds."""
    texts = [form.session.title or ""]
    for question in form.model.questions.values():
        spec = question.spec
        texts += [spec.label, spec.prompt or "", spec.hint or "", spec.message or ""]
        texts += [spec.reason or ""]
        for part in spec.parts:
            texts += [part.label, part.placeholder or "", str(part.example or "")]
            texts += [option.label for option in part.options]
            texts += [str(option.value) for option in part.options]
    banner = form.model.banner()
    if banner is not None:
        texts.append(banner.text)
    return texts


def notifications(app: WizardApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


def start_banner(app: WizardApp) -> str:
    screen = app.screen
    assert isinstance(screen, StartScreen), f"not on the start screen: {screen!r}"
    return screen.query_one(ProblemBanner).text


def form_banner(form: FormScreen) -> str:
    return form.query_one(ProblemBanner).text


def assert_running(app: WizardApp) -> None:
    assert app.is_running, "the app ended"
    assert app.return_code is None, f"the app is exiting with {app.return_code}"


def assert_one_sentence(text: str) -> None:
    assert text, "no sentence on screen"
    assert "Traceback" not in text, text
    assert "\n" not in text.strip(), f"more than one line: {text!r}"
    assert text.strip()[-1] in ".)", f"not a sentence: {text!r}"


# ---- markup: shown as the characters it is, never parsed, never an action ------------------


async def test_markup_draft_opens_and_shows_labels_literally(server: HostileServer) -> None:
    server.mode = "markup"
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        assert_running(app)
        assert len(form.boxes()) == 3
        shown = screen_text(app)
        shot = screenshot_text(app)
        for text in (shown, shot):
            assert f"Experience level {MARKUP['label']}" in text  # not "Pay per label "
            assert MARKUP["hint"] in text
            assert "Close the tag [/] then" in text
        box = form.query_one("#box-headcount", FieldBox)
        assert str(box.query_one(".field-label", Static).render()) == (
            f"Headcount {MARKUP['label']}"
        )
        assert MARKUP["prompt"] in str(box.query_one(".field-prompt", Static).render())
        assert str(box.query_one(".field-hint", Static).render()) == (
            f"A whole number. {MARKUP['hint']}"
        )
        # The header line ends a long title with an ellipsis; the widget holds it whole.
        title = str(form.query_one("#draft-title", Static).render())
        assert title.startswith(f"{TITLE} {MARKUP['title']}")
        assert "Shelf boxes [/] [link=https://example.com]here[/link]" in title
        assert click_actions(app) == []


async def test_markup_select_options_are_literal(server: HostileServer) -> None:
    server.mode = "markup"
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        select = form.query_one("#field-experienceLevel", Select)
        select.focus()
        await pilot.press("enter")
        await until(pilot, lambda: select.expanded)
        await pilot.pause()
        overlay = select.query_one(OptionList)
        prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert MARKUP["enum"] in prompts  # "[b]EXPERT[/b]", not a bold "EXPERT"
        assert MARKUP["enum"] in screen_text(app)
        assert click_actions(app) == []
        # Choose it: the value is the server's string, shown as such.
        overlay.highlighted = prompts.index(MARKUP["enum"])
        await pilot.press("enter")
        await until(pilot, lambda: not select.expanded)
        assert select.value == MARKUP["enum"]
        assert MARKUP["enum"] in screen_text(app)
        assert form.model.questions["experienceLevel"].answers == {
            "experienceLevel": MARKUP["enum"]
        }
        assert_running(app)
        assert form_screen(app) is form


async def test_markup_palette_jump_entry_is_literal_and_inert(server: HostileServer) -> None:
    server.mode = "markup"
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"Headc")
        entry = f"Jump to: Headcount {MARKUP['label']}"
        await until(pilot, lambda: entry in screen_text(app))
        results = palette.query_one(CommandList)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert any(p.startswith(entry) for p in prompts), prompts
        assert any(MARKUP["prompt"] in p for p in prompts), prompts
        assert entry in screenshot_text(app)
        assert click_actions(app) == []
        await pilot.press("down", "enter")
        await until(pilot, lambda: form_screen(app) is form)
        await pilot.pause()
        assert_running(app)
        assert app.focused is not None and app.focused.id == "field-headcount"


async def test_markup_clicking_server_text_does_nothing(server: HostileServer) -> None:
    server.mode = "markup"
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        await type_answer(pilot, form, "headcount", "5", HANG_GUARD)
        # Where a parsed ``[@click=app.quit]…[/]`` would have put its live text: the tag
        # itself and the words after it, in the title, labels, prompts, reasons and hints.
        # The first question's text only (each click takes a while under Pilot).
        left = form.query_one("#fields").region.x
        spots = []
        for y, line in enumerate(screen_text(app).splitlines()[:12]):
            for tag in ("[@click=app.quit]", "[USD]"):
                spots += [(found.start() + 1, y) for found in re.finditer(re.escape(tag), line)]
        spots = [(x, y) for x, y in spots if x > left]
        assert len(spots) >= 4, screen_text(app)
        for x, y in spots:
            await pilot.click(offset=(x, y))
            assert_running(app)
        await pilot.click(form.query_one("#draft-title", Static), offset=(30, 0))
        assert_running(app)
        assert form_screen(app) is form
        assert form.query_one("#box-headcount", FieldBox).answers() == {"headcount": "5"}
        assert form.model.unsent() == 1


# ---- escape sequences: dropped before any widget sees them -----------------------------------


async def test_escapes_never_reach_a_widget(server: HostileServer) -> None:
    server.mode = "escapes"
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        shown = screen_text(app)
        assert "What experience level should trainers have?" in shown
        texts = [shown, *widget_texts(form), *model_texts(form), *notifications(app)]
        # The languages picker lists facets, which carry the escapes too.
        picker = form.query_one("#box-languages").query_one(OptionList)
        options = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert any(option.startswith("English") for option in options), options[:5]
        texts += await _request_log_texts(pilot, app)
        for text in texts:
            assert not UNSAFE.search(text), f"a control character reached the screen: {text!r}"
            # The payload of the title-setting, clipboard and link sequences went with them.
            for payload in ("pwned title", "cm0gLXJmIH4=", "evil.example", "c1 title"):
                assert payload not in text, text


# ---- a server that echoes the token --------------------------------------------------------


async def test_an_echoed_token_is_never_shown_or_journaled(
    server: HostileServer, isolated_home: Path
) -> None:
    server.mode = "echo"
    patches = len(server.seen("PATCH"))
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        seen = [screen_text(app), *widget_texts(form)]
        assert "«redacted»" in seen[0]
        # An error whose code, zod path and message carry the token.
        await type_answer(pilot, form, "headcount", "5", HANG_GUARD)
        server.reject_patch = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not form.model.sending and bool(form_banner(form)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen += [screen_text(app), app.export_screenshot(), *widget_texts(form)]
        seen += [form_banner(form), *notifications(app)]
        seen += await _request_log_texts(pilot, app)
        seen.append(app.export_screenshot())
        seen += [json.dumps(e.__dict__, default=str, ensure_ascii=False) for e in app.exchanges]
        seen += notifications(app)
    assert len(server.seen("PATCH")) > patches, "the answer was sent"
    for text in seen:
        assert TOKEN not in text, f"the token reached the screen: {text[:400]!r}"
    state = isolated_home / "state"
    stored = b"".join(p.read_bytes() for p in sorted(state.rglob("*")) if p.is_file())
    assert stored, "the journal was written"
    assert TOKEN.encode() not in stored, "the token reached the journal"


# ---- a dripping server: abandoned within the deadline ------------------------------------


async def test_a_dripping_create_ends_in_one_sentence(server: HostileServer) -> None:
    server.mode = "drip"
    server.drip_interval = 0.2
    server.drip_routes = ("POST /api/public/v1/job-drafts",)
    app = _new_draft_app(server)
    earlier, finished = len(server.seen("POST", "/job-drafts")), server.drips_finished
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(server.seen("POST", "/job-drafts")) > earlier)
        sentence = await _start_sentence(pilot, app)
        assert "did not finish answering within 1 s" in sentence, sentence
        assert_one_sentence(sentence)
        # A deadline per attempt, not "forever": a bounded number of attempts, each
        # given up by the client while the server was still dripping its reply.
        attempts = len(server.seen("POST", "/job-drafts")) - earlier
        assert 1 <= attempts <= RetryPolicy().max_attempts, attempts
        assert server.drips_finished == finished, "a dripped reply was read to its end"
        assert_running(app)
        assert form_screen(app) is None


# ---- ten thousand questions --------------------------------------------------------------


async def test_ten_thousand_questions_open_and_stay_responsive(server: HostileServer) -> None:
    """A draft of 10,000 questions: the form opens on the first ones, says how many wait,
    and every key typed reaches the form. How fast is ``bench/test_scale.py``'s to judge
    (a 1,000-question draft), not a timed test's."""
    server.mode = "huge"
    # The client waits as long as the real one does: the subject is the size of the
    # reply, not a slow server, so a loaded machine must not turn it into a timeout.
    http = httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
    app = real_api_app(server.base_url, TOKEN, http=http, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        assert len(form.model.questions) == server.huge_questions
        boxes = list(form.query(FieldBox))
        assert [b.spec.field for b in boxes] == [f"customQuestion{i}" for i in range(MAX_SHOWN)]
        waiting = str(form.query_one("#more-questions", Static).render())
        assert f"{server.huge_questions - MAX_SHOWN:,} more questions" in waiting, waiting
        box = form.query_one("#box-customQuestion0", FieldBox)
        assert app.focused is not None and box in app.focused.ancestors_with_self
        typed = ""
        for key in "abc":
            typed += key
            await pilot.press(key)
            await until(pilot, _typed_is(form, typed))
        assert form.model.unsent() == 1
        assert box.answers() == _answer("abc")
        # Still taking keys after the typing: tab moves on to the second question.
        await pilot.press("tab")
        await until(pilot, lambda: owning_box(app.focused) is boxes[1])
        assert_running(app)


def _answer(text: str) -> dict[str, Any]:
    return {"customQuestion0": text}


def _typed_is(form: FormScreen, text: str) -> Callable[[], bool]:
    """Whether the first question holds ``text`` in the form model."""
    return lambda: form.model.questions["customQuestion0"].answers == _answer(text)


# ---- malformed replies: one sentence, the app goes on ----------------------------------------


@pytest.mark.parametrize(("mode", "phrase"), [("deep", "nested more than"), ("bloat", "127.0.0.1")])
async def test_a_malformed_create_reply_is_one_sentence(
    server: HostileServer, mode: str, phrase: str
) -> None:
    server.mode = mode
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: server.seen("POST", "/job-drafts"))
        sentence = await _start_sentence(pilot, app)
        assert phrase in sentence, sentence
        assert_one_sentence(sentence)
        assert not [n for n in notifications(app) if "Unexpected problem" in n]
        assert_running(app)
        assert form_screen(app) is None


# ---- a reply for another draft -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["job_id", "job_id_empty"])
async def test_a_reply_for_another_draft_is_refused_and_the_answer_kept(
    server: HostileServer, mode: str
) -> None:
    app = _new_draft_app(server)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        job_id = form.session.job_id
        server.mode = mode
        await type_answer(pilot, form, "headcount", "5", HANG_GUARD)
        patches = len(server.seen("PATCH"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(server.seen("PATCH")) > patches)
        await until(pilot, lambda: not form.model.sending and bool(form_banner(form)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        sentence = form_banner(form)
        assert "Traceback" not in sentence
        assert "another draft" in sentence, sentence
        assert "kept" in sentence or "saved" in sentence, sentence
        assert form.session.job_id == job_id, "the draft being edited never changes"
        assert form.model.unsent() == 1, "the typed answer still counts as unsent"
        assert form.query_one("#box-headcount", FieldBox).answers() == {"headcount": "5"}
        assert_running(app)


# ---- a title changed elsewhere survives open -----------------------------------------------


async def test_a_title_changed_elsewhere_survives_open() -> None:
    backend = in_process_sandbox_backend(journal=Journal.default())
    session = await backend.engine.create(
        "Spanish call-center transcript review\n"
        "Native Spanish speakers review machine transcripts of support calls. Pay: $18/h.\n"
    )
    job_id = session.job_id
    assert session.title and session.title != "Changed in the web app"
    # Changed in the web app: straight to the server, the journal still has the old title.
    await backend.client.update_draft(job_id, {"jobTitle": "Changed in the web app"})
    app = make_app(load_settings(force_sandbox=True), backend, job_id=job_id)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(pilot, app)
        assert form.session.job_id == job_id
        title = str(form.query_one("#draft-title", Static).render())
        assert title.startswith("Changed in the web app"), title
        # Read behind the app's back: its request log must not hear of it as it closes.
        backend.client.observer = None
        page = await backend.client.my_jobs(status="DRAFT")
        listed = {job.id: job.title for job in page.jobs}
        assert listed[job_id] == "Changed in the web app"
        assert_running(app)
