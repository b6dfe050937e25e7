#!/usr/bin/env node
// Runs axe-core in headless Chromium on each HTML file given and prints one JSON report.
//
//   node tests/a11y/axe-check.mjs FILE.html [FILE.html ...]
//
// Every file is opened as file:// (as a reader would open it), axe.min.js is injected and
// all WCAG 2.0/2.1/2.2 A and AA rules plus axe's best-practice rules run; then the page is laid
// out 320 px wide (WCAG 1.4.10 Reflow) to find what would make a reader scroll sideways. Output on stdout:
//   [{"file": ..., "violations": [{"id", "impact", "help", "nodes": [{"target", "html", "summary"}]}],
//     "incomplete": [same shape: checks axe could not decide], "passes": N,
//     "reflow": {"scrollWidth": the document's at a 320 px viewport,
//                "elements": [{"element", "text", "width"}] widest first: what sticks out of the page or
//                            out of its own box, outside any scrolling container,
//                "scrolled": [{"element", "label", "width"}]: scrolling containers wider inside than out}}]
// Exit 0 when the pages could be checked (whatever they contain), 1 on a usage or browser error.
// The browser is Debian's Chromium: see chromium.mjs.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const REFLOW_WIDTH = 320;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node axe-check.mjs FILE.html [FILE.html ...]");
  process.exit(1);
}

const shape = (results) => results.map((rule) => ({
  id: rule.id,
  impact: rule.impact,
  help: rule.help,
  nodes: rule.nodes.map((node) => ({ target: node.target, html: node.html, summary: node.failureSummary })),
}));

// Runs in the page at 320 CSS px wide (WCAG 1.4.10 Reflow: 1280 px at 400% zoom). The page must
// not scroll sideways. Content that needs two dimensions (a wide table) may be wider than the page
// inside its own scrolling container, which then scrolls instead; everything else must wrap.
function reflowProblems(limit) {
  const scrolling = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const same = [...e.parentElement.children].filter((s) => s.tagName === e.tagName);
      const name = e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "")
        + (e.classList.length ? `.${[...e.classList].join(".")}` : "");
      parts.unshift(same.length > 1 ? `${name}:nth-of-type(${same.indexOf(e) + 1})` : name);
    }
    return parts.join(" > ");
  };
  const containers = [];
  const found = [];
  const scrolled = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (containers.some((c) => c.contains(el))) continue;  // may be as wide as it likes: it scrolls
    const style = getComputedStyle(el);
    if (style.display === "none") continue;
    const box = el.getBoundingClientRect();
    // A box ending right of the viewport widens the page; content wider than its own box
    // (not clipped to a 1 px box like .sr-only) spills over its neighbours or the margin.
    const sticksOut = box.right > limit + 0.5;
    const spills = !scrolling(style) && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1;
    if (sticksOut || spills) found.push({ el, sticksOut, width: Math.round(Math.max(box.width, el.scrollWidth)) });
    if (scrolling(style)) {
      containers.push(el);
      if (el.scrollWidth > el.clientWidth + 1) {
        scrolled.push({ element: path(el), label: el.getAttribute("aria-label"), width: el.scrollWidth });
      }
    }
  }
  // A box that only spills because something inside it sticks out or spills is not the culprit.
  const elements = found
    .filter((f) => f.sticksOut || !found.some((other) => other !== f && f.el.contains(other.el)))
    .map((f) => ({ element: path(f.el), width: f.width,
                   text: f.el.textContent.replace(/\s+/g, " ").trim().slice(0, 40).trim() }));
  elements.sort((a, b) => b.width - a.width);  // stable: of two as wide, the outer one first
  return { scrollWidth: document.documentElement.scrollWidth, elements, scrolled };
}

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const report = [];
  for (const file of files) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ content: AXE_SOURCE });
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      TAGS,
    );
    await page.setViewportSize({ width: REFLOW_WIDTH, height: 256 });
    const reflow = await page.evaluate(reflowProblems, REFLOW_WIDTH);
    await page.setViewportSize({ width: 1280, height: 720 });
    report.push({
      file,
      violations: shape(results.violations),
      incomplete: shape(results.incomplete),
      passes: results.passes.length,
      reflow,
    });
  }
  process.stdout.write(JSON.stringify(report, null, 1) + "\n");
} finally {
  await browser.close();
}
