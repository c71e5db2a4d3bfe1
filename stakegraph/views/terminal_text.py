"""Text from a workspace made safe to print on a terminal.

A name or note may hold control characters: an ANSI escape sequence (``ESC [``)
can recolour, clear or retitle the user's terminal, a carriage return can
overwrite the line before it, and bidirectional overrides can make text read
differently from what it holds. Printing replaces each such character with a
visible escape (``\\x1b``, ``\\r``, ``\\u202e``), so the text shows what the file
holds and nothing acts on the terminal. Line breaks and tabs stay as they are.
JSON output needs none of this: the JSON encoder escapes them already.
"""

from __future__ import annotations

#: C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional
#: embeddings, overrides and isolates.
_UNSAFE = [
    *(c for c in range(0x20) if c not in (0x09, 0x0A)),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_NAMED = {0x0D: "\\r", 0x1B: "\\x1b"}
_ESCAPES = {
    code: _NAMED.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _UNSAFE
}


def terminal_text(text: str) -> str:
    """``text`` with every control character shown as a visible escape.

    >>> terminal_text("李明\\x1b[31m red\\r")
    '李明\\\\x1b[31m red\\\\r'
    >>> terminal_text("two\\nlines\\tand a tab")
    'two\\nlines\\tand a tab'
    """
    return text.translate(_ESCAPES)
