"""sim: a game-theoretic negotiation simulator."""

__version__ = "0.1.0"
