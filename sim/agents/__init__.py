"""Negotiating agents: protocols, concession strategies and tournaments (docs/agents.md).

:mod:`~sim.agents.table` (what is on the table), :mod:`~sim.agents.agents` (the agents and
how to write one), :mod:`~sim.agents.protocols` (stacked alternating offers, mediated single
text), :mod:`~sim.agents.negotiate` (one negotiation, measured), :mod:`~sim.agents.result`
(its typed result) and :mod:`~sim.agents.tournament`.
"""
