"""Demo data for ``jobsift demo``: bundled feed snapshots served over a loopback HTTP server."""
