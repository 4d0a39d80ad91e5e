"""`python -m sim` is the same program as the `sim` console script."""

from sim.entry import main

main()
