"""The console's static pages: files of static/ only, with their content types, cache headers and the
security headers; nothing outside the folder; and the real index.html loads no inline script (the
CSP would refuse it)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from heed.console.web import CSP, STATIC_DIR, static_file


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html><title>Heed</title>")
    (tmp_path / "app.js").write_text("export {}")
    (tmp_path / "app.css").write_text("body{}")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".secret").write_text("no")
    (tmp_path / "notes.py").write_text("no")
    (tmp_path.parent / "outside.txt").write_text("no")
    return tmp_path


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("/console/", "text/html; charset=utf-8", "no-cache"),
        ("/console/index.html", "text/html; charset=utf-8", "no-cache"),
        ("/console/app.js", "text/javascript; charset=utf-8", "public, max-age=300"),
        ("/console/app.css", "text/css; charset=utf-8", "public, max-age=300"),
        ("/console/logo.png", "image/png", "public, max-age=300"),
    ],
)
def test_files_are_served_with_their_type_cache_and_security_headers(root, path, content_type, cache):
    answer = static_file(path, method="GET", root=root)
    headers = answer["headers"]
    assert answer["statusCode"] == 200 and headers["content-type"] == content_type
    assert headers["cache-control"] == cache
    assert headers["content-security-policy"] == CSP and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer" and "max-age=" in headers["strict-transport-security"]
    if content_type == "image/png":
        assert answer["isBase64Encoded"] and base64.b64decode(answer["body"]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/console/../outside.txt",
        "/console/%2e%2e/outside.txt",
        "/console/.secret",
        "/console/notes.py",
        "/console/nope.js",
    ],
)
def test_nothing_outside_the_pages_is_served(root, path):
    answer = static_file(path, method="GET", root=root)
    assert answer["statusCode"] == 404 and answer["headers"]["content-type"].startswith("application/json")


def test_only_get_and_head(root):
    assert static_file("/console/", method="POST", root=root)["statusCode"] == 405
    head = static_file("/console/app.js", method="HEAD", root=root)
    assert head["statusCode"] == 200 and head["body"] == ""


def test_the_shipped_page_has_no_inline_script_or_style():
    index = (STATIC_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index)  # every script is a file
    assert "<style" not in index and " style=" not in index and "javascript:" not in index
