"""Background work never fails silently: the page is told, and the console says so."""

from __future__ import annotations

import asyncio

import pytest

from veritone_auth.browser.tasks import in_background


def test_an_exception_in_background_work_is_reported_and_handed_over(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: list[BaseException] = []

    async def broken() -> None:
        raise AttributeError("'str' object has no attribute 'get'")

    async def main() -> None:
        task = in_background(broken(), on_error=seen.append)
        await asyncio.wait([task])
        await asyncio.sleep(0)  # the done callback runs on the next turn

    asyncio.run(main())
    assert [type(error) for error in seen] == [AttributeError]
    assert "background work failed: AttributeError" in capsys.readouterr().err


def test_work_that_ends_well_or_is_cancelled_reports_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[BaseException] = []

    async def main() -> None:
        fine = in_background(asyncio.sleep(0), on_error=seen.append)
        stopped = in_background(asyncio.sleep(10), on_error=seen.append)
        stopped.cancel()
        await asyncio.wait([fine, stopped])
        await asyncio.sleep(0)

    asyncio.run(main())
    assert seen == [] and capsys.readouterr().err == ""
