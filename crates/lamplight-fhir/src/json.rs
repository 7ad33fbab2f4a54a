//! Small pieces both directions share: code systems, the vital-sign codes, instants and ids.

use chrono::{DateTime, SecondsFormat, Utc};

pub(crate) const LOINC: &str = "http://loinc.org";
pub(crate) const UCUM: &str = "http://unitsofmeasure.org";
pub(crate) const LOCATION_TYPE: &str = "http://terminology.hl7.org/CodeSystem/location-physical-type";
pub(crate) const BED_STATUS: &str = "http://terminology.hl7.org/CodeSystem/v2-0116";
pub(crate) const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
pub(crate) const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
pub(crate) const ID_TYPE: &str = "http://terminology.hl7.org/CodeSystem/v2-0203";
pub(crate) const OBS_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub(crate) const ALLERGY_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
pub(crate) const ALLERGY_VERIFICATION: &str =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
pub(crate) const FLAG_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/flag-category";
pub(crate) const MED_REQUEST_CATEGORY: &str =
    "http://terminology.hl7.org/CodeSystem/medicationrequest-category";
pub(crate) const NHS_VERIFICATION_EXT: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
pub(crate) const NHS_VERIFICATION_SYSTEM: &str =
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";

/// UK Core profile URL of a resource type.
pub(crate) fn profile(resource_type: &str) -> String {
    format!("https://fhir.hl7.org.uk/StructureDefinition/UKCore-{resource_type}")
}

/// SNOMED CT codes of the vital signs, as in the UK Core NEWS2 example bundle.
pub(crate) mod vital {
    pub(crate) const NEWS2_TOTAL: (&str, &str) = (
        "1104051000000101",
        "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score",
    );
    pub(crate) const RESPIRATION: (&str, &str, &str) = ("86290005", "9279-1", "Respiratory rate");
    pub(crate) const SPO2: (&str, &str, &str) = ("103228002", "59408-5", "Oxygen saturation");
    pub(crate) const PULSE: (&str, &str, &str) = ("364075005", "8867-4", "Heart rate");
    pub(crate) const TEMPERATURE: (&str, &str, &str) = ("276885007", "8310-5", "Body temperature");
    pub(crate) const BP: (&str, &str, &str) = ("75367002", "85354-9", "Blood pressure panel");
    pub(crate) const SYSTOLIC: (&str, &str, &str) = ("72313002", "8480-6", "Systolic blood pressure");
    pub(crate) const DIASTOLIC: (&str, &str, &str) =
        ("1091811000000102", "8462-4", "Diastolic blood pressure");
    pub(crate) const ACVPU: (&str, &str) = (
        "1104441000000107",
        "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score",
    );
    pub(crate) const WEIGHT: (&str, &str, &str) = ("27113001", "29463-7", "Body weight");
    pub(crate) const ROOM_AIR: (&str, &str) = ("722742002", "Breathing room air");
    pub(crate) const ON_OXYGEN: (&str, &str) = ("371825009", "Patient on oxygen");
    /// ACVPU "alert", as coded in the UK Core NEWS2 example. The other answers go as text (`New
    /// confusion`, `Voice`, `Pain`, `Unresponsive`) until their UK Core codes are confirmed.
    pub(crate) const ALERT: (&str, &str) = ("248234008", "Mentally alert");
}

/// An instant as FHIR writes it: UTC with `Z`, fractions only when there are some.
pub(crate) fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A stable `urn:uuid:` for a resource: the same `Type/id` always gives the same one. The 128 bits are
/// two FNV-1a hashes mixed by SplitMix64 (not a cryptographic hash; collisions between a site's few
/// hundred thousand resources are vanishingly unlikely), marked as an RFC 9562 version 8 UUID.
pub(crate) fn urn_uuid(type_and_id: &str) -> String {
    fn fnv(seed: u64, s: &str) -> u64 {
        let mut h = seed;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
        let mut z = h.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let hi = (fnv(0xCBF2_9CE4_8422_2325, type_and_id) & !0xF000) | 0x8000; // version 8
    let lo = (fnv(0x8422_2325_CBF2_9CE4, type_and_id) & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}
