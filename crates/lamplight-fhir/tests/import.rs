//! Importing what others send: the UK Core examples, and resources that are broken.

use std::path::PathBuf;

use lamplight_fhir::{ImportError, import, import_str};
use lamplight_model::{Schedule, Verification};
use serde_json::{Value, json};

/// The UK Core examples, kept beside this test (see their README.md for origin and licence).
fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ukcore"))
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

/// An error names the entry and the path, never the value: a misformed date of birth, a name or an
/// NHS number in the wrong place would otherwise reach the log, the screen and the drop folder's
/// `.error.txt`.
#[test]
fn an_error_about_a_patient_field_never_quotes_its_value() {
    for (patient, secret) in [
        (
            json!({ "resourceType": "Patient", "id": "p1", "birthDate": "02/03/1961" }),
            "02/03/1961",
        ),
        (
            json!({ "resourceType": "Patient", "id": "p1", "birthDate": 19_610_302 }),
            "19610302",
        ),
        (
            json!({ "resourceType": "Patient", "id": "p1", "name": "Mary Testperson" }),
            "Testperson",
        ),
        (
            json!({ "resourceType": "Patient", "id": "p1", "name": [{ "family": ["Testperson"] }] }),
            "Testperson",
        ),
    ] {
        let err = import(&collection(&[patient])).expect_err("malformed");
        let message = err.to_string();
        assert!(message.contains("Patient/p1"), "{message}");
        assert!(!message.contains(secret), "the value is not quoted: {message}");
    }
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

/// Found by `fuzz/fuzz_targets/fhir_import.rs`: `sonic_rs` recursed once per level with no limit, so
/// a file of 20,000 `[` overflowed the stack and killed the process instead of being refused.
#[test]
fn a_file_nested_deeper_than_any_bundle_is_refused_not_a_stack_overflow() {
    let deep = [
        "[".repeat(20_000) + &"]".repeat(20_000),
        format!("{}1{}", "{\"a\":".repeat(20_000), "}".repeat(20_000)),
        format!(
            "{{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{{\"resource\":{{\"resourceType\":\"Patient\",\"extension\":{}{}}}}}]}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    ];
    for text in &deep {
        let Err(ImportError::NotJson(e)) = import_str(text) else {
            panic!("nesting thousands deep must be refused as unreadable, with its place");
        };
        assert!(e.problem.contains("nest more than 128 deep"), "{e}");
        assert!(!e.cut_off, "a deep file is not a file still being written: {e}");
    }
    assert!(
        matches!(
            import_str(&("[".repeat(128) + &"]".repeat(128))),
            Err(ImportError::NotABundle { .. })
        ),
        "128 levels, serde_json's limit too, are still read as JSON"
    );
    let brackets_in_a_string = format!(
        "{{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"id\":\"{}\\\"{}\"}}",
        "[".repeat(1000),
        "{".repeat(1000)
    );
    assert!(
        import_str(&brackets_in_a_string).is_ok(),
        "brackets and escaped quotes inside a string are not nesting"
    );
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

#[test]
fn two_resources_with_one_id_are_a_bad_input_naming_the_resource_and_both_entries() {
    let bundle = collection(&[
        json!({ "resourceType": "Patient", "id": "p1" }),
        json!({ "resourceType": "Patient", "id": "p2" }),
        json!({ "resourceType": "Patient", "id": "p1", "gender": "male" }),
    ]);
    let err = import(&bundle).expect_err("two records under one id cannot both be kept");
    assert!(
        matches!(&err, ImportError::DuplicateId { first: 0, entry: 2, resource } if resource == "Patient/p1"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("entries 0 and 2")
            && message.contains("Patient/p1")
            && message.contains("export the bundle again"),
        "the message names both entries and says what to do: {message}"
    );
    let same_id_other_type = collection(&[
        json!({ "resourceType": "Patient", "id": "x1" }),
        json!({ "resourceType": "Flag", "id": "x1", "status": "inactive" }),
    ]);
    import(&same_id_other_type).expect("ids are unique per resource type, as in FHIR");
}

#[test]
fn bytes_that_are_not_utf8_are_a_bad_input_with_the_offset_of_the_first_bad_byte() {
    let text = serde_json::to_string(&collection(&[json!({ "resourceType": "Patient", "id": "p1",
        "name": [{ "family": "Zoë" }] })]))
    .unwrap();
    let at = text.find('ë').unwrap();
    // The same name in Latin-1, as a misconfigured export writes it: ë is the single byte 0xEB.
    let mut latin1 = text.as_bytes()[..at].to_vec();
    latin1.push(0xEB);
    latin1.extend_from_slice(&text.as_bytes()[at + 'ë'.len_utf8()..]);
    let err = lamplight_fhir::import_bytes(&latin1).expect_err("Latin-1 is not UTF-8");
    assert!(
        matches!(err, ImportError::NotUtf8 { offset, cut_off: false } if offset == at),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(&format!("byte {at}")), "{message}");
    assert!(
        !message.contains("Zo"),
        "nothing of the text is quoted: {message}"
    );
    assert!(!err.is_cut_off());

    let cut = &text.as_bytes()[..=at];
    let err = lamplight_fhir::import_bytes(cut).expect_err("cut inside a character");
    assert!(
        err.is_cut_off(),
        "a file ending part-way through a character is still being written: {err}"
    );

    let (site, _) = lamplight_fhir::import_bytes(text.as_bytes()).expect("UTF-8 imports");
    assert_eq!(site.patients[0].name.family, "Zoë");
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    lamplight_fhir::import_bytes(&with_bom).expect("a UTF-8 byte order mark is allowed");
}

/// A UK Core-shaped vital sign Observation with a value in `code` (UCUM) and `unit` (words).
fn vital(id: &str, snomed: &str, loinc: &str, value: f64, unit: Option<&str>, code: Option<&str>) -> Value {
    let mut quantity = json!({ "value": value });
    if let Some(u) = unit {
        quantity["unit"] = u.into();
    }
    if let Some(c) = code {
        quantity["system"] = "http://unitsofmeasure.org".into();
        quantity["code"] = c.into();
    }
    json!({ "resourceType": "Observation", "id": id, "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs" }] }],
        "code": { "coding": [
            { "system": "http://snomed.info/sct", "code": snomed },
            { "system": "http://loinc.org", "code": loinc } ] },
        "subject": { "reference": "Patient/p1" },
        "effectiveDateTime": "2026-11-04T09:00:00Z",
        "valueQuantity": quantity })
}

#[test]
#[allow(clippy::too_many_lines, reason = "one row per case of the table")]
fn vital_signs_are_read_in_their_units_converted_exactly_or_left_out_with_a_warning() {
    const TEMP: (&str, &str) = ("276885007", "8310-5");
    const SPO2: (&str, &str) = ("103228002", "2708-6");
    const PULSE: (&str, &str) = ("364075005", "8867-4");
    const RR: (&str, &str) = ("86290005", "9279-1");
    // (observation, what the set must hold, whether a warning is expected)
    type Check = fn(&lamplight_model::ObservationSet) -> bool;
    let cases: Vec<(Value, Check, bool)> = vec![
        (
            vital("t-c", TEMP.0, TEMP.1, 37.5, Some("degree Celsius"), Some("Cel")),
            |s| s.temperature_c == Some(37.5),
            false,
        ),
        (
            vital(
                "t-f",
                TEMP.0,
                TEMP.1,
                100.4,
                Some("degree Fahrenheit"),
                Some("[degF]"),
            ),
            |s| s.temperature_c == Some(38.0),
            false,
        ),
        (
            vital("t-f2", TEMP.0, TEMP.1, 98.6, Some("°F"), None),
            |s| s.temperature_c == Some(37.0),
            false,
        ),
        (
            vital("t-k", TEMP.0, TEMP.1, 310.15, None, Some("K")),
            |s| s.temperature_c == Some(37.0),
            false,
        ),
        (
            vital("t-none", TEMP.0, TEMP.1, 101.0, None, None),
            |s| s.temperature_c.is_none(),
            true,
        ),
        (
            vital("t-odd", TEMP.0, TEMP.1, 38.0, Some("degrees Réaumur"), None),
            |s| s.temperature_c.is_none(),
            true,
        ),
        (
            vital("s-pct", SPO2.0, SPO2.1, 96.0, Some("percent"), Some("%")),
            |s| s.spo2 == Some(96),
            false,
        ),
        (
            vital("s-frac", SPO2.0, SPO2.1, 0.96, Some("ratio"), Some("1")),
            |s| s.spo2.is_none(),
            true,
        ),
        (
            vital("s-kpa", SPO2.0, SPO2.1, 12.0, Some("kPa"), Some("kPa")),
            |s| s.spo2.is_none(),
            true,
        ),
        (
            vital(
                "p-beats",
                PULSE.0,
                PULSE.1,
                95.0,
                Some("heart beats per minute"),
                Some("{beats}/min"),
            ),
            |s| s.pulse == Some(95),
            false,
        ),
        (
            vital("p-hz", PULSE.0, PULSE.1, 1.5, Some("hertz"), Some("Hz")),
            |s| s.pulse.is_none(),
            true,
        ),
        (
            vital(
                "r-breaths",
                RR.0,
                RR.1,
                21.0,
                Some("Breaths / minute"),
                Some("{Breaths}/min"),
            ),
            |s| s.respiration_rate == Some(21),
            false,
        ),
    ];
    for (observation, holds, warns) in cases {
        let id = observation["id"].as_str().unwrap().to_owned();
        let (site, report) = import(&collection(&[
            json!({ "resourceType": "Patient", "id": "p1" }),
            observation,
        ]))
        .expect("imports");
        let set = &site.observations[0];
        assert!(
            holds(set),
            "{id}: a vital sign is never read as if it were in the unit expected: {set:?}"
        );
        let warned: Vec<_> = report
            .warnings
            .iter()
            .filter(|w| w.resource == format!("Observation/{id}"))
            .collect();
        assert_eq!(!warned.is_empty(), warns, "{id}: {warned:?}");
        if warns {
            assert_eq!(
                warned[0].kind,
                lamplight_model::NoteKind::VitalSignNotCharted,
                "{id}"
            );
            assert_eq!(warned[0].patient_id.as_deref(), Some("p1"), "{id}");
        }
    }
}

#[test]
fn a_fahrenheit_temperature_on_a_band_edge_scores_as_its_celsius_value_exactly() {
    let (site, _) = import(&collection(&[
        json!({ "resourceType": "Patient", "id": "p1" }),
        vital("t", "276885007", "8310-5", 100.4, None, Some("[degF]")),
    ]))
    .expect("imports");
    let t = site.observations[0].temperature_c.unwrap();
    assert_eq!(
        lamplight_model::news2::score_temperature(t),
        0,
        "100.4 °F is 38.0 °C exactly, which scores 0; float noise (38.000000000000007) would score 1"
    );
}

fn ward_and_bed() -> Vec<Value> {
    let physical = |code: &str| json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/location-physical-type", "code": code }] });
    vec![
        json!({ "resourceType": "Location", "id": "w1", "name": "Ward 1", "physicalType": physical("wa") }),
        json!({ "resourceType": "Location", "id": "bed1", "name": "A1", "physicalType": physical("bd"),
            "partOf": { "reference": "Location/w1" } }),
    ]
}

fn encounter(id: &str, patient: &str, locations: &[&str]) -> Value {
    json!({ "resourceType": "Encounter", "id": id, "status": "in-progress",
        "subject": { "reference": format!("Patient/{patient}") },
        "period": { "start": "2026-11-03T10:00:00Z" },
        "location": locations.iter().map(|l| json!({ "location": { "reference": format!("Location/{l}") }, "status": "active" })).collect::<Vec<_>>() })
}

#[test]
fn an_inpatient_with_no_bed_recorded_keeps_their_ward_where_known_and_is_noted_either_way() {
    let mut resources = ward_and_bed();
    for p in ["p-bed", "p-no-loc", "p-gone-bed", "p-gone-ward", "p-ward-only"] {
        resources.push(
            json!({ "resourceType": "Patient", "id": p, "name": [{ "family": "Test", "given": ["Pat"] }] }),
        );
    }
    resources.extend([
        encounter("e-bed", "p-bed", &["w1", "bed1"]),
        encounter("e-no-loc", "p-no-loc", &[]),
        encounter("e-gone-bed", "p-gone-bed", &["w1", "bed-not-here"]),
        encounter("e-gone-ward", "p-gone-ward", &["ward-not-here"]),
        encounter("e-ward-only", "p-ward-only", &["w1"]),
    ]);
    let (site, report) = import(&collection(&resources)).expect("imports");
    let ward_of = |id: &str| {
        let a = site.admissions.iter().find(|a| a.id == id).unwrap();
        (a.ward_id.as_deref(), a.bed_id.as_deref())
    };
    assert_eq!(ward_of("e-bed"), (Some("w1"), Some("bed1")));
    assert_eq!(
        ward_of("e-no-loc"),
        (None, None),
        "no location: no ward, never \"\""
    );
    assert_eq!(
        ward_of("e-gone-bed"),
        (Some("w1"), None),
        "the ward is known: on its board"
    );
    assert_eq!(
        ward_of("e-gone-ward"),
        (None, None),
        "an unknown ward is not a ward"
    );
    assert_eq!(ward_of("e-ward-only"), (Some("w1"), None));
    let noted: Vec<&str> = site
        .notes
        .iter()
        .filter(|n| n.kind == lamplight_model::NoteKind::NoBedRecorded)
        .map(|n| n.resource.as_str())
        .collect();
    assert_eq!(
        noted,
        [
            "Encounter/e-no-loc",
            "Encounter/e-gone-bed",
            "Encounter/e-gone-ward"
        ],
        "a location that could not be placed is noted; a patient on a ward awaiting a bed is not"
    );
    assert_eq!(
        lamplight_model::notice::notice(&site.notes).as_deref(),
        Some("3 patients have no bed recorded")
    );
    assert_eq!(
        site.notes,
        report.notes(),
        "the site carries the report's notes into the snapshot"
    );
}

#[test]
fn every_dosage_line_is_kept_and_the_order_is_noted_as_not_fully_charted() {
    let order = json!({ "resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
        "medicationCodeableConcept": { "text": "Prednisolone 5mg tablets" },
        "subject": { "reference": "Patient/p1" }, "authoredOn": "2026-11-03T09:00:00Z",
        "dosageInstruction": [
            { "sequence": 1, "text": "40 mg once a day for 3 days",
              "timing": { "repeat": { "timeOfDay": ["08:00:00"] } },
              "doseAndRate": [{ "doseQuantity": { "value": 40, "unit": "mg" } }] },
            { "sequence": 2, "text": "then 20 mg once a day for 3 days" },
            { "sequence": 3, "doseAndRate": [{ "doseQuantity": { "value": 10, "unit": "mg" } }],
              "route": { "text": "Oral" }, "timing": { "repeat": { "timeOfDay": ["08:00:00", "20:00:00"] } } }
        ] });
    let (site, report) = import(&collection(&[
        json!({ "resourceType": "Patient", "id": "p1" }),
        order,
    ]))
    .expect("imports");
    let o = &site.orders[0];
    assert_eq!(
        o.dose.text, "40 mg once a day for 3 days",
        "the first line is the one charted"
    );
    assert_eq!(
        o.further_dosage_lines,
        ["then 20 mg once a day for 3 days", "10 mg oral at 08:00, 20:00"],
        "every further line is kept, in words where it has no text"
    );
    let w = report
        .warnings
        .iter()
        .find(|w| w.resource == "MedicationRequest/m1")
        .unwrap();
    assert_eq!(w.kind, lamplight_model::NoteKind::InstructionsNotCharted);
    assert_eq!(w.patient_id.as_deref(), Some("p1"));

    let exported = lamplight_fhir::export(&site);
    let (again, _) = import(&exported).expect("the export imports");
    assert_eq!(
        again.orders[0].further_dosage_lines, o.further_dosage_lines,
        "the export writes every line back"
    );
}

#[test]
fn a_bundle_with_no_timestamp_has_an_unknown_age_never_1970() {
    let bundle = json!({ "resourceType": "Bundle", "type": "collection",
        "entry": [{ "resource": { "resourceType": "Patient", "id": "p1" } }] });
    let (site, report) = import(&bundle).expect("imports");
    assert_eq!(site.extracted_at, None);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.kind == lamplight_model::NoteKind::AgeUnknown),
        "{:?}",
        report.warnings
    );
    let exported = lamplight_fhir::export(&site);
    assert!(
        exported.get("timestamp").is_none(),
        "an unknown time is not exported as one"
    );
}

#[test]
fn a_body_weight_is_read_in_kilograms_from_pounds_and_stones_exactly_or_left_out() {
    const WEIGHT: (&str, &str) = ("27113001", "29463-7");
    let cases: [(Value, Option<f64>); 6] = [
        (
            vital("w-kg", WEIGHT.0, WEIGHT.1, 90.0, Some("kilogram"), Some("kg")),
            Some(90.0),
        ),
        (
            vital("w-lb", WEIGHT.0, WEIGHT.1, 154.0, Some("pound"), Some("[lb_av]")),
            Some(69.853_225),
        ),
        (
            vital("w-lb-words", WEIGHT.0, WEIGHT.1, 200.0, Some("lbs"), None),
            Some(90.718_474),
        ),
        (
            vital("w-st", WEIGHT.0, WEIGHT.1, 11.0, None, Some("[stone_av]")),
            Some(69.853_225),
        ),
        (
            vital("w-g", WEIGHT.0, WEIGHT.1, 3_450.0, Some("gram"), Some("g")),
            Some(3.45),
        ),
        (vital("w-none", WEIGHT.0, WEIGHT.1, 154.0, None, None), None),
    ];
    for (observation, kilograms) in cases {
        let id = observation["id"].as_str().unwrap().to_owned();
        let (site, report) = import(&collection(&[
            json!({ "resourceType": "Patient", "id": "p1" }),
            observation,
        ]))
        .expect("imports");
        assert!(site.observations.is_empty(), "{id}: a weight is not a NEWS2 set");
        assert_eq!(
            site.weights.first().map(|w| w.kilograms),
            kilograms,
            "{id}: a weight in pounds is never read as kilograms"
        );
        let warned = report
            .warnings
            .iter()
            .any(|w| w.resource == format!("Observation/{id}"));
        assert_eq!(warned, kilograms.is_none(), "{id}: {:?}", report.warnings);
    }
    let (site, _) = import(&collection(&[fixture("Observation-VitalSigns-BodyWeight")])).expect("imports");
    assert_eq!(
        site.weights.first().map(|w| w.kilograms),
        Some(90.0),
        "the UK Core body weight example"
    );
    let (again, _) = import(&lamplight_fhir::export(&site)).expect("the export imports");
    assert_eq!(
        again.weights, site.weights,
        "weights go out and come back as they were"
    );
}
