"""The page's whole flow in WebKit: WebKitGTK's MiniBrowser, driven by Selenium under Xvfb.

Debian's ``webkit2gtk-driver`` gives ``WebKitWebDriver`` and MiniBrowser; MiniBrowser
needs a display, so a private Xvfb is started for it. WebKitWebDriver has no console
log endpoint, so each step checks what the page shows of a failure (a fired boot
watchdog, a Python error); tests/cross_engine/observed.py serves the site with an
observer that reports what the console would show.

Used by tests/cross_engine/test_webkit.py and benchmarks/engines.py. Returns the same
report as firefox.mjs.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests import engines
from tests.cross_engine import COPIES_STEPS, EXAMPLE_STEPS, FLOW_STEPS
from tests.snippet_pages import LATER_STDLIB, SNIPPET_STEPS

TIMEOUT = 30.0


@contextmanager
def xvfb(binary: str) -> Iterator[str]:
    """A private X display; yields its name (":N")."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise RuntimeError("Xvfb did not start")
        yield f":{display}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def webkit_driver() -> Iterator[Any]:
    """A Selenium session in MiniBrowser; fails with the install command if WebKit is missing."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    found = engines.webkit()
    if found is None:
        raise RuntimeError(engines.missing_message("webkit"))
    driver_path, browser, xvfb_binary = found
    with xvfb(xvfb_binary) as display:
        options = Options()
        options.binary_location = browser
        options.add_argument("--automation")
        service = Service(executable_path=driver_path, env={**os.environ, "DISPLAY": display})
        driver = webdriver.WebKitGTK(options=options, service=service)
        try:
            yield driver
        finally:
            driver.quit()


def wait(driver: Any, script: str, timeout: float = TIMEOUT) -> Any:
    """Wait until a JavaScript expression is truthy (WebDriver's own wait); return its value."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.wait import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.02).until(
            lambda driver: driver.execute_script(f"return ({script});")
        )
    except TimeoutException:
        raise TimeoutError(f"waited {timeout:.0f} s for {script}") from None


def wait_auth(driver: Any, state: str) -> None:
    wait(driver, f"document.body && document.body.dataset.auth === '{state}'")


def wait_profile(driver: Any) -> None:
    wait(driver, "document.getElementById('profile-name').textContent !== '…'")


def mark(driver: Any, name: str) -> float | None:
    return driver.execute_script(
        "const e = performance.getEntriesByName(arguments[0])[0]; return e ? e.startTime : null;", name
    )


AT_LOGIN = "document.querySelector('input[name=username]')"


def log_in(driver: Any, user: tuple[str, str], submit_later_ms: int = 0) -> None:
    from selenium.webdriver.common.by import By

    wait(driver, AT_LOGIN)
    driver.find_element(By.NAME, "username").send_keys(user[0])
    driver.find_element(By.NAME, "password").send_keys(user[1])
    allow = "button[name=decision][value=allow]"
    if submit_later_ms:
        driver.execute_script(
            "setTimeout(() => document.querySelector(arguments[0]).click(), arguments[1]);",
            allow,
            submit_later_ms,
        )
    else:
        driver.find_element(By.CSS_SELECTOR, allow).click()


def no_page_errors(driver: Any) -> list[str]:
    """What the page itself shows of a failure: a fired watchdog or a Python error."""
    return driver.execute_script(
        """const found = [];
           if (document.body.dataset.boot === 'failed') found.push('boot watchdog fired');
           for (const e of document.querySelectorAll('.py-error')) found.push(e.textContent);
           return found;"""
    )


def run_steps(
    driver: Any, names: list[str], runs: tuple[Callable[[], None], ...], report: dict[str, Any]
) -> None:
    """Run each step, then note what the page shows of a failure and that the step passed."""
    for name, run in zip(names, runs, strict=True):
        run()
        report["console"].extend(no_page_errors(driver))
        report["steps"].append(name)


def flow(driver: Any, url: str, user: tuple[str, str], report: dict[str, Any]) -> None:
    from selenium.common.exceptions import NoSuchWindowException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    def boot() -> None:
        driver.get(url)
        wait_auth(driver, "signed-out")
        report["times"]["boot"].append(mark(driver, "auth:signed-out"))

    def redirect_sign_in() -> None:
        driver.find_element(By.ID, "sign-in").click()
        log_in(driver, user)
        wait_auth(driver, "signed-in")
        wait_profile(driver)
        href = driver.execute_script("return location.href")
        if href != url:
            raise AssertionError(f"the address bar kept {href}")

    def profile() -> None:
        name = driver.find_element(By.ID, "profile-name").text
        if name != user[0]:
            raise AssertionError(f"profile name {name}")

    def api_query() -> None:
        import json

        driver.find_element(By.ID, "api-run").click()
        wait(driver, "document.getElementById('api-result').textContent !== ''")
        result = json.loads(driver.execute_script("return document.getElementById('api-result').textContent"))
        if not (result.get("data") or {}).get("me"):
            raise AssertionError("no data.me in the API result")

    def worker_query() -> None:
        # Python in a module worker, its runtime as brotli like the page's (static/runtime.js).
        driver.find_element(By.ID, "worker-run").click()
        state = "document.getElementById('worker-result').dataset.state"
        wait(driver, f"['ok', 'error'].includes({state})")
        if (ended := driver.execute_script(f"return {state}")) != "ok":
            raise AssertionError(f"the worker's query ended in {ended}")

    def reload() -> None:
        driver.refresh()
        wait_auth(driver, "signed-in")
        wait_profile(driver)
        report["times"]["warm"].append(mark(driver, "auth:signed-in"))

    def sign_out() -> None:
        driver.find_element(By.ID, "sign-out").click()
        wait_auth(driver, "signed-out")
        if driver.execute_script("return sessionStorage.getItem('veritone.token')") is not None:
            raise AssertionError("the token is still in sessionStorage")

    def popup_sign_in() -> None:
        # The stand-in may remember the login and send the popup straight back, so the
        # driver steps into the popup only while it shows the login form.
        opener = driver.current_window_handle
        driver.find_element(By.ID, "sign-in-popup").click()

        def signed_in(driver: Any) -> bool:
            for handle in driver.window_handles:
                if handle == opener:
                    continue
                try:
                    driver.switch_to.window(handle)
                    if driver.execute_script(f"return Boolean({AT_LOGIN})"):
                        log_in(driver, user)
                except NoSuchWindowException:
                    pass  # closed by the page meanwhile: the sign-in is done
                finally:
                    driver.switch_to.window(opener)
            return driver.execute_script("return document.body.dataset.auth") == "signed-in"

        try:
            WebDriverWait(driver, TIMEOUT, poll_frequency=0.1).until(signed_in)
        except TimeoutException:
            raise TimeoutError("the popup sign-in did not finish") from None
        wait_profile(driver)
        # The popup closes itself once the tab says it took the response; that close and the
        # tab's profile request run side by side, so the close is waited for, not assumed.
        try:
            WebDriverWait(driver, TIMEOUT, poll_frequency=0.1).until(lambda d: len(d.window_handles) == 1)
        except TimeoutException:
            raise AssertionError("the popup is still open") from None

    runs = (
        boot,
        redirect_sign_in,
        profile,
        api_query,
        worker_query,
        reload,
        sign_out,
        popup_sign_in,
    )
    run_steps(driver, FLOW_STEPS, runs, report)


def example_flow(driver: Any, url: str, user: tuple[str, str], report: dict[str, Any]) -> None:
    """The steps of EXAMPLE_STEPS on the page at ``url``, like firefox.mjs's exampleFlow."""
    from selenium.webdriver.common.by import By

    def name() -> str:
        return str(driver.execute_script("return document.getElementById('name').textContent"))

    def boot() -> None:
        driver.get(url)
        wait_auth(driver, "signed-out")

    def redirect_sign_in() -> None:
        driver.find_element(By.ID, "sign-in").click()
        log_in(driver, user)
        wait_auth(driver, "signed-in")
        href = driver.execute_script("return location.href")
        if href != url:
            raise AssertionError(f"the address bar kept {href}")

    def signed_in_as() -> None:
        if name() != f"Signed in as {user[0]}":
            raise AssertionError(f"name {name()}")

    def reload() -> None:
        driver.refresh()  # returns once the new page has loaded
        wait_auth(driver, "signed-in")

    def sign_out() -> None:
        driver.find_element(By.ID, "sign-out").click()
        wait_auth(driver, "signed-out")
        if driver.execute_script("return sessionStorage.getItem('veritone.token')") is not None or name():
            raise AssertionError("still signed in")

    run_steps(driver, EXAMPLE_STEPS, (boot, redirect_sign_in, signed_in_as, reload, sign_out), report)


def snippet_flow(driver: Any, url: str, user: tuple[str, str], report: dict[str, Any]) -> None:
    """The steps of SNIPPET_STEPS on a page built from the docs' snippets, like firefox.mjs's."""
    from selenium.webdriver.common.by import By

    def stored(yes: bool) -> None:
        wait(driver, f"(sessionStorage.getItem('veritone.token') !== null) === {str(yes).lower()}")

    def enabled() -> None:
        wait(driver, "document.getElementById('go') && !document.getElementById('go').disabled")

    def boot() -> None:
        driver.get(url)
        enabled()  # main.py ran to its end
        stored(False)

    def redirect_sign_in() -> None:
        driver.find_element(By.ID, "go").click()
        log_in(driver, user)
        stored(True)
        enabled()
        href = driver.execute_script("return location.href")
        if href != url:
            raise AssertionError(f"the address bar kept {href}")

    def sign_out() -> None:
        driver.find_element(By.ID, "stop").click()
        stored(False)

    def later_stdlib() -> None:
        driver.execute_script(
            """const script = document.createElement('script');
               script.type = 'py';
               script.textContent = arguments[0];
               document.body.append(script);""",
            LATER_STDLIB,
        )
        report["later"] = json.loads(wait(driver, "document.body.dataset.later"))

    run_steps(driver, SNIPPET_STEPS, (boot, redirect_sign_in, sign_out, later_stdlib), report)


def copies_flow(driver: Any, url: str, user: tuple[str, str], report: dict[str, Any]) -> None:
    """A copy of the tab that is on another page at sign-out comes back signed out."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    original: list[str] = []
    copy: list[str] = []

    def redirect_sign_in() -> None:
        driver.get(url)
        wait_auth(driver, "signed-out")
        original.append(driver.current_window_handle)
        driver.find_element(By.ID, "sign-in").click()
        log_in(driver, user)
        wait_auth(driver, "signed-in")

    def copy_away() -> None:
        # WebKit opens a window only on a user's gesture: a button the driver clicks.
        driver.execute_script(
            """const open = document.createElement('button');
               open.id = 'open-copy';
               open.onclick = () => window.open(location.href + 'config.json');
               document.body.append(open);"""
        )
        driver.find_element(By.ID, "open-copy").click()
        WebDriverWait(driver, TIMEOUT).until(expected_conditions.number_of_windows_to_be(2))
        copy.append(next(handle for handle in driver.window_handles if handle != original[0]))
        driver.switch_to.window(copy[0])
        wait(driver, "sessionStorage.getItem('veritone.token') !== null")
        driver.switch_to.window(original[0])

    def sign_out() -> None:
        driver.find_element(By.ID, "sign-out").click()
        wait_auth(driver, "signed-out")

    def copy_comes_back() -> None:
        driver.switch_to.window(copy[0])
        driver.get(url)
        wait_auth(driver, "signed-out")
        notice = driver.find_element(By.ID, "notice").text
        if "another tab" not in notice:
            raise AssertionError(f"notice: {notice}")
        if driver.execute_script("return sessionStorage.getItem('veritone.token')") is not None:
            raise AssertionError("the copy still holds the token")

    run_steps(driver, COPIES_STEPS, (redirect_sign_in, copy_away, sign_out, copy_comes_back), report)


def redirect_returns(driver: Any, url: str, tokens: list[str], report: dict[str, Any]) -> None:
    """Each token: a warm full load of the redirect URI with it; ms until the profile shows."""
    for token in tokens:
        driver.get(url)
        wait(driver, "document.body && document.body.dataset.auth !== 'booting'")
        driver.execute_script(
            """sessionStorage.clear();
               sessionStorage.setItem('veritone.pending', JSON.stringify({state: 'bench',
                 started_at: Date.now() / 1000, redirect_uri: arguments[0], mode: 'redirect'}));""",
            url,
        )
        driver.get("about:blank")
        driver.get(f"{url}#access_token={token}&token_type=Bearer&state=bench")
        wait_profile(driver)
        report["times"]["redirect"].append(mark(driver, "profile"))


# What a boot ended in, and whether the engine decodes brotli itself (as firefox.mjs's BOOT_STATE).
BOOT_STATE = """let nativeBrotli = true;
  try { new DecompressionStream("brotli"); } catch { nativeBrotli = false; }
  const error = document.getElementById("boot-error");
  return { auth: document.body.dataset.auth, boot: document.body.dataset.boot || null,
           error: error && !error.hidden ? error.textContent : null,
           retry: Boolean(document.getElementById("boot-retry")), nativeBrotli };"""


def boots_in_webkit(urls: list[str]) -> list[dict[str, Any]]:
    """One load of each URL, to the page ready or its boot failed; what each ended in."""
    body = "document.body"
    ended = f"{body} && ({body}.dataset.auth !== 'booting' || {body}.dataset.boot === 'failed')"
    states = []
    with webkit_driver() as driver:
        for url in urls:
            driver.get(url)
            wait(driver, ended)
            states.append(driver.execute_script(BOOT_STATE))
    return states


def run_webkit(
    url: str,
    user: tuple[str, str],
    *,
    do_flow: bool = True,
    example: bool = False,
    snippet: bool = False,
    page: str | None = None,
    tokens: list[str] | None = None,
    copies: bool = False,
) -> dict[str, Any]:
    """Run the flow and timed redirect returns in WebKit; report like firefox.mjs.

    ``example``: the example's steps instead, on examples/minimal under ``url``, or on
    ``page``, a page with the same ids (the starter). ``snippet``: the steps of a page
    built from the docs' snippets (tests/snippet_pages.py), at ``page``.
    """
    report: dict[str, Any] = {
        "steps": [],
        "failure": None,
        "console": [],
        "times": {"boot": [], "warm": [], "redirect": []},
    }
    with webkit_driver() as driver:
        try:
            if copies:
                copies_flow(driver, url, user, report)
            elif snippet and page:
                snippet_flow(driver, page, user, report)
            elif example:
                example_flow(driver, page or url + "examples/minimal/", user, report)
            elif do_flow:
                flow(driver, url, user, report)
            redirect_returns(driver, url, tokens or [], report)
        except Exception as error:  # reported, so the test shows where the flow stopped
            report["failure"] = f"{type(error).__name__}: {error}"[:2000]
            try:
                report["page"] = driver.execute_script(
                    "return [document.body.dataset.auth, document.getElementById('auth-error').dataset.error]"
                )
            except Exception:
                pass
    return report
