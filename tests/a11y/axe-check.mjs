#!/usr/bin/env node
// Runs axe-core in headless Chromium on each HTML file given and prints one JSON report.
//
//   node tests/a11y/axe-check.mjs FILE.html [FILE.html ...]
//
// Every file is opened as file:// (as a reader would open it), axe.min.js is injected and
// all WCAG 2.0/2.1/2.2 A and AA rules plus axe's best-practice rules run; then the page is laid
// out 320 px wide to find text that would need sideways scrolling. Output on stdout:
//   [{"file": ..., "violations": [{"id", "impact", "help", "nodes": [{"target", "html", "summary"}]}],
//     "incomplete": [same shape: checks axe could not decide], "passes": N,
//     "reflow": {"scrollWidth": px at a 320 px viewport, tables hidden, "elements": [{"element", "text", "width"}]}}]
// Exit 0 when the pages could be checked (whatever they contain), 1 on a usage or browser error.
// The browser is Debian's Chromium: see chromium.mjs.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
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

// Runs in the page at 320 CSS px wide (WCAG 1.4.10 Reflow: 1280 px at 400% zoom): the innermost
// elements whose content is wider than they are, so that reading needs sideways scrolling. Data
// tables are exempt from the criterion and hidden while measuring.
function reflowProblems() {
  const hide = document.createElement("style");
  hide.textContent = "table { display: none !important; }";
  document.head.append(hide);
  const wide = [...document.body.querySelectorAll("*")].filter((el) => el.clientWidth > 0
    && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible");
  const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  const found = innermost.map((el) => ({
    element: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40), width: el.scrollWidth,
  }));
  const scrollWidth = document.documentElement.scrollWidth;
  hide.remove();
  return { scrollWidth, elements: found };
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
    await page.setViewportSize({ width: 320, height: 256 });
    const reflow = await page.evaluate(reflowProblems);
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
