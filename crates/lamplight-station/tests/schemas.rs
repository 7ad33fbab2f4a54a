//! `schemas/lamplight-api.json` is generated from the station's view types; the UI's TypeScript
//! types are generated from it in turn. This test fails when the committed schema is stale.
//! Regenerate with `make schemas` (which runs this test with `UPDATE_SCHEMAS=1`).

use std::path::PathBuf;

#[test]
fn the_committed_api_schema_matches_the_rust_types() {
    committed_matches(
        "lamplight-api.json",
        &schemars::schema_for!(lamplight_station::Api),
        "the API types changed. Run `make schemas` and commit the result, so the UI is built against the same shapes the station sends.",
    );
}

/// `schemas/lamplight-config.schema.json`: the configuration file's shape, for editors and for IT's
/// own checks. The station validates every file against this same schema (settings.rs).
#[test]
fn the_committed_config_schema_matches_the_rust_types() {
    committed_matches(
        "lamplight-config.schema.json",
        &lamplight_station::settings::schema(),
        "the configuration's types changed. Run `make schemas` and commit the result.",
    );
}

/// `schemas/NAME` holds `schema` exactly (or is rewritten with `UPDATE_SCHEMAS=1`).
#[allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure
fn committed_matches(name: &str, schema: &impl serde::Serialize, why: &str) {
    let fresh = serde_json::to_string_pretty(schema).unwrap() + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(name);
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "schemas/{name} is stale: {why}");
}
