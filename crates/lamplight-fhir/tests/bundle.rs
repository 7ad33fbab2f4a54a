//! The FHIR bundle as a format: it round-trips, it is stable, and it is valid FHIR R4.

use chrono::{DateTime, Utc};
use lamplight_demo::{DemoOptions, site};
use lamplight_fhir::{export, export_pretty, import};
use serde_json::Value;

fn at() -> DateTime<Utc> {
    "2026-11-04T10:00:00Z".parse().expect("a valid instant")
}

#[test]
fn a_demo_site_survives_export_and_import_unchanged() {
    for (beds, seed) in [(1, 1), (28, 1), (28, 2), (61, 7), (150, 42)] {
        let original = site(&DemoOptions { beds, seed, at: at() });
        let (back, report) = import(&export(&original)).expect("our own bundle imports");
        assert!(
            report.warnings.is_empty(),
            "our own bundle imports without warnings ({beds} beds, seed {seed}): {:?}",
            report.warnings
        );
        assert!(
            report.unknown_extensions.is_empty(),
            "every Lamplight extension is known: {:?}",
            report.unknown_extensions
        );
        assert!(report.unknown_resource_types.is_empty());
        // Compare kind by kind first: a failure then says which kind drifted.
        assert_eq!(back.wards, original.wards, "wards ({beds} beds, seed {seed})");
        assert_eq!(back.patients, original.patients, "patients");
        assert_eq!(back.admissions, original.admissions, "admissions");
        assert_eq!(back.orders, original.orders, "medication orders");
        assert_eq!(back.administrations, original.administrations, "administrations");
        assert_eq!(back.tests, original.tests, "pending tests");
        assert_eq!(back.observations, original.observations, "observations");
        assert_eq!(back.allergies, original.allergies, "allergies");
        assert_eq!(back.alerts, original.alerts, "alerts");
        assert_eq!(back, original, "the whole site ({beds} beds, seed {seed})");
    }
}

#[test]
fn the_same_options_export_byte_identical_bundles() {
    let o = DemoOptions {
        beds: 56,
        seed: 3,
        at: at(),
    };
    assert_eq!(
        export_pretty(&site(&o)),
        export_pretty(&site(&o)),
        "the same site must give the same bytes, so bundles can be compared and pinned"
    );
}

#[test]
fn the_bundle_is_a_put_transaction_stamped_with_the_extraction_time() {
    let bundle = export(&site(&DemoOptions::ward(at())));
    assert_eq!(bundle["type"], "transaction");
    assert_eq!(bundle["timestamp"], "2026-11-04T10:00:00Z");
    for e in bundle["entry"].as_array().expect("entries") {
        let r = &e["resource"];
        let url = format!(
            "{}/{}",
            r["resourceType"].as_str().unwrap(),
            r["id"].as_str().unwrap()
        );
        assert_eq!(e["request"]["method"], "PUT");
        assert_eq!(e["request"]["url"], Value::String(url.clone()), "PUT to Type/id");
        assert!(
            e["fullUrl"].as_str().unwrap().starts_with("urn:uuid:"),
            "{url} has a urn:uuid fullUrl"
        );
    }
}

/// A validator for one definition of the HL7 schema. Resources inside a Bundle are checked one by one
/// against their own definition: the schema's `ResourceList` is a `oneOf` over 145 resource types, which
/// makes validating a whole bundle in one go far too slow (and memory-hungry) for a test.
fn validator(schema: &Value, definition: &str) -> jsonschema::Validator {
    let mut schema = schema.clone();
    schema["oneOf"] = Value::Null;
    schema.as_object_mut().expect("an object").remove("oneOf");
    schema.as_object_mut().expect("an object").remove("discriminator");
    schema["$ref"] = Value::String(format!("#/definitions/{definition}"));
    if definition == "Bundle" {
        // The resources are checked separately, below.
        schema["definitions"]["ResourceList"] = serde_json::json!({ "type": "object" });
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft6)
        .build(&schema)
        .expect("the HL7 schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    if v.is_valid(instance) {
        return Vec::new();
    }
    v.iter_errors(instance)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn the_bundle_validates_against_the_official_fhir_r4_json_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("data/fhir.schema.json")).expect("the schema is JSON");
    let bundle = export(&site(&DemoOptions {
        beds: 30,
        seed: 9,
        at: at(),
    }));
    let errors = schema_errors(&validator(&schema, "Bundle"), &bundle);
    assert!(errors.is_empty(), "the Bundle must be valid FHIR R4: {errors:#?}");
    let mut validators = std::collections::BTreeMap::new();
    for entry in bundle["entry"].as_array().expect("entries") {
        let resource = &entry["resource"];
        let rtype = resource["resourceType"].as_str().expect("a type").to_owned();
        let v = validators
            .entry(rtype.clone())
            .or_insert_with(|| validator(&schema, &rtype));
        let errors = schema_errors(v, resource);
        assert!(
            errors.is_empty(),
            "{rtype}/{} must be valid FHIR R4: {errors:#?}",
            resource["id"]
        );
    }
    assert!(
        validators.len() >= 10,
        "every kind of resource was checked: {:?}",
        validators.keys()
    );
    // And the schema does reject what is not FHIR: a Patient with a made-up element.
    let bad = serde_json::json!({ "resourceType": "Patient", "id": "x", "favouriteColour": "blue" });
    assert!(
        !validators["Patient"].is_valid(&bad),
        "the validator must be able to fail"
    );
}

#[test]
fn every_nhs_number_in_a_2000_bed_bundle_is_a_valid_999_test_number() {
    let bundle = export(&site(&DemoOptions {
        beds: 2000,
        seed: 1,
        at: at(),
    }));
    let mut seen = 0;
    for e in bundle["entry"].as_array().expect("entries") {
        for ident in e["resource"]["identifier"].as_array().into_iter().flatten() {
            if ident["system"] == "https://fhir.nhs.uk/Id/nhs-number" {
                let digits = ident["value"].as_str().expect("a string");
                let n: lamplight_model::NhsNumber = digits.parse().expect("passes Modulus 11");
                assert!(
                    n.is_test_number(),
                    "{digits} must be a 999 test number, never a real person's"
                );
                seen += 1;
            }
        }
    }
    assert!(
        seen > 1500,
        "a 2,000-bed site has well over 1,500 patients, saw {seen}"
    );
}
