"""Shared givens for the acknowledgment tests: the shipped policy and templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from heed.acknowledge.templates import ReplyTemplates, load_templates
from heed.policy import BrandPolicy, load_policy

from tests.acknowledge.givens import REPO_TEMPLATES


@pytest.fixture(scope="session")
def policy() -> BrandPolicy:
    return load_policy(REPO_TEMPLATES)


@pytest.fixture(scope="session")
def templates() -> ReplyTemplates:
    return load_templates(REPO_TEMPLATES)


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the shipped templates, to break on purpose."""
    target = tmp_path / "templates"
    shutil.copytree(REPO_TEMPLATES, target)
    return target
