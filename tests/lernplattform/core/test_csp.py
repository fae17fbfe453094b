"""Every page carries a Content-Security-Policy: our own scripts by nonce, nothing inline, nothing foreign."""

import re

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def test_public_page_has_a_strict_policy(client):
    response = client.get("/konto/anmelden/")

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_our_scripts_carry_the_nonce_of_the_header_which_changes_per_request(client):
    from tests.factories.pages import h5p_activity_page

    page = h5p_activity_page()
    nonces = []
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 200
        sources = directives(response)["script-src"]
        nonce = next(s for s in sources if s.startswith("'nonce-"))[len("'nonce-") : -1]
        tags = re.findall(r"<script\b[^>]*>", response.content.decode())
        executable = [t for t in tags if "application/json" not in t]
        assert executable, "the H5P page loads its relay script"
        assert all(f'nonce="{nonce}"' in tag for tag in executable), executable
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_templates_have_no_inline_script_style_or_event_handler():
    """Audit: every template under templates/ and the apps: scripts are files with the nonce, no inline code."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders = []
    folders = [root / "templates", *root.glob("courses/*/templates"), *root.glob("lernplattform/*/templates")]
    for folder in folders:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            relative = path.relative_to(root)
            is_admin = "/admin/" in str(relative) or str(relative).startswith("templates/wagtailadmin")
            # The sandboxed H5P player frame is served with its own policy (courses.h5p.views).
            own_policy = str(relative).endswith("h5p/player_frame.html")
            for match in re.finditer(r"<script\b([^>]*)>", text):
                attrs = match.group(1)
                if "application/json" in attrs or "csp_nonce" in attrs:
                    continue
                if "src=" in attrs and (is_admin or own_policy):
                    continue
                offenders.append(f"{relative}: <script> without nonce")
            if re.search(r"<style\b(?![^>]*csp_nonce)", text):
                offenders.append(f"{relative}: <style> without nonce")
            if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
                offenders.append(f"{relative}: on* event handler attribute")
            if not is_admin and re.search(r"\sstyle\s*=\s*[\"']", text):
                offenders.append(f"{relative}: style attribute (blocked by style-src)")
            if "javascript:" in text:
                offenders.append(f"{relative}: javascript: URL")
    assert not offenders, "\n".join(offenders)


def test_wagtail_admin_gets_its_own_documented_policy(client, platform_admin):
    client.force_login(platform_admin)

    response = client.get("/admin/")

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    # No foreign origins, even in the admin.
    assert all(not source.startswith("http") for values in policy.values() for source in values)
