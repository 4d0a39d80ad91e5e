"""Judgments under uncertainty: seeded Monte Carlo over a scenario's judgments (SPEC §6),
drawn in blocks over a leading draw axis."""
