"""The production build targets Veritone itself; the navigation is intercepted, never sent."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.e2e.actions import boot
from tests.harness import PRODUCTION_CLIENT_ID, Site


def test_sign_in_targets_veritone_with_the_page_url_as_redirect_uri(page: Any, site: Site) -> None:
    url = site.url.replace("/veritone-implicit/", "/production/")
    intercepted: list[str] = []

    def hold(route: Any) -> None:
        intercepted.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>intercepted</title>")

    page.route("https://api.veritone.com/**", hold)
    boot(page, url)
    assert "Veritone (US)" in page.inner_text("#environment-label")
    page.click("#sign-in")
    page.wait_for_url("https://api.veritone.com/**")
    assert len(intercepted) == 1
    target = urlsplit(intercepted[0])
    assert (
        f"{target.scheme}://{target.netloc}{target.path}"
        == "https://api.veritone.com/v1/admin/oauth/authorize"
    )
    query = parse_qs(target.query)
    assert query["response_type"] == ["token"]
    assert query["client_id"] == [PRODUCTION_CLIENT_ID]
    assert query["redirect_uri"] == [url]
    assert query["scope"] == ["all"]
    assert len(query["state"][0]) >= 43


def test_production_csp_allows_only_veritone_for_api_calls(page: Any, site: Site) -> None:
    url = site.url.replace("/veritone-implicit/", "/production/")
    boot(page, url)
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "connect-src 'self' https://api.veritone.com;" in csp
