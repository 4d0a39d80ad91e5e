"""The command-line commands, one module per group; `sim.cli` assembles them."""
