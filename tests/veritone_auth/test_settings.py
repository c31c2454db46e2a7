"""Environments, config.json and the page's redirect URI."""

from __future__ import annotations

import json

import pytest

from publish.site import ROOT
from veritone_auth.settings import ENVIRONMENTS, Settings, page_redirect_uri


def test_known_environments() -> None:
    assert ENVIRONMENTS["us"].authorize_url == "https://api.veritone.com/v1/admin/oauth/authorize"
    assert ENVIRONMENTS["us"].api_url == "https://api.veritone.com/v3/graphql"
    assert ENVIRONMENTS["uk"].api_origin == "https://api.uk.veritone.com"
    assert ENVIRONMENTS["stage"].authorize_url.startswith("https://api.stage.veritone.com/")
    assert ENVIRONMENTS["standin"].base_url == "http://localhost:8001"
    assert all(env.require_state for env in ENVIRONMENTS.values())


def test_committed_config_is_valid_and_unconfigured() -> None:
    settings = Settings.from_config(json.loads((ROOT / "config.json").read_text()))
    assert settings.environment.name == "us"
    assert not settings.configured


def test_config_overrides() -> None:
    settings = Settings.from_config(
        {
            "environment": "standin",
            "base_url": "http://localhost:9/",
            "client_id": " id ",
            "require_state": False,
        }
    )
    assert settings.environment.api_url == "http://localhost:9/v3/graphql"
    assert settings.client_id == "id"
    assert settings.configured
    assert not settings.environment.require_state


@pytest.mark.parametrize("config", [{"environment": "mars"}, {"client_id": 5}, {"redirect_uri": ["x"]}])
def test_bad_config_is_a_value_error(config: dict) -> None:
    with pytest.raises(ValueError):
        Settings.from_config(config)


@pytest.mark.parametrize(
    ("page", "uri"),
    [
        ("https://me.github.io/repo/", "https://me.github.io/repo/"),
        ("https://me.github.io/repo/index.html", "https://me.github.io/repo/"),
        ("https://me.github.io/repo/?x=1#access_token=t", "https://me.github.io/repo/"),
        ("http://localhost:8000", "http://localhost:8000/"),
    ],
)
def test_page_redirect_uri(page: str, uri: str) -> None:
    assert page_redirect_uri(page) == uri
