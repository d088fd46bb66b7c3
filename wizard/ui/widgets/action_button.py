"""The buttons of every screen: Textual's Button, styled without its whole stylesheet.

Textual's ``Button`` brings 7 KB of default CSS: its ANSI and "flat" looks and their
variants, which the wizard never shows. Parsing and holding those rules cost about
6 ms and 0.6 MiB the first time a button is mounted, which is on the way to the first
form. ``ActionButton`` is a ``Button`` (same messages, keys, variants and compact look)
whose CSS is only the default look's rules, copied from Button's.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button


class ActionButton(Button):
    """A ``Button`` with only the default look's CSS (see the module docstring)."""

    DEFAULT_CSS = """
    ActionButton {
        width: auto;
        min-width: 16;
        height:auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        &.-style-default {
            text-style: bold;
            color: $button-foreground;
            background: $surface;
            border: none;
            border-top: tall $surface-lighten-1;
            border-bottom: tall $surface-darken-1;
            &.-textual-compact {
                border: none !important;
            }
            &:disabled {
                text-opacity: 0.6;
                pointer: not-allowed;
            }
            &:focus {
                text-style: $button-focus-text-style;
                background-tint: $foreground 5%;
            }
            &:hover {
                border-top: tall $surface;
                background: $surface-darken-1;
            }
            &.-active {
                background: $surface;
                border-bottom: tall $surface-lighten-1;
                border-top: tall $surface-darken-1;
                tint: $background 30%;
            }
            &.-primary {
                color: $button-color-foreground;
                background: $primary;
                border-top: tall $primary-lighten-3;
                border-bottom: tall $primary-darken-3;
                &:hover {
                    background: $primary-darken-2;
                    border-top: tall $primary;
                }
                &.-active {
                    background: $primary;
                    border-bottom: tall $primary-lighten-3;
                    border-top: tall $primary-darken-3;
                }
            }
            &.-success {
                color: $button-color-foreground;
                background: $success;
                border-top: tall $success-lighten-2;
                border-bottom: tall $success-darken-3;
                &:hover {
                    background: $success-darken-2;
                    border-top: tall $success;
                }
                &.-active {
                    background: $success;
                    border-bottom: tall $success-lighten-2;
                    border-top: tall $success-darken-2;
                }
            }
            &.-warning{
                color: $button-color-foreground;
                background: $warning;
                border-top: tall $warning-lighten-2;
                border-bottom: tall $warning-darken-3;
                &:hover {
                    background: $warning-darken-2;
                    border-top: tall $warning;
                }
                &.-active {
                    background: $warning;
                    border-bottom: tall $warning-lighten-2;
                    border-top: tall $warning-darken-2;
                }
            }
            &.-error {
                color: $button-color-foreground;
                background: $error;
                border-top: tall $error-lighten-2;
                border-bottom: tall $error-darken-3;
                &:hover {
                    background: $error-darken-1;
                    border-top: tall $error;
                }
                &.-active {
                    background: $error;
                    border-bottom: tall $error-lighten-2;
                    border-top: tall $error-darken-2;
                }
            }
        }
    }
    """

    def _get_default_css(self) -> list[Any]:
        # Textual gathers each base class's DEFAULT_CSS here when the first instance
        # mounts; Button's is left out (the rules above replace the part in use). The
        # type names stay Button's, so "Button" selectors and queries still match.
        return [entry for entry in super()._get_default_css() if entry[1] is not Button.DEFAULT_CSS]
