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

/** The emergency sign-in the demo ward's tests use (the demo ward has no roster). */
export const DEMO_NURSE = { fullName: "Alex Demo-Nurse", role: "nurse", reason: "e2e test" };

/** The first of `selectors` that is on screen, or null. */
async function firstShown(browser, selectors) {
  for (const selector of selectors) {
    const element = await browser.$(selector);
    if ((await element.isExisting()) && (await element.isDisplayed())) return selector;
  }
  return null;
}

/**
 * Signs a person in, as the window asks (ui/src/session/SignIn.svelte):
 * `signIn(browser)` uses the emergency sign-in (the demo ward, no roster) as DEMO_NURSE;
 * `signIn(browser, { name, pin })` signs in with a roster account. Opens the sign-in from
 * `#sign-in-open` when it is not already showing. Returns the text of `#session-user`; throws,
 * naming `#sign-in-error`'s text, when `#session-user` never shows. With `expectError: true` it
 * waits for a refusal instead and returns `#sign-in-error`'s text (and throws if signed in).
 */
export async function signIn(browser, { name, pin, emergency = DEMO_NURSE, expectError = false } = {}) {
  const roster = name != null;
  const field = roster ? "#sign-in-name" : "#emergency-name";
  let shown = null;
  await browser.waitUntil(
    async () => (shown = await firstShown(browser, ["#session-user", field, "#sign-in-open"])) != null,
    { timeout: WAIT_MS, interval: 200, timeoutMsg: `signIn: neither ${field}, #sign-in-open nor #session-user appeared` },
  );
  if (shown === "#session-user" && !expectError) return browser.$("#session-user").getText();
  if (shown === "#sign-in-open") {
    await browser.$("#sign-in-open").click();
    await browser.$(field).waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: `signIn: ${field} did not open` });
  }
  if (roster) {
    await browser.$("#sign-in-name").setValue(name);
    await browser.$("#sign-in-pin").setValue(pin);
    await browser.$("#sign-in-submit").click();
  } else {
    await browser.$("#emergency-name").setValue(emergency.fullName);
    await browser.$("#emergency-role").selectByAttribute("value", emergency.role);
    await browser.$("#emergency-reason").setValue(emergency.reason);
    await browser.$("#emergency-submit").click();
  }
  if (expectError) {
    let refusal = "";
    await browser.waitUntil(
      async () => {
        if (await firstShown(browser, ["#session-user"])) throw new Error("signIn: expected a refusal, but the person was signed in");
        if (await firstShown(browser, ["#sign-in-error"])) refusal = (await browser.$("#sign-in-error").getText()).trim();
        return refusal !== ""; // an error element may be there but empty until a refusal
      },
      { timeout: WAIT_MS, interval: 100, timeoutMsg: "signIn: a refusal was expected, no #sign-in-error message appeared" },
    );
    return refusal;
  }
  // Only #session-user counts: a #sign-in-error left from an earlier refusal may still be showing.
  try {
    await browser.$("#session-user").waitForDisplayed({ timeout: WAIT_MS });
  } catch {
    const error = await browser.$("#sign-in-error");
    const why = (await error.isExisting()) ? await error.getText() : "no #sign-in-error either";
    throw new Error(`signIn: #session-user never showed (${why})`);
  }
  return browser.$("#session-user").getText();
}

/**
 * Puts the board in its full view (NHS numbers, pending tests), whatever the window's profile
 * remembered from an earlier run: the compact choice lives in its localStorage.
 */
export async function fullView(browser) {
  const board = await browser.$("#ward-board");
  await board.waitForExist({ timeout: WAIT_MS });
  if ((await board.getAttribute("data-compact")) === "true") {
    await browser.$("#board-compact-toggle").click();
    await browser.$('#ward-board[data-compact="false"]').waitForExist({ timeout: WAIT_MS });
  }
}

/** Runs a test's body; when it fails, leaves a picture of the window (`browser()` is the session
 *  the body uses, perhaps not open yet) and throws the failure on. */
export async function withFailureShot(browser, name, body) {
  try {
    await body();
  } catch (error) {
    const open = browser();
    if (open) {
      const file = await screenshot(open, failureShot(name)).catch(() => null);
      if (file) console.error(`screenshot of the window: ${file}`);
    }
    throw error;
  }
}
