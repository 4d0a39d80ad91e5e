"""The one rule for text that users wrote: no control characters.

Every piece of text read from a scenario, a sweep override, a Genius or GeniusWeb file or a
``.nfg`` game (names, titles, descriptions, labels, quotes, keys) is refused at load if it
holds a control character: C0 (U+0000 to U+001F) except tab and newline, DEL (U+007F), or
C1 (U+0080 to U+009F, which includes the one-byte CSI U+009B). That excludes ESC (U+001B),
so no terminal escape sequence (clearing the screen, setting the window title), and no
character that XML 1.0 forbids or that makes an SVG figure or an exported Genius file
ill-formed, can reach an output. The message names the file, the field and the character.

Since the rule holds at every entry, renderers need not escape control characters (they still
escape their own markup: ``<``, ``&``, ``|`` and so on).
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The characters refused: C0 except tab (U+0009) and newline (U+000A), DEL, C1."""


def control_character(text: str) -> str | None:
    """Why ``text`` is refused (its first control character and where), or None.

    Examples
    --------
    >>> control_character("a\\tb\\nc") is None
    True
    >>> control_character("x\\x1b[2J")
    'holds the control character U+001B (ESCAPE) as character 2; control characters are refused'
    """
    found = CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, None) or _C0_C1_NAMES.get(ord(char), "a control character")
    return (
        f"holds the control character U+{ord(char):04X} ({name}) as character {found.start() + 1}; "
        "control characters are refused"
    )


def escape_controls(text: str) -> str:
    r"""``text`` with each control character written as a Python escape (``\x1b``): the last
    defence of the terminal, for messages that quote a file's name or bytes.

    Examples
    --------
    >>> escape_controls("bad\x1b]0;title\x07 name\tand\nmore")
    'bad\\x1b]0;title\\x07 name\tand\nmore'
    """
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


_C0_C1_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}
"""Names of the commonest control characters (``unicodedata`` names none of them)."""
