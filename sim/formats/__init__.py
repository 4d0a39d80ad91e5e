"""Other formats: Genius XML and GeniusWeb JSON negotiations in and out, Gambit ``.nfg`` games.

See docs/formats.md for the mapping and what each format cannot carry.
"""

from sim.formats.convert import ImportResult, import_genius, read_negotiation
from sim.formats.export import ExportResult, export_genius
from sim.formats.nfg import NfgGame, game_from_nfg, read_nfg, write_game_nfg, write_nfg

__all__ = [
    "ExportResult",
    "ImportResult",
    "NfgGame",
    "export_genius",
    "game_from_nfg",
    "import_genius",
    "read_negotiation",
    "read_nfg",
    "write_game_nfg",
    "write_nfg",
]
