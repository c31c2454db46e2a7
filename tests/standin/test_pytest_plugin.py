"""The test kit's pytest plugin (standin/pytest_plugin.py), in a pytest run of its own."""

from __future__ import annotations

from typing import Any

import pytest

ADOPTERS_TESTS = """
import json
import urllib.request


def graphql(veritone, token):
    request = urllib.request.Request(
        veritone.graphql_url,
        data=json.dumps({"query": "{ me { name } }"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(request, timeout=10).read())


def test_a_token_answers(veritone):
    assert graphql(veritone, veritone.sign_in()) == {"data": {"me": {"name": veritone.user.email}}}
    veritone.fail_api(503)  # left turned: the next test must not see it


def test_knobs_start_over_for_each_test(veritone, veritone_standin):
    assert veritone is veritone_standin  # one stand-in for the session
    assert graphql(veritone, veritone.sign_in())["data"]["me"]["name"] == "demo@example.com"

"""
PORT_TEST = """
def test_the_port_is_the_one_asked_for(veritone, pytestconfig):
    assert veritone.url.endswith(f":{pytestconfig.getoption('veritone_standin_port')}")
"""


def test_an_adopters_tests_get_one_stand_in_with_fresh_knobs_each(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_adopter=ADOPTERS_TESTS)
    result = pytester.runpytest("-p", "standin.pytest_plugin", "-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_stand_ins_port_can_be_chosen(pytester: pytest.Pytester) -> None:
    from tests.harness import free_port

    port = free_port()
    pytester.makepyfile(test_port=PORT_TEST)
    result = pytester.runpytest(
        "-p", "standin.pytest_plugin", "-p", "no:xdist", f"--veritone-standin-port={port}"
    )
    result.assert_outcomes(passed=1)


def test_the_kits_options_are_in_pytests_help(pytester: pytest.Pytester) -> None:
    result: Any = pytester.runpytest("-p", "standin.pytest_plugin", "--help")
    result.stdout.fnmatch_lines(["*--veritone-standin-port*"])
