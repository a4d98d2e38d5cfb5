"""Ordered single-purpose pipelines: validate -> normalise -> classify -> store (see ``crawlers.settings``)."""
