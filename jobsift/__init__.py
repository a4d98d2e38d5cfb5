"""Process entry points: the only place that wires crawlers, store and web together."""
