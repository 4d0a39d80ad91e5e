"""Reading XML from untrusted files: no DTDs, no entities, a size limit."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sim.errors import InputError, display_path
from sim.formats.inputs import read_capped

MAX_XML_BYTES = 8 << 20
"""Largest XML file read (8 MiB); the largest negotiation domains are a few hundred kB."""

_NOT_TEXT = frozenset(
    ("undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "charmap")
)
"""Python's codecs that are not text encodings an XML declaration may name (they turn escapes
or domain-name syntax into text, or fail on everything)."""

_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
        declared = _ENCODING.match(body)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8-sig"
        if encoding.lower().replace("-", "").replace("_", "") == "utf8":
            encoding = "utf-8-sig"
    unknown = InputError(f"{name}: unknown text encoding {encoding!r} in the XML declaration")
    try:
        if codecs.lookup(encoding).name in _NOT_TEXT:
            raise unknown
        return raw.decode(encoding)
    except LookupError:
        raise unknown from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not {encoding} text (byte {error.start}: {error.reason})"
        ) from None
    except UnicodeError as error:  # codecs that fail without a position (punycode, undefined)
        raise InputError(f"{name}: not {encoding} text ({error})") from None


def read_xml(path: Path) -> ET.Element:
    """Parse an XML file that must not declare a DTD or entities.

    Entity declarations are how entity-expansion bombs ("billion laughs") and external
    entities (reading local files or URLs) get into a document; negotiation domains never
    need them, so any ``<!DOCTYPE`` or ``<!ENTITY`` is refused before the text reaches the
    parser. The file is decoded first (UTF-8, a UTF-16 byte-order mark, or the encoding its
    XML declaration names) and the parser gets that same text, so the check sees what the
    parser sees.

    Raises
    ------
    InputError
        The file is missing, too large, not UTF-8, declares a DTD or an entity, or is not
        well-formed XML; the message names the file and the reason.
    """
    name = display_path(path)
    raw = read_capped(path, MAX_XML_BYTES, "XML")
    text = _decode(raw, name)
    found = _DECLARATIONS.search(text)
    if found:
        kind = found.group(1).upper()
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(
            f"{name}:{line}: <!{kind}> declarations are refused (DTDs and entities can expand "
            "without bound or read other files; a negotiation domain needs none)"
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise InputError(f"{name}:{line}: malformed XML: {reason} (column {column})") from None
