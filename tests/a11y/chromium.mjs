// Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless, for the checks here.
// No sandbox (the tests run as root in CI) and none of Chromium's own network traffic: the
// machines that run the tests reach nothing but package registries.

import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}
