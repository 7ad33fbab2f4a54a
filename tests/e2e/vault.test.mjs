// The real window on a real sealed vault, as a ward PC runs during an outage: staged with the real
// `lamplight` command, opened with the ward's key, showing only its ward and the snapshot's source.
// And with the wrong key: the reason, never the demo ward's invented patients.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { failureShot, openApp, screenshot, waitForText } from "./session.mjs";

const cli = process.env.LAMPLIGHT_CLI;
let dir;
let browser;

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
