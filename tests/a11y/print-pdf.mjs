#!/usr/bin/env node
// Prints HTML files to PDF with headless Chromium, as a reader's "Print > Save as PDF" would,
// and measures each page's print layout.
//
//   node tests/a11y/print-pdf.mjs --format Letter|A4 --out DIR FILE.html [FILE.html ...]
//
// Each FILE is opened as file://, printed with the stylesheet's own @page rules (margins, and
// a page size if the stylesheet forces one, which then wins over --format) and no browser header
// or footer to DIR/<name>.<format>.pdf (name-2, name-3, ... for repeated names), and laid
// out again under print media at the printable width of that paper, where every element that
// ends right of the printable area is listed. Output on stdout, one JSON list:
//   [{"file", "pdf", "format", "printableWidth", "scrollWidth", "margins", "overflowing": [{"element", "right"}]}]
// The browser is Debian's Chromium: see chromium.mjs.

import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const PAPER_MM = { Letter: [215.9, 279.4], A4: [210, 297] };
const PX_PER_MM = 96 / 25.4;

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args.splice(at, 2)[1];
};
const format = option("--format");
const out = option("--out");
if (!PAPER_MM[format] || !out || args.length === 0) {
  console.error("usage: node print-pdf.mjs --format Letter|A4 --out DIR FILE.html [FILE.html ...]");
  process.exit(1);
}
mkdirSync(out, { recursive: true });

// Runs in the page: the @page margins the stylesheets declare, in CSS px (0 when none).
function pageMargins() {
  const px = (value) => {
    const probe = document.createElement("div");
    probe.style.position = "absolute";
    probe.style.width = value || "0";
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  };
  const margins = { top: 0, right: 0, bottom: 0, left: 0 };
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSPageRule && !rule.selectorText) {
        for (const side of Object.keys(margins)) {
          const value = rule.style.getPropertyValue(`margin-${side}`);
          if (value) margins[side] = px(value);
        }
      }
    }
  }
  return margins;
}

// Runs in the page: elements whose box ends right of the printable width (outermost only).
function overflowing(limit) {
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
    + (el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : "");
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const siblings = e.parentElement ? [...e.parentElement.children].filter((s) => s.tagName === e.tagName) : [];
      parts.unshift(siblings.length > 1 ? `${name(e)}:nth-of-type(${siblings.indexOf(e) + 1})` : name(e));
    }
    return parts.join(" > ");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right > limit + 0.5 && !found.some((f) => f.node.contains(el))) found.push({ node: el, right });
  }
  return found.map((f) => ({ element: path(f.node), right: Math.round(f.right) }));
}

const browser = await launchChromium();
try {
  const [widthMm, heightMm] = PAPER_MM[format];
  const paperWidth = widthMm * PX_PER_MM;
  const page = await browser.newPage({ viewport: { width: Math.floor(paperWidth), height: Math.floor(heightMm * PX_PER_MM) } });
  await page.emulateMedia({ media: "print" });
  const report = [];
  const names = new Set();
  for (const file of args) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    const margins = await page.evaluate(pageMargins);
    const printableWidth = Math.floor(paperWidth - margins.left - margins.right);
    await page.setViewportSize({ width: printableWidth, height: Math.floor(heightMm * PX_PER_MM) });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    const outside = await page.evaluate(overflowing, printableWidth);
    let name = basename(file, ".html");
    for (let n = 2; names.has(name); n += 1) name = `${basename(file, ".html")}-${n}`;
    names.add(name);
    const pdf = join(out, `${name}.${format}.pdf`);
    await page.pdf({ path: pdf, format, preferCSSPageSize: true, displayHeaderFooter: false });
    report.push({ file, pdf, format, printableWidth, margins, scrollWidth, overflowing: outside });
  }
  process.stdout.write(JSON.stringify(report, null, 1) + "\n");
} finally {
  await browser.close();
}
