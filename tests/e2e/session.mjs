// One WebDriver session on the real Lamplight window, through tauri-driver on 127.0.0.1:4444
// (started by run.sh). Classic WebDriver only, and never a driver download: the host and port are
// always given, so webdriverio talks to what is already running.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const WAIT_MS = 30_000;
const here = dirname(fileURLToPath(import.meta.url));

/** Starts the app; `args` are its command line (e.g. --vault DIR --identity KEY --ward CODE). */
export async function openApp(args = []) {
  const application = process.env.LAMPLIGHT_APP;
  if (!application) throw new Error("LAMPLIGHT_APP is not set: run this through tests/e2e/run.sh");
  return remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

/** Waits until `selector` shows text matching `pattern`; returns the element. */
export async function waitForText(browser, selector, pattern, what) {
  const element = await browser.$(selector);
  await browser.waitUntil(
    async () => (await element.isExisting()) && pattern.test(await element.getText()),
    { timeout: WAIT_MS, interval: 200, timeoutMsg: `${what}: ${selector} never showed ${pattern}` },
  );
  return element;
}

export async function screenshot(browser, file) {
  await mkdir(dirname(file), { recursive: true });
  await browser.saveScreenshot(file);
  return file;
}

/** Where a failing test leaves its picture of the window (gitignored). */
export function failureShot(name) {
  return join(here, "screenshots", `${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
}
