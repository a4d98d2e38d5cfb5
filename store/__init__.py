"""The SQL store: models, queries, search and migrations. Depends only on ``config``."""
