"""The console's files keep the rules the browser cannot check from one page view (API.md, "XSS and
headers"): no HTML parsing of data, no eval, nothing inline for the CSP to refuse, nothing loaded from
another origin, every module in the preload list. Runs without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "functions" / "heed" / "console" / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))
# Sinks that parse a string as HTML or code: customer text must never reach one.
SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\b"
)
# URLs the files may name: the SVG namespace, and "https://" itself (a link from the data is shown
# only when it starts so). Anything else would load from, or send to, another origin.
ALLOWED_URLS = {"http://www.w3.org/2000/svg", "https://"}
URL = re.compile(r"""["'`(]((?:https?:)?//[^"'`)\s]*)""")


def code_of(path: Path) -> str:
    """The file without its // comments (a comment may name what the code avoids)."""
    return "\n".join(
        line.split("//", 1)[0] if line.lstrip().startswith("//") else line
        for line in path.read_text().splitlines()
    )


def test_the_console_has_scripts() -> None:
    assert {p.name for p in SCRIPTS} >= {"app.js", "server.js", "dom.js", "inbox.js", "task.js", "report.js"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_no_script_parses_strings_as_html_or_code(path: Path) -> None:
    assert SINKS.findall(code_of(path)) == []


@pytest.mark.parametrize("path", [*SCRIPTS, STATIC / "index.html", STATIC / "app.css"], ids=lambda p: p.name)
def test_nothing_is_loaded_from_another_origin(path: Path) -> None:
    code = code_of(path)
    assert set(URL.findall(code)) - ALLOWED_URLS == set()
    assert "@import" not in code


def test_the_checks_catch_what_they_look_for() -> None:
    assert SINKS.findall('el.innerHTML = text; x.insertAdjacentHTML("beforeend", t); eval("1")')
    assert set(URL.findall('<script src="https://cdn.example/x.js"></script> url(//fonts.example/a)')) == {
        "https://cdn.example/x.js",
        "//fonts.example/a",
    }


def test_index_has_nothing_inline_for_the_csp_to_refuse() -> None:
    html = (STATIC / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # every script is a file
    assert "<style" not in html
    assert re.findall(r"\sstyle\s*=", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []  # no inline event handlers


def test_every_module_is_preloaded_and_exists() -> None:
    html = (STATIC / "index.html").read_text()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', html))
    imported = {name for path in SCRIPTS for name in re.findall(r'from\s+"\./([^"]+)"', path.read_text())}
    assert imported <= {p.name for p in SCRIPTS}
    assert imported - {"app.js"} <= preloaded
