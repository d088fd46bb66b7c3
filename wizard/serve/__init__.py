"""``draft-wizard serve``: the TUI in browsers, one wizard process per participant.

textual-serve draws a Textual app in a browser tab over a websocket. Around it this
package adds what a room of participants needs: a per-launch token (``gate``), a
clean, separate environment per participant (``environment``), processes that survive
a reload (``participants``), a facilitator's view (``events``, ``status``) and a
clean stop (``server``). aiohttp and textual-serve are imported only here, so no
other command pays for them at start-up.
"""
