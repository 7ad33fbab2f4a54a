// The real window on a real sealed vault, as a ward PC runs during an outage: staged with the real
// `lamplight` command, opened with the ward's key, showing only its ward and the snapshot's source.
// And with the wrong key: the reason, never the demo ward's invented patients. And a key protected
// by a passphrase that no file gives: the window asks for it, and opens the ward once it is right.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { failureShot, openApp, screenshot, waitForText } from "./session.mjs";

const cli = process.env.LAMPLIGHT_CLI;
let dir;
let browser;
const PASSPHRASE = "ward eight lamp oil";

function lamplight(...args) {
  return execFileSync(cli, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

before(() => {
  assert.ok(cli, "LAMPLIGHT_CLI is not set: run this through tests/e2e/run.sh");
  dir = mkdtempSync(join(tmpdir(), "lamplight-e2e-"));
  lamplight("demo", "--beds", "56", "--seed", "5", "--out", join(dir, "site.json"));
  const recipient = lamplight("keygen", "--out", join(dir, "ward.key"));
  lamplight("keygen", "--out", join(dir, "other.key"));
  lamplight("stage", "--from", join(dir, "site.json"), "--recipient", recipient, "--vault", join(dir, "vault"));
  // The passphrase is written to a file for keygen only: the app is given no passphrase file. A low
  // work factor keeps each try quick (the real one costs about a second).
  writeFileSync(join(dir, "passphrase"), `${PASSPHRASE}\n`, { mode: 0o600 });
  const sealedRecipient = lamplight(
    "keygen", "--out", join(dir, "sealed.key"), "--passphrase-file", join(dir, "passphrase"), "--work-factor", "10",
  );
  lamplight("stage", "--from", join(dir, "site.json"), "--recipient", sealedRecipient, "--vault", join(dir, "sealed-vault"));
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function guarded(name, body) {
  try {
    await body();
  } catch (error) {
    if (browser) await screenshot(browser, failureShot(name)).catch(() => null);
    throw error;
  }
}

test("a ward PC opens its own ward from the sealed snapshot and says where the data came from", () =>
  guarded("vault-ward", async () => {
    browser = await openApp(["--vault", join(dir, "vault"), "--identity", join(dir, "ward.key"), "--ward", "WD8"]);
    const banner = await waitForText(browser, "#data-age-banner", /Snapshot generation 1/, "banner");
    assert.doesNotMatch(await banner.getText(), /DEMO DATA/, "a staged snapshot is not demo data");
    await waitForText(browser, "#ward-title", /Ward 8/, "the configured ward's board");

    const bundle = JSON.parse(readFileSync(join(dir, "site.json"), "utf8"));
    const siteBeds = bundle.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === "Location" && r.physicalType?.coding?.[0]?.code === "bd").length;
    const rows = await browser.$$('#ward-board [data-testid="bed-row"]');
    assert.ok(
      rows.length >= 20 && rows.length < siteBeds,
      `only this ward's beds are shown: ${rows.length} rows of the site's ${siteBeds} beds`,
    );
    const names = await browser.$$('#ward-board [data-testid="patient-name"]').map((el) => el.getText());
    const families = bundle.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === "Patient")
      .map((r) => r.name[0].family.toUpperCase());
    assert.ok(names.length > 0 && names.every((n) => families.includes(n.split(",")[0])), "every name is a staged patient");
    await browser.deleteSession();
    browser = null;
  }));

test("with another PC's key the window says it cannot open the snapshot and shows no patients", () =>
  guarded("vault-wrong-key", async () => {
    browser = await openApp(["--vault", join(dir, "vault"), "--identity", join(dir, "other.key"), "--ward", "WD8"]);
    const panel = await waitForText(browser, "#error-panel", /cannot open/, "error panel");
    assert.match(await panel.getText(), /identity/, "the reason names the key problem");
    assert.equal((await browser.$$('[data-testid="patient-name"]')).length, 0, "no patient may be shown");
    assert.doesNotMatch(await browser.$("body").getText(), /DEMO DATA/, "never the demo ward instead");
  }));

test("a key protected by a passphrase is asked for in the window, a wrong one is refused, the right one opens the ward", () =>
  guarded("vault-passphrase", async () => {
    await browser?.deleteSession().catch(() => {});
    browser = await openApp(["--vault", join(dir, "sealed-vault"), "--identity", join(dir, "sealed.key"), "--ward", "WD8"]);
    await waitForText(browser, "#unlock", /protected by a passphrase/, "the passphrase prompt");
    const field = await browser.$("#unlock-passphrase");
    assert.equal(await field.getAttribute("type"), "password", "the passphrase is never shown");
    assert.equal((await browser.$$('[data-testid="patient-name"]')).length, 0, "no patient before the key opens");

    await field.setValue("ward eight lamp oi1");
    await browser.$("#unlock-submit").click();
    const error = await waitForText(browser, "#unlock-error", /does not open this PC's key/, "the refusal");
    assert.equal(await error.getAttribute("data-code"), "wrong_passphrase");
    assert.equal(await field.getValue(), "", "the field is cleared after a try");

    await browser.waitUntil(async () => field.isEnabled(), { timeout: 10_000, timeoutMsg: "the field never took a second try" });
    await field.setValue(PASSPHRASE);
    await browser.$("#unlock-submit").click();
    await waitForText(browser, "#ward-title", /Ward 8/, "the ward's board once the key opens");
    const names = await browser.$$('#ward-board [data-testid="patient-name"]');
    assert.ok(names.length > 0, "the board shows the ward's patients");
    assert.equal(await browser.$("#unlock").isExisting(), false, "the prompt is gone");
  }));
