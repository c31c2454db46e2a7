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


@pytest.mark.parametrize(
    "config",
    [
        {"environment": "mars"},
        {"client_id": 5},
        {"redirect_uri": ["x"]},
        {"redirect_uri": "javascript:alert(1)"},
        {"redirect_uri": "https://me.github.io/app/#frag"},
        {"redirect_uri": "https://me.github.io/a b/"},
        {"require_state": "false"},  # a string is not a boolean: "false" would mean true
        {"require_state": 0},
        {"client_id": "id with space"},
        {"client_id": "id'; script-src *"},
        {"api_timeout": 0},
        {"api_timeout": "15"},
        {"api_timeout": True},
        {"api_timeout": 3600},
        [],
    ],
)
def test_bad_config_is_a_value_error(config: dict) -> None:
    with pytest.raises(ValueError):
        Settings.from_config(config)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api.veritone.com",  # plain http only on loopback
        "http://localhost.evil.example:8001",
        "http://10.0.0.1",
        "ftp://api.veritone.com",
        "https://api.veritone.com; script-src *",
        "https://api.veritone.com 'unsafe-inline'",
        "https://api.veritone.com'",
        'https://api.veritone.com"',
        "https://*.veritone.com",
        "https://api.veritone.com/v3?x=1",
        "https://user@api.veritone.com",
        "https://",
        "",
        5,
    ],
)
def test_base_urls_that_could_widen_the_csp_or_leak_are_refused(base_url: object) -> None:
    with pytest.raises(ValueError) as caught:
        Settings.from_config({"environment": "us", "base_url": base_url})
    assert "base_url" in str(caught.value)


@pytest.mark.parametrize(
    ("base_url", "origin"),
    [
        ("https://api.uk.veritone.com/", "https://api.uk.veritone.com"),
        ("https://api.veritone.com:8443", "https://api.veritone.com:8443"),
        ("http://localhost:8001", "http://localhost:8001"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
    ],
)
def test_good_base_urls(base_url: str, origin: str) -> None:
    assert Settings.from_config({"base_url": base_url}).environment.api_origin == origin


def test_a_configured_redirect_uri_must_be_this_page() -> None:
    settings = Settings.from_config({"client_id": "c", "redirect_uri": "https://me.github.io/app/"})
    assert settings.problem_at("https://me.github.io/app/") is None
    assert settings.problem_at("https://me.github.io/app/index.html?x=1") is None
    for other in ("https://me.github.io/other/", "https://evil.example/app/", "http://me.github.io/app/"):
        problem = settings.problem_at(other)
        assert problem is not None and "redirect_uri" in problem
    assert Settings.from_config({"client_id": "c"}).problem_at("https://any.example/x/") is None


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


def test_api_timeout_defaults_to_15_seconds_and_can_be_set() -> None:
    assert Settings.from_config({}).api_timeout == 15.0
    assert Settings.from_config({"api_timeout": 2.5}).api_timeout == 2.5
