// End to end, with the real parts: Debian's postfix delivers list mail to roundtable's
// LMTP listener, roundtable sends through an SMTP relay into an aiosmtpd capture server,
// and chromium signs up, confirms by the link in the captured mail, posts on the web; a
// reply by mail through postfix then shows in the thread. The server runs with its
// default moderation: a new account's first post and a new subscriber's first mail wait
// for a moderator, who approves them in a second browser.
//
// Needs root (postfix) and /usr/bin/python3 with aiosmtpd; scripts/test.sh installs both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, existsSync, chmodSync } from "node:fs";
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
const DOMAIN = "lists.example.test";
const LIST = `policy@${DOMAIN}`;
const MODERATOR_PASSWORD = "the moderator's long password";

let dir, captureDir, capture, server, base, lmtpPort, postfixDir, smtpPort, browser;

function waitFor(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      let value;
      try { value = check(); } catch { value = undefined; }
      if (value) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 100);
    };
    poll();
  });
}

// The captured messages so far: { envelope, raw } in arrival order.
function captured() {
  return readdirSync(captureDir).filter((f) => f.endsWith(".eml"))
    .sort((a, b) => parseInt(a) - parseInt(b))
    .map((f) => ({
      envelope: JSON.parse(readFileSync(path.join(captureDir, f.replace(/\.eml$/, ".json")), "utf8")),
      raw: readFileSync(path.join(captureDir, f), "utf8"),
    }));
}

function header(raw, name) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const m = head.match(new RegExp(`^${name}:[ \\t]*(.*)$`, "mi"));
  return m ? m[1] : null;
}

// Quoted-printable soft line breaks and escapes undone: links in notices survive.
function decodeQp(text) {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", "off", "--rate-limit", "0",
      "--lmtp", "127.0.0.1:0", "--smtp", `127.0.0.1:${capturePort()}`, "--mail-domain", DOMAIN]);
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
      const web = err.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
      const lmtp = err.match(/LMTP on 127\.0\.0\.1:(\d+)/);
      if (web && lmtp) resolve({ child, url: web[1], lmtp: Number(lmtp[1]) });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

function capturePort() {
  return Number(readFileSync(path.join(dir, "capture.port"), "utf8"));
}

// Mail submitted to postfix, as a subscriber's mail program would.
function sendThroughMta(from, to, subject, body, extraHeaders = {}) {
  const script = `
import smtplib, sys
from email.message import EmailMessage
from email.utils import make_msgid, formatdate
m = EmailMessage()
m["From"] = sys.argv[1]; m["To"] = sys.argv[2]; m["Subject"] = sys.argv[3]
m["Date"] = formatdate(); m["Message-ID"] = make_msgid(domain="example.net")
for pair in sys.argv[5:]:
    k, v = pair.split(":", 1); m[k] = v
m.set_content(sys.argv[4])
with smtplib.SMTP("127.0.0.1", ${smtpPort}) as s:
    s.send_message(m)
print(m["Message-ID"])`;
  const extras = Object.entries(extraHeaders).map(([k, v]) => `${k}:${v}`);
  return execFileSync("/usr/bin/python3", ["-c", script, from, to, subject, body, ...extras], { encoding: "utf8" }).trim();
}

before(async () => {
  // The postfix user must reach the harness's folder: a short path under a searchable /tmp.
  dir = mkdtempSync(path.join("/tmp", "rt-e2e-"));
  chmodSync(dir, 0o755);
  captureDir = path.join(dir, "captured");
  mkdirSync(captureDir);
  mkdirSync(shots, { recursive: true });
  capture = spawn("/usr/bin/python3", [path.join(root, "tests/mail/smtp_capture.py"), "--port", "0", "--dir", captureDir,
    "--ready-file", path.join(dir, "capture.port")], { stdio: "ignore" });
  await waitFor(() => existsSync(path.join(dir, "capture.port")), "the capture server");

  const db = testDatabase(dir);
  const run = (...args) => execFileSync(bin, [...args, "--db", db], { stdio: "pipe" });
  run("list", "create", "--forum", "igf", "policy", "--address", LIST, "--description", "IGF policy");
  run("subscribe", "--forum", "igf", "--list", "policy", "bob@example.net");
  run("subscribe", "--forum", "igf", "--list", "policy", "ana@example.org");
  execFileSync(bin, ["user", "add", "mod@example.org", "--name", "Maria Moderator", "--verified", "--password-stdin",
    "--db", db], { input: `${MODERATOR_PASSWORD}\n`, stdio: ["pipe", "pipe", "pipe"] });
  run("user", "role", "mod@example.org", "moderator", "--forum", "igf", "--list", "policy");
  ({ child: server, url: base, lmtp: lmtpPort } = await startServer(db));

  postfixDir = path.join(dir, "pf");
  smtpPort = Number(execFileSync("/usr/bin/python3", [path.join(root, "tests/mail/postfix_harness.py"), "start",
    "--dir", postfixDir, "--lmtp-port", String(lmtpPort), "--capture-port", String(capturePort()),
    "--list-domain", DOMAIN, "--watch-pid", String(process.pid), "--ttl", "600"], { encoding: "utf8" }).trim());

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  if (postfixDir) {
    try {
      execFileSync("/usr/bin/python3", [path.join(root, "tests/mail/postfix_harness.py"), "stop", "--dir", postfixDir]);
    } catch { /* already stopped */ }
  }
  server?.kill("SIGTERM");
  capture?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The moderator approves the held post with this subject in the queue.
async function approveHeld(moderator, subject) {
  await moderator.goto(`${base}/f/igf/moderation`);
  const held = moderator.locator("article.held", { hasText: subject });
  await held.locator("button[value=approve]").click();
  await moderator.waitForURL(/\/f\/igf\/moderation$/);
  assert.equal(await moderator.locator("article.held", { hasText: subject }).count(), 0);
}

async function checkAccessibility(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `${name}: accessibility`);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

test("sign up, confirm by mail, post on the web, get it by mail, reply by mail, see the reply", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // Any alert() would be a script from a post that ran.
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  const modContext = await browser.newContext();
  const moderator = await modContext.newPage();
  await moderator.goto(`${base}/signin`);
  await moderator.fill("input[name=email]", "mod@example.org");
  await moderator.fill("input[name=password]", MODERATOR_PASSWORD);
  await moderator.click("main button[type=submit]");
  await moderator.waitForURL((url) => !url.pathname.startsWith("/signin"));

  // Sign up.
  await page.goto(`${base}/signup`);
  await checkAccessibility(page, "signup");
  await page.fill("input[name=email]", "ana@example.org");
  await page.fill("input[name=name]", "Ana Lima");
  await page.fill("input[name=password]", "a long enough password");
  await page.selectOption("select[name=group]", "civil-society");
  await page.selectOption("select[name=country]", "BR");
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Check your mail");

  // The confirmation link arrives through the outbound queue and the SMTP relay.
  const verify = await waitFor(() => captured().find((m) => m.envelope.rcpt_tos.includes("ana@example.org") &&
    /Confirm your address/.test(header(m.raw, "Subject") || "")), "the confirmation mail");
  const link = decodeQp(verify.raw).match(/https?:\/\/\S+\/verify\?t=[A-Za-z0-9_-]+/)[0];
  await page.goto(link);
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Your address is confirmed");
  await checkAccessibility(page, "account");
  assert.match(await page.textContent("nav.account"), /Ana Lima/);

  // Her address is confirmed: she chooses the daily digest on the list page.
  await page.goto(`${base}/f/igf/l/policy/`);
  assert.equal(await page.inputValue("select[name=mode]"), "each");  // subscribed before she signed up
  await page.selectOption("select[name=mode]", "digest");
  await page.click("form.subscription button");
  await page.waitForURL(/\/f\/igf\/l\/policy\/$/);
  assert.equal(await page.inputValue("select[name=mode]"), "digest");
  await page.selectOption("select[name=mode]", "each");
  await page.click("form.subscription button");
  await page.waitForURL(/\/f\/igf\/l\/policy\/$/);
  await checkAccessibility(page, "list-signed-in");

  // A new thread on the web.
  await page.click("a.new-thread");
  await page.fill("input[name=subject]", "Capacity building for the 2027 IGF");
  await page.fill("textarea[name=body]", "We propose **three** workshops:\n\n1. one\n2. two\n\n<script>alert(1)</script>");
  await checkAccessibility(page, "new-thread");
  await page.click("main button[type=submit]");
  // A new account's first post waits for a moderator.
  await page.waitForSelector("text=first posts of a new account");
  await moderator.goto(`${base}/f/igf/moderation`);
  await checkAccessibility(moderator, "moderation-queue");
  await approveHeld(moderator, "Capacity building for the 2027 IGF");
  await page.goto(`${base}/f/igf/l/policy/`);
  await page.click("text=Capacity building for the 2027 IGF");
  await page.waitForURL(/\/t\/\d+/);
  const threadUrl = page.url().replace(/#.*/, "");
  assert.match(await page.textContent("main"), /Capacity building for the 2027 IGF/);

  // Both subscribers get it by mail, with the list's headers.
  const copies = await waitFor(() => {
    const posts = captured().filter((m) => /Capacity building/.test(header(m.raw, "Subject") || ""));
    return posts.length >= 2 ? posts : null;
  }, "the post by mail");
  const toBob = copies.find((m) => m.envelope.rcpt_tos.includes("bob@example.net"));
  assert.ok(toBob, "bob got the post");
  assert.match(header(toBob.raw, "List-Id"), /<policy\.lists\.example\.test>/);
  assert.match(header(toBob.raw, "List-Unsubscribe"), /unsubscribe\?l=/);
  assert.match(toBob.envelope.mail_from, /^policy-bounces\+bob=example\.net@lists\.example\.test$/);
  const postId = header(toBob.raw, "Message-ID");

  // Bob replies by mail, through postfix and LMTP. His first mail to the list waits for
  // the moderator too.
  sendThroughMta("Bob Mwangi <bob@example.net>", LIST, "Re: Capacity building for the 2027 IGF",
    "Count me in for the second workshop.", { "In-Reply-To": postId, "References": postId });
  let queued = false;
  for (const end = Date.now() + 30000; !queued && Date.now() < end;) {
    await moderator.goto(`${base}/f/igf/moderation`);
    queued = (await moderator.locator("article.held", { hasText: "first posts of a new subscriber" }).count()) > 0;
    if (!queued) await new Promise((r) => setTimeout(r, 300));
  }
  assert.ok(queued, "bob's reply is held for the moderator");
  await approveHeld(moderator, "Re: Capacity building for the 2027 IGF");
  const deadline = Date.now() + 30000;
  let text = "";
  while (Date.now() < deadline) {
    await page.goto(threadUrl);
    text = await page.textContent("main");
    if (/Count me in for the second workshop/.test(text)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.match(text, /Count me in for the second workshop/);
  assert.match(text, /Bob Mwangi/);
  // Markdown rendered, the script in the post kept out of the page, never run.
  assert.equal(await page.locator("article strong", { hasText: "three" }).count(), 1);
  assert.equal(await page.locator("article script").count(), 0);
  await checkAccessibility(page, "thread-with-web-and-mail");

  // A web reply to the mailed message threads under it, quoting it.
  const bobsMessage = page.locator("article", { hasText: "Count me in" });
  await bobsMessage.locator("a", { hasText: /^Reply$/ }).click();
  assert.match(await page.inputValue("textarea[name=body]"), /> Count me in for the second workshop\./);
  await page.fill("textarea[name=body]", "Thanks Bob, noted.");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/t\/\d+#m\d+/);
  assert.equal(page.url().replace(/#.*/, ""), threadUrl);
  await page.locator("article.msg", { hasText: "Thanks Bob, noted." }).waitFor();

  // The author edits the first post; its history keeps the first version.
  await page.locator("article", { hasText: "We propose" }).locator("a", { hasText: /^Edit$/ }).click();
  await page.fill("textarea[name=body]", "We propose **four** workshops.");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/t\/\d+#m\d+/);
  assert.equal(await page.locator("article strong", { hasText: "four" }).count(), 1);
  await page.locator("a.edited").first().click();
  assert.match(await page.textContent("main"), /As first posted[\s\S]*three[\s\S]*Current version[\s\S]*four/);
  await checkAccessibility(page, "post-history");
  assert.deepEqual(dialogs, [], "no script from a post ran");
  await modContext.close();
  await context.close();
});
