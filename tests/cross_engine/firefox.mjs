// The page's whole flow in Firefox, driven by puppeteer-core over WebDriver BiDi (no
// geckodriver). Run by tests/cross_engine/test_firefox.py and benchmarks/engines.py:
//
//   node firefox.mjs '{"firefox": ..., "url": ..., "user": [email, password],
//                      "flow": true, "tokens": [...]}'
//
// It prints one JSON report: the steps that passed, the first failure, the console
// errors, and the times the page itself marked (User Timing "auth:*" and "profile").
// With "snippet", the steps of a page built from the docs' snippets at "page". With "boots",
// only a load of each URL in it, to ready or a failed boot (tests/cross_engine/test_runtime_bytes.py).
// With "flow", it runs boot, redirect sign-in, profile, one API query, reload, sign-out
// and popup sign-in; each token in "tokens" is then one timed warm redirect return.
import puppeteer from "puppeteer-core";

const job = JSON.parse(process.argv[2]);
const report = { steps: [], failure: null, console: [], logs: [], times: { boot: [], warm: [], redirect: [] } };
const TIMEOUT = 30000;
// What a boot ended in, and whether the engine decodes brotli itself (tests/cross_engine/webkit.py's too).
const BOOT_STATE = `(() => {
  let nativeBrotli = true;
  try { new DecompressionStream("brotli"); } catch { nativeBrotli = false; }
  const error = document.getElementById("boot-error");
  return { auth: document.body.dataset.auth, boot: document.body.dataset.boot || null,
           error: error && !error.hidden ? error.textContent : null,
           retry: Boolean(document.getElementById("boot-retry")), nativeBrotli };
})()`;

const mark = (page, name) =>
  page.evaluate((n) => {
    const entry = performance.getEntriesByName(n)[0];
    return entry ? entry.startTime : null;
  }, name);

async function waitAuth(page, state) {
  await page.waitForSelector(`body[data-auth='${state}']`, { timeout: TIMEOUT });
}

async function waitProfile(page) {
  await page.waitForFunction(
    () => document.getElementById("profile-name").textContent !== "…", { timeout: TIMEOUT });
}

async function logIn(page) {
  await page.waitForSelector("input[name=username]", { timeout: TIMEOUT });
  await page.type("input[name=username]", job.user[0]);
  await page.type("input[name=password]", job.user[1]);
  await Promise.all([
    page.waitForNavigation({ timeout: TIMEOUT }).catch(() => null),
    page.click("button[name=decision][value=allow]"),
  ]);
}

async function step(name, run) {
  await run();
  report.steps.push(name);
}

async function flow(browser, page) {
  await step("boot", async () => {
    await page.goto(job.url);
    await waitAuth(page, "signed-out");
    report.times.boot.push(await mark(page, "auth:signed-out"));
  });
  await step("redirect sign-in", async () => {
    await page.click("#sign-in");
    await logIn(page);
    await waitAuth(page, "signed-in");
    await waitProfile(page);
    const href = await page.evaluate(() => location.href);
    if (href !== job.url) throw new Error(`the address bar kept ${href}`);
  });
  await step("profile", async () => {
    const name = await page.$eval("#profile-name", (e) => e.textContent);
    if (name !== job.user[0]) throw new Error(`profile name ${name}`);
  });
  await step("API query", async () => {
    await page.click("#api-run");
    await page.waitForFunction(
      () => document.getElementById("api-result").textContent !== "", { timeout: TIMEOUT });
    const result = JSON.parse(await page.$eval("#api-result", (e) => e.textContent));
    if (!result.data || !result.data.me) throw new Error("no data.me in the API result");
  });
  await step("worker query", async () => {
    // Python in a module worker, its runtime as brotli like the page's (static/runtime.js).
    await page.click("#worker-run");
    await page.waitForFunction(
      () => ["ok", "error"].includes(document.getElementById("worker-result").dataset.state),
      { timeout: TIMEOUT });
    const state = await page.$eval("#worker-result", (e) => e.dataset.state);
    if (state !== "ok") throw new Error(`the worker's query ended in ${state}`);
  });
  await step("reload keeps the session", async () => {
    await page.reload();
    await waitAuth(page, "signed-in");
    await waitProfile(page);
    report.times.warm.push(await mark(page, "auth:signed-in"));
  });
  await step("sign-out", async () => {
    await page.click("#sign-out");
    await waitAuth(page, "signed-out");
    const kept = await page.evaluate(() => sessionStorage.getItem("veritone.token"));
    if (kept !== null) throw new Error("the token is still in sessionStorage");
  });
  await step("popup sign-in", async () => {
    await page.click("#sign-in-popup");
    // The stand-in may remember the login and send the popup straight back; Puppeteer's
    // popup event gives a page stuck at about:blank, so look for the form among all pages.
    const deadline = Date.now() + TIMEOUT;
    while (Date.now() < deadline) {
      if (await page.$("body[data-auth='signed-in']")) break;
      for (const other of await browser.pages()) {
        if (other !== page && other.url().includes("/oauth/authorize") && (await other.$("input[name=username]"))) {
          await logIn(other);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitAuth(page, "signed-in");
    await waitProfile(page);
  });
}

async function exampleFlow(page) {
  const url = job.page || job.url + "examples/minimal/"; // or the starter, unzipped
  const name = () => page.$eval("#name", (e) => e.textContent);
  await step("boot", async () => {
    await page.goto(url);
    await waitAuth(page, "signed-out");
  });
  await step("redirect sign-in", async () => {
    await page.click("#sign-in");
    await logIn(page);
    await waitAuth(page, "signed-in");
    const href = await page.evaluate(() => location.href);
    if (href !== url) throw new Error(`the address bar kept ${href}`);
  });
  await step("signed in as", async () => {
    if ((await name()) !== `Signed in as ${job.user[0]}`) throw new Error(`name ${await name()}`);
  });
  await step("reload keeps the session", async () => {
    await page.reload();
    await waitAuth(page, "signed-in");
  });
  await step("sign-out", async () => {
    await page.click("#sign-out");
    await waitAuth(page, "signed-out");
    const kept = await page.evaluate(() => sessionStorage.getItem("veritone.token"));
    if (kept !== null || (await name()) !== "") throw new Error("still signed in");
  });
}

// A page built from the docs' snippets (tests/snippet_pages.py): buttons #go and #stop,
// and nothing on the page but the token in sessionStorage says who is signed in.
async function snippetFlow(page) {
  const url = job.page;
  const stored = (yes) =>
    page.waitForFunction((yes) => (sessionStorage.getItem("veritone.token") !== null) === yes,
      { timeout: TIMEOUT }, yes);
  await step("boot", async () => {
    await page.goto(url);
    await page.waitForSelector("#go:enabled", { timeout: TIMEOUT }); // main.py ran to its end
    await stored(false);
  });
  await step("redirect sign-in", async () => {
    await page.click("#go");
    await logIn(page);
    await stored(true);
    await page.waitForSelector("#go:enabled", { timeout: TIMEOUT });
    const href = await page.evaluate(() => location.href);
    if (href !== url) throw new Error(`the address bar kept ${href}`);
  });
  await step("sign-out", async () => {
    await page.click("#stop");
    await stored(false);
  });
  await step("later stdlib", async () => {
    await page.evaluate((code) => {
      const script = document.createElement("script");
      script.type = "py";
      script.textContent = code;
      document.body.append(script);
    }, job.later);
    await page.waitForSelector("body[data-later]", { timeout: TIMEOUT });
    report.later = JSON.parse(await page.evaluate(() => document.body.dataset.later));
  });
}

// Each of "boots": one load, to the page ready or its boot failed; what it ended in.
async function bootsOnly(page) {
  report.boots = [];
  for (const url of job.boots) {
    await page.goto(url);
    await page.waitForSelector("body:not([data-auth='booting']), body[data-boot='failed']", { timeout: TIMEOUT });
    report.boots.push(await page.evaluate(BOOT_STATE));
  }
}

// "copies": a copy of the tab that is on another page at sign-out drops the token when it
// comes back, and says it was signed out in another tab.
async function copiesFlow(browser, page) {
  let copy = null;
  await step("redirect sign-in", async () => {
    await page.goto(job.url);
    await waitAuth(page, "signed-out");
    await page.click("#sign-in");
    await logIn(page);
    await waitAuth(page, "signed-in");
  });
  await step("a copy of the tab, away", async () => {
    const before = (await browser.pages()).length;
    await page.evaluate(() => window.open(location.href + "config.json"));
    const deadline = Date.now() + TIMEOUT;
    while ((await browser.pages()).length === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    copy = (await browser.pages()).find((other) => other !== page && other.url().endsWith("config.json"))
      || (await browser.pages()).at(-1);
    await copy.waitForFunction(() => sessionStorage.getItem("veritone.token") !== null, { timeout: TIMEOUT });
  });
  await step("sign-out", async () => {
    await page.click("#sign-out");
    await waitAuth(page, "signed-out");
  });
  await step("the copy comes back signed out", async () => {
    await copy.goto(job.url);
    await waitAuth(copy, "signed-out");
    const notice = await copy.$eval("#notice", (e) => e.textContent);
    if (!notice.includes("another tab")) throw new Error(`notice: ${notice}`);
    if ((await copy.evaluate(() => sessionStorage.getItem("veritone.token"))) !== null) {
      throw new Error("the copy still holds the token");
    }
  });
}

async function redirectReturns(page) {
  for (const token of job.tokens || []) {
    await page.goto(job.url);
    await page.waitForSelector("body:not([data-auth='booting'])", { timeout: TIMEOUT });
    await page.evaluate((url) => {
      sessionStorage.clear();
      sessionStorage.setItem("veritone.pending", JSON.stringify(
        { state: "bench", started_at: Date.now() / 1000, redirect_uri: url, mode: "redirect" }));
    }, job.url);
    await page.goto("about:blank");
    await page.goto(`${job.url}#access_token=${token}&token_type=Bearer&state=bench`);
    await waitProfile(page);
    report.times.redirect.push(await mark(page, "profile"));
  }
}

const browser = await puppeteer.launch({ browser: "firefox", executablePath: job.firefox, headless: true });
try {
  // Every page's console, the sign-in popup's included.
  const listen = (page) => {
    page.on("console", (message) => {
      if (message.type() === "error") report.console.push(message.text());
      else if (message.type() === "log") report.logs.push(message.text());
    });
    page.on("pageerror", (error) => report.console.push(String(error)));
  };
  browser.on("targetcreated", async (target) => {
    if (target.type() !== "page") return; // the query worker is a target too, and has no page
    const page = await target.page();
    if (page) listen(page);
  });
  const page = await browser.newPage();
  listen(page);
  if (job.boots) await bootsOnly(page);
  else if (job.copies) await copiesFlow(browser, page);
  else if (job.snippet) await snippetFlow(page);
  else if (job.example) await exampleFlow(page);
  else if (job.flow) await flow(browser, page);
  await redirectReturns(page);
} catch (error) {
  report.failure = String(error && error.stack || error).slice(0, 2000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
