"""Judgments under uncertainty: seeded Monte Carlo over a scenario's judgments (SPEC §6)."""
