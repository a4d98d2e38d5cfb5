"""Every admin page works without JavaScript and within the site's CSP: no scripts, no inline styles, every field
labelled; and the site's header carries on."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

PAGES = [
    "/admin/login",
    "/admin/sources",
    "/admin/sources?state=failing",
    "/admin/sources/acme-board",
    "/admin/sources/acme-board/edit",
    "/admin/sources/acme-board/remove",
    "/admin/sources/new",
    "/admin/sources/transfer",
    "/admin/audit",
]


def test_pages_have_no_script_no_inline_style_and_labelled_fields(admin_client: FlaskClient) -> None:
    for path in PAGES:
        response = admin_client.get(path, follow_redirects=path == "/admin/login")
        assert response.status_code == 200, path
        html = response.text
        assert "<script" not in html and " style=" not in html and "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        for field in re.findall(r"<(?:input|select)\b[^>]*>", html):
            if 'type="hidden"' in field or 'type="submit"' in field:
                continue
            found = re.search(r'id="([^"]+)"', field)
            assert found and f'<label for="{found.group(1)}">' in html, (path, field)
        assert '<meta name="viewport"' in html and 'lang="en"' in html, path


def test_the_nav_marks_the_current_page(admin_client: FlaskClient) -> None:
    html = admin_client.get("/admin/audit").text
    assert '<a href="/admin/audit" aria-current="page">Audit log</a>' in html
    assert 'action="/admin/logout"' in html
