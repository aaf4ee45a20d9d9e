// Drives headless Chromium over the DevTools protocol (no npm packages; node 20
// needs --experimental-websocket) against a running `nbrun serve`:
//   index   the index shows a checked note's status
//   search  opens the index, types a word into the search box, expects a result
//   dialect callouts are styled boxes, a folded one opens, comments and drafts are not published
//   narrow  at 420 px the sidebar hides behind a button and nothing is wider than the screen
//   reload  opens a note, changes it on disk, expects the page to reload with the change
//
//   file    the built site opened from file:// searches too (no fetch of a JSON file)
//   vault   Tests/Dialects/vault built, from file://: callouts, comments, drafts, GitHub math,
//           highlighted code with its copy button, the 420 px layout (a screenshot)
//   jekyll  Tests/Dialects/jekyll built, from file://: drafts and unpublished posts absent,
//           Liquid resolved (the include warned at its line), math blocks checked, search
//
//   node --experimental-websocket scripts/browser-check.mjs DEVTOOLS_PORT SITE_URL NOTES_DIR SITE_DIR \
//        VAULT_SITE JEKYLL_SITE JEKYLL_BUILD_LOG SCREENSHOT.png
// Prints one line per check and exits 1 when one fails.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const [devtoolsPort, siteURL, notes, siteFolder, vaultSite, jekyllSite, jekyllLog, screenshot] = process.argv.slice(2);
const failures = [];

async function openTab() {
  const response = await fetch(`http://127.0.0.1:${devtoolsPort}/json/new?about:blank`, { method: "PUT" });
  const target = await response.json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let next = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    }
  };
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });
  const evaluate = async (expression) =>
    (await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })).result?.result?.value;
  return { send, evaluate, close: () => socket.close() };
}

/** Polls `expression` until it is truthy or `seconds` pass; returns its last value. */
async function waitFor(tab, expression, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let value;
  while (Date.now() < deadline) {
    value = await tab.evaluate(expression);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return value;
}

function check(name, ok, detail) {
  console.log(`${ok ? "ok" : "FAILED"}  ${name}${detail ? ": " + detail : ""}`);
  if (!ok) failures.push(name);
}

const tab = await openTab();
await tab.send("Page.enable");
await tab.send("Runtime.enable");

// 1. Search: type "softmax" (a prose word of one note only) into the box of the index page.
await tab.send("Page.navigate", { url: siteURL + "index.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('form.search input')", 10);
const status = await tab.evaluate(
  "document.querySelector('tr:has(a[href=\"derivation/hidden-layers.html\"]) .status')?.textContent");
check("index: the checked note shows '✓ verified'", status === "✓ verified", status || "no status");
await tab.evaluate("document.querySelector('form.search input').focus()");
await tab.send("Input.insertText", { text: "softm" });
const found = await waitFor(tab,
  "[...document.querySelectorAll('.search-results a')].map(a => a.textContent + ' → ' + a.getAttribute('href')).join(' | ')", 10);
check("search: typing 'softm' lists the note that says 'softmax'", /^Output layer → \.\/derivation\/output-layer\.html$/.test(found || ""), found || "no result");
await tab.send("Input.insertText", { text: "zzz" });
const none = await waitFor(tab, "document.querySelector('.search-results .empty')?.textContent", 5);
check("search: a word no note has shows 'No notes match.'", none === "No notes match.", none || "nothing shown");

// 2. Obsidian's notations: callouts styled, folded ones open on a click, comments and drafts absent.
await tab.send("Page.navigate", { url: siteURL + "callouts.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('.callout')", 10);
const tip = await tab.evaluate(`(() => { const box = getComputedStyle(document.querySelector('.callout-tip'));
  const title = getComputedStyle(document.querySelector('.callout-tip .callout-title'));
  return [box.backgroundColor, box.borderLeftColor, title.color, box.borderLeftWidth].join(' / '); })()`);
const [background, rule, titleColor, width] = (tip || "").split(" / ");
check("callout: a tip is a tinted box with a rule and a title in its colour",
  background !== "rgba(0, 0, 0, 0)" && rule === titleColor && width === "4px", tip || "no callout");
const folded = await tab.evaluate("document.querySelector('details.callout-warning').open");
await tab.evaluate("document.querySelector('details.callout-warning summary').click()");
const opened = await tab.evaluate("document.querySelector('details.callout-warning').open && !!document.querySelector('details.callout-warning .nb-step[data-status=verified]')");
check("callout: a folded warning opens on a click and shows its checked step", folded === false && opened === true, `open before ${folded}, after ${opened}`);
const leaked = await tab.evaluate("['a private remark', 'a hidden comment', '%%'].filter(s => document.documentElement.outerHTML.includes(s)).join(', ')");
check("comments: neither %% nor <!-- --> comments reach the page", leaked === "", leaked || "none found");
const draft = await tab.evaluate(`fetch(${JSON.stringify(siteURL + "unfinished.html")}).then(r => r.status)`);
check("drafts: a note with draft: true is not served", draft === 404, `status ${draft}`);

// 3. A 420 px screen: the sidebar waits behind its button, nothing scrolls sideways.
await tab.send("Emulation.setDeviceMetricsOverride", { width: 420, height: 900, deviceScaleFactor: 1, mobile: true });
await tab.send("Page.navigate", { url: siteURL + "derivation/hidden-layers.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('.nav-button')", 10);
const closed = await tab.evaluate("[getComputedStyle(document.querySelector('.sidebar')).display, getComputedStyle(document.querySelector('.nav-button')).display, document.documentElement.scrollWidth].join(' ')");
await tab.evaluate("document.querySelector('.nav-button').click()");
const shown = await tab.evaluate("getComputedStyle(document.querySelector('.sidebar')).display");
check("narrow: at 420 px the sidebar hides behind a button that shows it", /^none (block|inline-block) 420$/.test(closed || "") && shown === "block",
  `sidebar, button, page width: ${closed}; after a click: ${shown}`);
await tab.send("Page.navigate", { url: siteURL + "index.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('table.notes')", 10);
const widths = await tab.evaluate("[document.documentElement.scrollWidth, document.querySelector('table.notes').getBoundingClientRect().right <= 420].join(' ')");
check("narrow: the index fits in 420 px (its table scrolls in its own box)", widths === "420 true", widths);
await tab.send("Emulation.clearDeviceMetricsOverride");

// 4. The site folder opened from file://: search loads its index as a script, and finds tags too.
await tab.send("Page.navigate", { url: "file://" + siteFolder + "/index.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('form.search input')", 10);
await tab.evaluate("document.querySelector('form.search input').focus()");
await tab.send("Input.insertText", { text: "softm" });
const offline = await waitFor(tab, "[...document.querySelectorAll('.search-results a')].map(a => a.textContent).join(' | ')", 10);
check("file://: the search box works on the site opened from disk", offline === "Output layer", offline || "no result");

/** Opens a page of a built site from disk and waits until `ready` holds. */
async function openFile(path, ready) {
  await tab.send("Page.navigate", { url: "file://" + encodeURI(path) });
  return waitFor(tab, `document.readyState === 'complete' && (${ready})`, 10);
}

// 5. The test vault (Tests/Dialects/vault), built and opened from disk.
if (vaultSite) {
  await openFile(vaultSite + "/Squares.html", "!!document.querySelector('.callout')");
  const note = await tab.evaluate(`(() => { const box = getComputedStyle(document.querySelector('.callout-note'));
    return [box.backgroundColor, box.borderLeftWidth, !!document.querySelector('.callout-note svg.callout-icon')].join(' / '); })()`);
  check("vault: a [!note] callout is a tinted box with its icon", /^rgba?\(.*\) \/ 4px \/ true$/.test(note || "") && !note.startsWith("rgba(0, 0, 0, 0)"), note);
  const secrets = await tab.evaluate("['Ask Sam', 'grant deadline', 'reviewer', '%%'].filter(s => document.documentElement.outerHTML.includes(s)).join(', ')");
  check("vault: %% comments %% and <!-- --> comments are not in the page", secrets === "", secrets);
  const draftPage = existsSync(vaultSite + "/Inbox.html") || readFileSync(vaultSite + "/index.html", "utf8").includes("Unfinished thoughts");
  check("vault: the note with draft: true is neither built nor listed", !draftPage);
  const github = await tab.evaluate(`[document.querySelectorAll('.math .katex').length,
    [...document.querySelectorAll('.math.display')].filter(m => m.textContent.includes('2x')).length,
    document.querySelectorAll('.nb-step[data-status=verified]').length].join(' ')`);
  check("vault: GitHub's $`…`$ and math blocks are typeset, and their steps checked", /^([4-9]|\d\d) [1-9]\d* [1-9]\d*$/.test(github || ""), `katex, display, verified steps: ${github}`);

  await openFile(vaultSite + "/Chain rule.html", "!!document.querySelector('pre code.hljs')");
  const colours = await tab.evaluate(`(() => { const keyword = document.querySelector('code.language-swift .hljs-keyword');
    return keyword ? [getComputedStyle(keyword).color, getComputedStyle(keyword.closest('pre')).color].join(' / ') : ''; })()`);
  const [keywordColour, textColour] = (colours || "").split(" / ");
  check("code: a swift block is highlighted at build time (its keywords in their own colour)", !!keywordColour && keywordColour !== textColour, colours || "no highlighted keyword");
  const button = await tab.evaluate("document.querySelectorAll('pre.has-copy > button.copy-code').length + ' ' + document.querySelectorAll('article pre').length");
  await tab.evaluate("document.querySelector('button.copy-code').click()");
  const pressed = await waitFor(tab, "['Copied', 'Selected'].includes(document.querySelector('button.copy-code').textContent) && document.querySelector('button.copy-code').textContent", 3);
  check("code: each block has a copy button that answers a click", /^(\d+) \1$/.test(button || "") && !!pressed, `buttons, blocks: ${button}; after a click: ${pressed}`);

  await tab.send("Emulation.setDeviceMetricsOverride", { width: 420, height: 900, deviceScaleFactor: 1, mobile: true });
  await openFile(vaultSite + "/Squares.html", "!!document.querySelector('.nav-button')");
  const narrow = await tab.evaluate("[document.documentElement.scrollWidth, getComputedStyle(document.querySelector('.sidebar')).display].join(' ')");
  const shot = await tab.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: false });
  if (screenshot && shot.result?.data) writeFileSync(screenshot, Buffer.from(shot.result.data, "base64"));
  check("vault: at 420 px the note fits the screen, its sidebar folded away", narrow === "420 none", `page width, sidebar: ${narrow}; screenshot ${screenshot}`);
  await tab.send("Emulation.clearDeviceMetricsOverride");
}

// 6. The test Jekyll site (Tests/Dialects/jekyll), built and opened from disk.
if (jekyllSite) {
  await openFile(jekyllSite + "/index.html", "!!document.querySelector('table.notes')");
  const listed = await tab.evaluate("[...document.querySelectorAll('table.notes a')].map(a => a.textContent).join(' | ')");
  const hidden = ["Outline not yet for readers", "Quartics"].filter((title) => (listed || "").includes(title));
  const order = (listed || "").indexOf("Cubes") < (listed || "").indexOf("First steps with slopes");
  check("jekyll: unpublished posts and drafts are left out; posts newest first", hidden.length === 0 && order && !existsSync(jekyllSite + "/_drafts/quartics.html"), listed);
  await openFile(jekyllSite + "/_posts/2024-06-10-first-steps.html", "!!document.querySelector('.katex')");
  const liquid = await tab.evaluate(`[document.querySelector('article').innerText.match(/\{%|%\}|\{\{/g)?.length ?? 0,
    document.querySelector('a[href="2024-07-02-cubes.html"]')?.textContent].join(' / ')`);
  const warned = readFileSync(jekyllLog, "utf8").includes("_posts/2024-06-10-first-steps.md:21:1: warning:");
  check("jekyll: Liquid links resolve, no tag reaches the page, the include is a warning at its line", liquid === "0 / on cubes" && warned, `${liquid}; warned: ${warned}`);
  const math = await tab.evaluate("[document.querySelectorAll('.math.display .katex').length, document.querySelectorAll('.nb-step[data-status=verified]').length, !!document.querySelector('code.language-python .hljs-keyword')].join(' ')");
  check("jekyll: the ```math block is typeset and its step verified; the highlight tag is python code", math === "1 1 true", `display math, verified steps, python keywords: ${math}`);
  await openFile(jekyllSite + "/index.html", "!!document.querySelector('form.search input')");
  await tab.evaluate("document.querySelector('form.search input').focus()");
  await tab.send("Input.insertText", { text: "calculus" });
  const tagged = await waitFor(tab, "[...document.querySelectorAll('.search-results a')].map(a => a.textContent).sort().join(' | ')", 10);
  check("jekyll: search from file:// finds posts by their tag", tagged === "Cubes | First steps with slopes", tagged || "no result");
}

// 7. Live reload: open a note, mark the window, change the note on disk.
await tab.send("Page.navigate", { url: siteURL + "intro.html" });
await waitFor(tab, "document.readyState === 'complete' && !!document.querySelector('script[src=\"/__nbrun/live.js\"]')", 10);
await new Promise((resolve) => setTimeout(resolve, 500)); // live.js's first long poll is under way
await tab.evaluate("window.__beforeReload = true");
const started = Date.now();
appendFileSync(notes + "/intro.md", "\nA sentence added by the browser check.\n");
const reloaded = await waitFor(tab,
  "!window.__beforeReload && document.body.innerText.includes('A sentence added by the browser check.')", 15);
check("live reload: changing intro.md reloads its open page with the new text", !!reloaded,
  reloaded ? `${Date.now() - started} ms from the write to the new page` : "no reload within 15 s");

tab.close();
process.exit(failures.length ? 1 : 0);
