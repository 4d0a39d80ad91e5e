"""Spatial forecasting models of collective decisions (docs/spatial.md).

Actors hold positions on scales (one per dimension), with a salience per dimension and a
capability; the models forecast where the group ends up: the compromise (weighted mean),
the weighted median and Condorcet winner, Bueno de Mesquita's expected-utility model in the
formulation of Scholz, Calbert and Smith (2011), and KTAB's spatial model (SMP).

``problem`` compiles a scenario's ``spatial:`` section; ``median``, ``bdm`` and ``smp`` are
pure numpy; ``result`` is the typed result of a run; ``forecast`` dispatches by model.
"""
