// Generates src/generated/api.ts from schemas/lamplight-api.json (itself generated from the station's
// Rust types), so the UI never writes an API shape by hand.
//   node scripts/gen-types.mjs           write src/generated/api.ts
//   node scripts/gen-types.mjs --check   regenerate to a temp file; fail if the committed file differs
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(ui, "..", "schemas", "lamplight-api.json");
const outPath = join(ui, "src", "generated", "api.ts");

const banner = `/* Generated from schemas/lamplight-api.json by ui/scripts/gen-types.mjs: do not edit.
 * Run \`make schemas\` after changing the station's view types (crates/lamplight-station/src/view.rs). */`;

async function generate() {
  const schema = JSON.parse(await readFile(schemaPath, "utf8"));
  return compile(schema, "LamplightApi", {
    bannerComment: banner,
    // The station sends exactly these fields: no open-ended index signatures.
    additionalProperties: false,
    unreachableDefinitions: true,
    // Resolve nothing from the network or the disk: the schema is self-contained.
    $refOptions: { resolve: { external: false } },
    format: true,
    style: { printWidth: 110, singleQuote: false },
  });
}

const fresh = await generate();
if (process.argv.includes("--check")) {
  const dir = await mkdtemp(join(tmpdir(), "lamplight-types-"));
  const tmp = join(dir, "api.ts");
  await writeFile(tmp, fresh);
  const committed = await readFile(outPath, "utf8").catch(() => "");
  if (committed !== fresh) {
    console.error(
      `ui/src/generated/api.ts is stale: it no longer matches schemas/lamplight-api.json.\n` +
        `Fresh output is in ${tmp} (diff it to see what changed).\n` +
        `Run \`make schemas\` and commit the result, so the UI is built against the shapes the station sends.`,
    );
    process.exit(1);
  }
  await rm(dir, { recursive: true });
  console.log("ui/src/generated/api.ts matches schemas/lamplight-api.json");
} else {
  await writeFile(outPath, fresh);
  console.log(`wrote ${outPath}`);
}
