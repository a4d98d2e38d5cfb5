"""The insights page: the back-end job market now, as charts rendered on the server."""
