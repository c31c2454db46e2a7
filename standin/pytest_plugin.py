"""The test kit's pytest plugin: a Veritone stand-in for the test session, and its fixtures.

Installed with ``pip install "veritone-auth[testing]"`` and registered through the
``pytest11`` entry point, so a test only names a fixture:

    def test_sign_in(veritone):
        url = veritone.serve("site/")       # the page, at a registered redirect URI
        ...                                  # sign in with veritone.user in a browser

- ``veritone_standin``: one stand-in for the whole session (``kit.VeritoneStandin``).
- ``veritone``: the same stand-in, with its knobs back at their start for each test.

``--veritone-standin-port`` fixes its port (default: a free one).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .kit import VeritoneStandin


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("veritone", "Veritone stand-in (veritone-auth[testing])")
    group.addoption(
        "--veritone-standin-port",
        type=int,
        default=0,
        help="port of the Veritone stand-in (default: a free port)",
    )


@pytest.fixture(scope="session")
def veritone_standin(pytestconfig: pytest.Config) -> Iterator[VeritoneStandin]:
    """A Veritone stand-in on a free port, started once for the test session."""
    standin = VeritoneStandin.start(pytestconfig.getoption("veritone_standin_port"))
    yield standin
    standin.stop()


@pytest.fixture
def veritone(veritone_standin: VeritoneStandin) -> Iterator[VeritoneStandin]:
    """The session's stand-in, its knobs at their start before and after the test."""
    veritone_standin.reset()
    yield veritone_standin
    veritone_standin.reset()
