"""Other formats: Genius XML and GeniusWeb JSON negotiations in and out, Gambit ``.nfg`` games."""
