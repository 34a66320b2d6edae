// Browser tests: a real roundtable server on loopback, Debian's chromium driven by
// Playwright. Opens every kind of page, checks it with axe-core, weighs it, takes a
// screenshot into build/screenshots/, and proves that no script from a message runs.
//
// Run: ROUNDTABLE_BIN=build/roundtable node --test tests/browser/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { testDatabase } from "./database.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const bin = process.env.ROUNDTABLE_BIN || path.join(root, "build/roundtable");
const shots = process.env.SCREENSHOT_DIR || path.join(root, "build/screenshots");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const MAX_PAGE_BYTES = 100 * 1024;

let dir, server, base, browser;

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", "off", "--rate-limit", "0"]);
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
      const m = err.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "rt-browser-"));
  mkdirSync(shots, { recursive: true });
  const db = testDatabase(dir);
  const mbox = path.join(dir, "demo.mbox");
  execFileSync("python3", [path.join(root, "bench/gen_archive.py"), "--messages", "300", "--lists", "2", "--seed", "7",
    "--format", "mbox", "--out", mbox], { stdio: "ignore" });
  execFileSync(bin, ["import", "--db", db, "--forum", "demo", "--no-progress", mbox], { stdio: "ignore" });
  execFileSync(bin, ["import", "--db", db, "--forum", "demo", "--no-progress", path.join(root, "tests/data/xss.mbox")],
    { stdio: "ignore" });
  ({ child: server, url: base } = await startServer(db));
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A page that records everything a test asserts on: script side effects, dialogs, CSP
// violations (a payload that reached the HTML unescaped) and bytes transferred.
async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.bytes = 0;
  page.on("dialog", (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("response", async (r) => {
    const length = Number(r.headers()["content-length"] || 0);
    page.bytes += length;
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations = (window.__cspViolations || 0) + 1;
    });
  });
  return page;
}

async function checkPage(page, name) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${name}: a script from a message ran`);
  assert.equal(await page.evaluate(() => window.__cspViolations || 0), 0, `${name}: content tried to break the CSP`);
  assert.deepEqual(page.problems, [], `${name}: ${page.problems.join("; ")}`);
  assert.ok(page.bytes < MAX_PAGE_BYTES, `${name} weighs ${page.bytes} bytes`);
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), [],
    `${name}: accessibility`);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

test("home, list, thread, quote, permalink, person, stats", async () => {
  const page = await openPage();
  await page.goto(base + "/");
  assert.match(await page.title(), /Forums/);
  await checkPage(page, "home");

  await page.click("table.lists tbody a");
  await page.waitForSelector("ul.threads");
  await checkPage(page, "list");

  // The busiest thread of the list page has replies, hence quotes.
  const threadLinks = await page.$$eval("ul.threads li", (items) => items
    .map((li) => ({ href: li.querySelector("a").getAttribute("href"), replies: parseInt(li.querySelector(".meta").textContent.split("·")[1]) }))
    .sort((a, b) => b.replies - a.replies));
  await page.goto(base + threadLinks[0].href);
  await page.waitForSelector("article.msg");
  const quote = page.locator("details.quote").first();
  assert.equal(await quote.evaluate((d) => d.open), false);
  await quote.locator("summary").click();
  assert.equal(await quote.evaluate((d) => d.open), true, "a click expands the quote");
  await checkPage(page, "thread");

  await page.goto(base + threadLinks[0].href + "?view=nested");
  await checkPage(page, "thread-nested");

  const permalink = await page.locator("a.permalink").first().getAttribute("href");
  await page.click("a.permalink >> nth=0");
  await page.waitForURL(base + permalink);
  assert.equal(await page.locator("article.msg").count(), 1);
  await checkPage(page, "message");

  await page.click("h2.author a >> nth=0");
  await page.waitForSelector("dl.facts");
  assert.doesNotMatch(await page.content(), /[\w.]+@[\w-]+\.org/, "addresses are obfuscated");
  await checkPage(page, "person");

  await page.goto(base + "/f/demo/stats");
  await page.waitForSelector("figure svg");
  await checkPage(page, "stats");
  await page.context().close();
});

test("search with the form, highlighted and paged", async () => {
  const page = await openPage();
  await page.goto(base + "/search");
  await page.fill("#q", "governance");
  await page.click("form.search button[type=submit]");
  await page.waitForSelector("ol.hits li");
  assert.ok(await page.locator("ol.hits mark").count() > 0, "matches are highlighted");
  assert.match(await page.locator("[role=status]").textContent(), /\d+ messages? found/);
  await checkPage(page, "search");
  await page.goto(base + "/search?q=%22unclosed");
  assert.ok(await page.locator(".error").count() === 1, "a malformed query is explained");
  await page.context().close();
});

test("quotes work without JavaScript", async () => {
  const page = await openPage({ javaScriptEnabled: false });
  await page.goto(base + "/t/1");
  const quote = page.locator("details").first();
  if (await quote.count()) {
    await quote.locator("summary").click();
    assert.equal(await quote.evaluate((d) => d.open), true);
  }
  await page.context().close();
});

test("no script from any message runs, on any page", async () => {
  const page = await openPage();
  const api = await (await fetch(base + "/api/v1/forums/demo/lists/xss/threads")).json();
  assert.ok(api.threads.length > 0, "the XSS corpus was imported");
  const urls = ["/", "/f/demo/", "/f/demo/l/xss/", "/f/demo/stats", "/search?q=script", "/search?q=window"];
  for (const t of api.threads) {
    urls.push(t.url, t.url + "?view=nested");
    const thread = await (await fetch(base + "/api/v1/threads/" + t.id)).json();
    for (const m of thread.messages) {
      urls.push(m.url, m.raw_url);
      if (m.person_id) urls.push("/p/" + m.person_id);
      for (const a of m.attachments) urls.push(a.url);
    }
  }
  for (const url of urls) {
    const response = await page.goto(base + url).catch((e) => (e.message.includes("Download") ? null : Promise.reject(e)));
    if (response && (response.headers()["content-type"] || "").startsWith("text/html")) {
      assert.equal(await page.evaluate(() => window.__xss), undefined, `script ran on ${url}`);
      assert.equal(await page.evaluate(() => window.__cspViolations || 0), 0, `payload reached the HTML of ${url}`);
    }
  }
  assert.deepEqual(page.problems, []);
  await page.screenshot({ path: path.join(shots, "xss-thread.png"), fullPage: true });
  await page.context().close();
});
