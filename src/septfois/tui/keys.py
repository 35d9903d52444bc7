"""The key bindings of each screen, one table each, so that footer, help screen and palette agree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode

from septfois.i18n import Messages
from septfois.tui.textual_api import bindings


@dataclass(frozen=True)
class Key:
    """One binding: the keys, the action they run, the message naming it, and whether the footer shows it."""

    keys: str
    action: str
    label: str
    show: bool = True
    priority: bool = False
    help: str | None = None  # message key for the command palette; None keeps it out of the palette


# Footer order: help and quit first, as nano puts them, so that a narrow terminal still shows both.
EDITOR_KEYS: tuple[Key, ...] = (
    Key("f1", "help", "key.help", help="cmd.help.help"),
    Key("ctrl+q", "quit", "key.quit", priority=True, help="cmd.quit.help"),
    Key("ctrl+t", "send", "key.send", priority=True, help="cmd.send.help"),
    Key("ctrl+s", "save", "key.save", priority=True, help="cmd.save.help"),
    Key("ctrl+r", "apply_fix", "key.apply", priority=True, help="cmd.apply.help"),
    Key("f2", "toggle_account", "key.account", help="cmd.account.help"),
    Key("f3", "toggle_reply", "key.reply", help="cmd.reply.help"),
    Key("f4", "platforms", "key.platforms", help="cmd.platforms.help"),
    Key("f6", "cycle_language", "key.language", show=False, help="cmd.language.help"),
    Key("f8", "next_finding", "key.next", show=False, help="cmd.next.help"),
    Key("shift+f8", "previous_finding", "key.previous", show=False, help="cmd.previous.help"),
    Key("ctrl+p", "command_palette", "key.palette", show=False),
)

GATE_KEYS: tuple[Key, ...] = (
    Key("enter", "look", "key.look"),
    Key("a", "acknowledge", "key.acknowledge"),
    Key("p", "send('stdout')", "key.stdout"),
    Key("s", "send('file')", "key.file"),
    Key("c", "send('clipboard')", "key.clipboard"),
    Key("escape", "cancel", "key.cancel"),
)


def bind(node: DOMNode, keys: tuple[Key, ...], messages: Messages) -> None:
    """Add `keys` to a screen's or the app's bindings with labels in the UI language."""
    own = bindings(node)
    for key in keys:
        if key.action == "command_palette":
            continue  # the App binds it already; listed here for the help screen
        # Ours replace Textual's own binding of the same key (its ctrl+q is hidden from the footer).
        for name in key.keys.split(","):
            own.key_to_bindings.pop(name, None)
        own.bind(key.keys, key.action, messages(key.label), show=key.show, priority=key.priority)
