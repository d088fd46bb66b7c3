"""The served wizard in a real headless Chromium: the token, the form, two participants,
and a reload that keeps typed answers."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.serve.browser import Tab, chromium, screenshot_path
from tests.serve.conftest import RunningRoom, until

DESCRIPTION_TITLE = "Spanish tutor for beginners"
DESCRIPTION_BODY = "Remote Spanish tutoring for adults, $25 an hour."


async def _create_draft(
    tab: Tab, title: str = DESCRIPTION_TITLE, body: str = DESCRIPTION_BODY
) -> None:
    await tab.wait_for("Create draft")
    await tab.page.locator(".textual-terminal").click()
    await tab.type(title)
    await tab.keys("Enter")
    await tab.type(body)
    mark = tab.mark()
    await tab.keys("Control+s")
    await tab.wait_for("Send answers", since=mark)


async def test_the_tokened_link_opens_the_wizard_and_reaches_the_form(
    room: RunningRoom, tmp_path: Path
) -> None:
    async with chromium() as browser:
        tab = await Tab.open(browser)
        start = time.perf_counter()
        response = await tab.page.goto(room.link)
        assert response is not None and response.ok
        assert tab.page.url == f"{room.base_url}/"  # the token left the address bar
        await tab.wait_for("Describe the job")
        first_screen = time.perf_counter() - start
        await _create_draft(tab)
        await tab.page.wait_for_timeout(300)  # let the last frame reach the canvas
        shot = screenshot_path(tmp_path, "browser-form.png")
        await tab.page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        cookies = await tab.page.context.cookies()
        room_cookie = next(c for c in cookies if c["name"] == "dw_room")
        assert room_cookie["httpOnly"] and room_cookie["sameSite"] == "Strict"
    assert "participant 1: draft created" in room.out.getvalue()
    print(f"first screen in the browser: {first_screen:.2f} s")


async def test_a_missing_or_wrong_token_is_refused_for_page_and_websocket(
    room: RunningRoom,
) -> None:
    ws_url = "ws" + room.base_url[len("http") :] + "/ws"
    async with chromium() as browser:
        tab = await Tab.open(browser)
        for url in (f"{room.base_url}/", f"{room.base_url}/?token={'A' * 43}"):
            response = await tab.page.goto(url)
            assert response is not None and response.status == 401
            assert "This room needs its link" in await tab.page.content()
            assert await tab.websocket_outcome(ws_url) == "refused"
            assert await tab.websocket_outcome(f"{ws_url}?token={'A' * 43}") == "refused"
        assert tab.text() == ""  # not one frame of the app reached the page
    assert list(room.server.room) == []  # and no process was started


async def test_two_participants_each_create_a_draft_and_see_only_their_own(
    room: RunningRoom,
) -> None:
    async with chromium() as browser:
        first, second = await Tab.open(browser), await Tab.open(browser)
        await asyncio.gather(first.page.goto(room.link), second.page.goto(room.link))
        await asyncio.gather(
            _create_draft(first, "Spanish tutor for beginners"),
            _create_draft(second, "Python code reviewer", "Review pull requests, $40 an hour."),
        )
        await until(lambda: all(p.progress.job_id for p in room.server.room))
        jobs = [participant.progress.job_id for participant in room.server.room]
        assert len(jobs) == 2 and all(jobs) and jobs[0] != jobs[1]
        for tab, other_title in ((first, "Python code reviewer"), (second, "Spanish tutor")):
            mark = tab.mark()
            await tab.keys("Escape")  # back to the start screen and its drafts list
            await tab.wait_for("1 draft", since=mark)
            assert other_title not in tab.text()
        first_job, second_job = (str(job) for job in jobs)
        assert second_job not in first.text() and first_job not in second.text()
    lines = room.out.getvalue()
    assert "participant 1: draft created" in lines and "participant 2: draft created" in lines
    assert "Spanish" not in lines and "Python" not in lines  # counts and ids, never answers


async def test_typed_answers_survive_a_reload(room: RunningRoom) -> None:
    async with chromium() as browser:
        tab = await Tab.open(browser)
        await tab.page.goto(room.link)
        await _create_draft(tab)
        await tab.wait_for("Labeling overview")
        await tab.type("Adults learning Spanish")  # first answer: the focused question
        await tab.keys("Tab", pause=0.3)
        await tab.type("Spain")  # second answer: pick a country
        await tab.keys("Enter", pause=0.3)
        await tab.wait_for("2 unsent")
        mark = tab.mark()
        await tab.page.reload()
        await tab.wait_for("Adults learning Spanish", since=mark)
        await tab.wait_for("Spain (ES)", since=mark)
        await tab.wait_for("2 unsent", since=mark)
    assert "reconnected (same session)" in room.out.getvalue()
