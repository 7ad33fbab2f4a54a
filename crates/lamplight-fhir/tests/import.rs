//! Importing what others send: the UK Core examples, and resources that are broken.

use std::path::PathBuf;

use lamplight_fhir::{ImportError, import, import_str};
use lamplight_model::{Schedule, Verification};
use serde_json::{Value, json};

fn fixtures_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/ukcore"
    ));
    assert!(
        dir.is_dir(),
        "UK Core fixtures missing at {}: see shared/fixtures/README.md (NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN, \
         folder examples/, converted to JSON)",
        dir.display()
    );
    dir
}

fn fixture(name: &str) -> Value {
    let path = fixtures_dir().join(format!("UKCore-{name}-Example.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture readable")).expect("fixture is JSON")
}

fn collection(resources: &[Value]) -> Value {
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "2026-11-04T10:00:00Z",
        "entry": resources.iter().map(|r| json!({ "resource": r })).collect::<Vec<_>>(),
    })
}

#[test]
fn every_uk_core_example_imports_without_a_panic() {
    let mut files = 0;
    let mut imported = 0;
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures listable") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("readable");
        // Snippets are deliberately partial: an error naming the field is an acceptable answer, a panic
        // never is (a panic would fail this test).
        match import_str(&text) {
            Ok((_, report)) => {
                imported += 1;
                let _ = report.summary();
            }
            Err(e) => {
                let message = e.to_string();
                assert!(
                    message.contains("entry"),
                    "{}: errors name the entry: {message}",
                    path.display()
                );
            }
        }
    }
    assert!(files >= 140, "all 142 UK Core examples were tried, found {files}");
    assert!(
        imported >= files - 5,
        "nearly every example imports ({imported} of {files})"
    );
}

#[test]
fn the_uk_core_patient_keeps_its_nhs_number_and_name() {
    let (site, report) = import(&collection(&[fixture("Patient-RichardSmith")])).expect("imports");
    let p = &site.patients[0];
    assert_eq!(p.id, "UKCore-Patient-RichardSmith-Example");
    assert_eq!(p.nhs_number.map(|n| n.digits()).as_deref(), Some("9912003888"));
    assert_eq!(p.name.family, "SMITH");
    assert_eq!(p.name.given, vec!["Richard".to_owned()]);
    assert_eq!(p.birth_date.map(|d| d.to_string()).as_deref(), Some("1970-09-11"));
    assert!(
        report
            .unknown_extensions
            .keys()
            .any(|u| u.contains("EthnicCategory")),
        "extensions Lamplight does not read are listed: {:?}",
        report.unknown_extensions
    );
}

#[test]
fn uk_core_medication_requests_keep_their_dm_d_codes_and_doses() {
    let (site, _) = import(&collection(&[
        fixture("MedicationRequest-Amoxicillin"),
        fixture("MedicationRequest-ParacetamolOral"),
    ]))
    .expect("imports");
    let amox = &site.orders[0];
    assert_eq!(
        amox.medicine.code_in("https://dmd.nhs.uk"),
        Some("39732411000001106")
    );
    assert_eq!(amox.medicine.text, "Amoxicillin 500mg capsules");
    assert_eq!(amox.dose.value.as_deref(), Some("500"));
    assert_eq!(amox.dose.unit.as_deref(), Some("milligram"));
    assert_eq!(
        amox.route
            .as_ref()
            .and_then(|r| r.code_in("http://snomed.info/sct")),
        Some("26643006")
    );
    assert!(
        amox.time_critical,
        "an antibiotic is time-critical even when the EPR does not say so"
    );
    assert!(
        matches!(&amox.schedule, Schedule::Regular { times, frequency } if times.is_empty() && frequency == "3 times a day")
    );
    assert_eq!(
        site.orders[1].medicine.code_in("https://dmd.nhs.uk"),
        Some("777067000")
    );
}

#[test]
fn uk_core_allergies_keep_substance_reaction_and_no_known_allergy_codes() {
    let (site, _) = import(&collection(&[
        fixture("AllergyIntolerance-Amoxicillin"),
        fixture("AllergyIntolerance-Sn-NegHandlNoKnownAllergies"),
    ]))
    .expect("imports");
    let a = &site.allergies[0];
    assert_eq!(a.substance.code_in("http://snomed.info/sct"), Some("372687004"));
    assert_eq!(a.verification, Verification::Confirmed);
    assert_eq!(a.reactions, vec!["Urticarial rash".to_owned()]);
    assert!(
        site.allergies[1].is_no_known_allergy(),
        "409137002 says no known drug allergy"
    );
}

#[test]
fn an_invalid_nhs_number_leaves_the_patient_without_one_and_is_reported_loudly() {
    let patient = json!({ "resourceType": "Patient", "id": "p1",
        "identifier": [{ "system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765918" }] });
    let (site, report) = import(&collection(&[patient])).expect("imports");
    assert_eq!(
        site.patients[0].nhs_number, None,
        "a wrong number is never shown as the patient's"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("NOT VALID") && w.resource == "Patient/p1"),
        "the report says so: {:?}",
        report.warnings
    );
}

#[test]
fn unknown_resource_types_and_extensions_are_counted_not_fatal() {
    let bundle = collection(&[
        json!({ "resourceType": "Basic", "id": "b1" }),
        json!({ "resourceType": "Patient", "id": "p1", "extension": [{ "url": "https://example.org/x", "valueString": "y" }] }),
    ]);
    let (_, report) = import(&bundle).expect("imports");
    assert_eq!(report.unknown_resource_types.get("Basic"), Some(&1));
    assert_eq!(report.unknown_extensions.get("https://example.org/x"), Some(&1));
}

fn malformed(resource: Value) -> (usize, String, String) {
    match import(&collection(&[
        json!({ "resourceType": "Organization", "id": "o" }),
        resource,
    ])) {
        Err(ImportError::Malformed {
            entry,
            resource,
            path,
            ..
        }) => (entry, resource, path),
        other => panic!("expected a Malformed error, got {other:?}"),
    }
}

#[test]
fn a_patient_without_an_id_is_an_error_naming_the_entry_and_field() {
    let (entry, resource, path) = malformed(json!({ "resourceType": "Patient", "gender": "male" }));
    assert_eq!(
        (entry, resource.as_str(), path.as_str()),
        (1, "Patient (no id)", "id")
    );
}

#[test]
fn a_field_of_the_wrong_json_type_is_an_error_naming_the_path() {
    let (_, resource, path) =
        malformed(json!({ "resourceType": "Patient", "id": "p1", "name": [{ "given": "Mary" }] }));
    assert_eq!(
        (resource.as_str(), path.as_str()),
        ("Patient/p1", "name[0].given")
    );
}

#[test]
fn an_unreadable_date_is_an_error_that_says_what_to_do() {
    let order = json!({ "resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
        "medicationCodeableConcept": { "text": "Paracetamol" }, "subject": { "reference": "Patient/p1" },
        "authoredOn": "yesterday at 8" });
    let err = import(&collection(&[order])).expect_err("a date nobody can read is not guessed");
    let message = err.to_string();
    assert!(
        message.contains("MedicationRequest/m1") && message.contains("authoredOn"),
        "{message}"
    );
    assert!(message.contains("import again"), "says what to do: {message}");
}

#[test]
fn references_by_urn_uuid_resolve_to_the_resource_in_the_bundle() {
    let bundle = json!({ "resourceType": "Bundle", "type": "transaction", "timestamp": "2026-11-04T10:00:00Z", "entry": [
        { "fullUrl": "urn:uuid:6a1f0c3e-0000-4000-8000-000000000001", "resource": { "resourceType": "Patient", "id": "p9" } },
        { "resource": { "resourceType": "Flag", "id": "f1", "status": "active", "code": { "text": "Falls risk" },
          "subject": { "reference": "urn:uuid:6a1f0c3e-0000-4000-8000-000000000001" } } },
    ]});
    let (site, report) = import(&bundle).expect("imports");
    assert_eq!(site.alerts[0].patient_id, "p9", "{:?}", report.warnings);
    assert_eq!(site.alerts[0].kind, lamplight_model::AlertKind::FallsRisk);
}

#[test]
fn something_that_is_not_a_bundle_is_refused_plainly() {
    assert!(matches!(
        import(&json!([1, 2])),
        Err(ImportError::NotABundle { .. })
    ));
    assert!(matches!(import_str("{ not json"), Err(ImportError::NotJson(_))));
}

#[test]
fn a_file_that_is_not_json_is_placed_without_quoting_it() {
    // The parser's own message quotes the text around the fault; a bundle's text is patient data.
    for (text, line, column) in [
        ("{\"name\": \"Zebedee Quux\", }", 1, 26),
        ("{\n  \"family\": \"Quux\",\n  \"given\": [\"Zebedee\"", 3, 22),
        ("{\"name\": \"Zebedee\u{1}Quux\"}", 1, 10),
    ] {
        let Err(ImportError::NotJson(e)) = import_str(text) else {
            panic!("{text:?} is not JSON");
        };
        let message = ImportError::NotJson(e.clone()).to_string();
        assert!(
            !message.contains("Zebedee") && !message.contains("Quux"),
            "{message}"
        );
        assert_eq!((e.line, e.column), (line, column), "{message}");
        assert!(!message.contains('\n'), "one line: {message}");
    }
}

#[test]
fn a_bundle_cut_short_is_told_apart_from_a_broken_one() {
    let whole = serde_json::to_string_pretty(&collection(&[fixture("Patient-RichardSmith")])).unwrap();
    // Cut anywhere, the text is "cut off" (so `watch` waits for the rest); broken, it is not.
    for cut in (1..whole.len() - 1)
        .step_by(37)
        .filter(|c| whole.is_char_boundary(*c))
    {
        let Err(ImportError::NotJson(e)) = import_str(&whole[..cut]) else {
            panic!("a bundle cut at byte {cut} is not JSON");
        };
        assert!(e.cut_off, "cut at byte {cut}: {e}");
    }
    let broken = whole.replacen("\"resourceType\"", "\"resourceType\" 1", 1);
    let Err(ImportError::NotJson(e)) = import_str(&broken) else {
        panic!("broken JSON");
    };
    assert!(!e.cut_off, "{e}");
}
