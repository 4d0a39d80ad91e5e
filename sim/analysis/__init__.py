"""The analysis of one scenario: orchestration of the core and the games, and its typed
result (the outcome, its JSON document and its table row)."""
