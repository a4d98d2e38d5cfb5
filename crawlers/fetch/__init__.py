"""Fetching safely: which addresses a crawl may reach, and the middleware that enforces it."""
