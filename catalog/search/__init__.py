"""Site search across scripts: see README, "Search", and the modules here."""
