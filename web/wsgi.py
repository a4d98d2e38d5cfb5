"""WSGI entry for production servers: ``gunicorn web.wsgi:app``. Settings come from the environment.

The admin's feed preview needs no wiring here: create_app runs it as ``python -m jobsift.admin_preview`` in a child
process by default (see web.admin.preview), which is how it runs under ``jobsift web`` and ``jobsift run`` too.
"""

from web import create_app

app = create_app()
