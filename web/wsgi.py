"""WSGI entry for production servers: ``gunicorn web.wsgi:app``. Settings come from the environment."""

from web import create_app

app = create_app()
