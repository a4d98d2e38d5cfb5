"""Pure functions that turn raw feed values into normalised ones."""
