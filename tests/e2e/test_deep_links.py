"""A redirect sign-in brings the user back to the path and deep link they started from."""

from __future__ import annotations

from typing import Any

from tests.e2e.actions import boot, log_in, wait_auth, wait_profile
from tests.harness import Site


def test_a_redirect_sign_in_returns_to_the_deep_link(page: Any, standin_site: Site) -> None:
    boot(page, standin_site.url + "#settings")
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert page.evaluate("location.href") == standin_site.url + "#settings"


# Parameters a response could carry to steer the return; §4.2.2: a client ignores them.
STEERING = "&return_to=%2Felsewhere%2F%23stolen&redirect_uri=http%3A%2F%2Fevil.example%2F&next=%2Fx"


def test_the_return_comes_from_the_pending_sign_in_never_from_the_response(
    page: Any, standin_site: Site
) -> None:
    steered: list[str] = []

    def steer(route: Any) -> None:
        answer = route.fetch(max_redirects=0)
        location = answer.headers.get("location", "")
        if "#access_token=" not in location:
            route.fulfill(response=answer)
            return
        steered.append(location + STEERING)  # the token the page signs in with comes in this URL
        route.fulfill(response=answer, headers={**answer.headers, "location": steered[-1]})

    page.route(f"{standin_site.standin_url}/v1/admin/oauth/authorize*", steer)
    boot(page, standin_site.url + "#settings")
    page.click("#sign-in")
    log_in(page)
    wait_auth(page, "signed-in")
    wait_profile(page)
    assert len(steered) == 1 and steered[0].startswith(standin_site.url + "#access_token=")
    assert page.evaluate("location.href") == standin_site.url + "#settings"
