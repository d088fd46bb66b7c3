"""Tests of ``draft-wizard serve``: the gate, the environment, the room, a real browser."""
