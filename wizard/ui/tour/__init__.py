"""The guided first run: a short tour laid over the normal screens.

The tour is a layer, not a copy of the app: a note docked at the bottom of the screen
the person is on, and a highlight on the part it talks about. It advances when the
person does the step's practice task on a real (sandbox) draft, observed through the
messages and screen changes the screens already produce.

- ``steps``: the steps as data (what to look at, what to try, what completes it).
- ``marker``: the per-user file that says the tour was offered once.
- ``note``: the note widget and the highlight style.
- ``controller``: the tour's state, the offer, and what each observed event does.
- ``hooks``: the app mixin that forwards events to the controller, and the keys.
"""
