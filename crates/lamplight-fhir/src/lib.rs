//! FHIR R4 / UK Core ⇄ Lamplight's domain.
//!
//! [`export`] turns a [`Site`](lamplight_model::Site) into a FHIR R4 `transaction` Bundle shaped like
//! UK Core (every entry a `PUT` of `Type/id`, so it can be posted to a FHIR server as it is), and
//! [`import`] reads a Bundle (`collection`, `transaction`, `batch` or `searchset`) back into a `Site`
//! with an [`ImportReport`] of what it used, skipped and could not place.
//!
//! The mapping is written by hand over `serde_json::Value` rather than through a FHIR model crate
//! (docs/design.md, "FHIR mapping": those change values on the way through, or drop what they do not know). Values
//! are copied, not reinterpreted: codes, displays, identifiers and decimals go out as they came in.
//! One limit: without serde_json's `arbitrary_precision` a decimal keeps its value, not its spelling
//! (`2.50` is read as `2.5`).
//!
//! Where R4 and UK Core have no element for something Lamplight needs, it travels in an extension or
//! code system under [`LAMPLIGHT_BASE`], listed in [`ext`]. Everything else is standard R4.
//!
//! [`client`] talks to an EPR over FHIR R4 REST (capabilities, paged searches, transactions) and
//! [`census`] pulls a ward from it, in full or incrementally, through the same [`import`].
//!
//! What it leaves to others: where bundle files come from and go to, snapshots, and what screens show.

#![forbid(unsafe_code)]

pub mod backfile;
pub mod census;
pub mod client;
pub mod epr_state;
mod export;
pub mod health;
mod import;
mod json;
#[cfg(feature = "test-server")]
pub mod test_server;

pub use census::{Census, CensusOptions, PullKind, Refresher, full_pull, refresh, site_wards};
pub use client::{BearerToken, Capabilities, Epr, EprConfig, EprError};
pub use export::{export, export_pretty};
pub use health::{Probe, prober};
pub use import::{ImportError, ImportReport, ImportWarning, NotJson, import, import_bytes, import_str};

/// The one base URL Lamplight owns for its FHIR extensions, code systems and identifier systems.
pub const LAMPLIGHT_BASE: &str = "https://lamplight-ward.github.io/fhir";

/// Lamplight's extensions and code systems: for what R4 and UK Core have no element.
pub mod ext {
    /// `MedicationRequest`: whether the medicine is time-critical (`valueBoolean`). Insulin,
    /// Parkinson's medicines, anticoagulants, antimicrobials and anti-epileptics; when absent on import,
    /// the medicine's name decides (`lamplight_model::medication::is_time_critical_by_name`).
    pub const TIME_CRITICAL: &str = "https://lamplight-ward.github.io/fhir/StructureDefinition/time-critical";
    /// `Encounter`: the expected date of discharge (`valueDate`).
    pub const EXPECTED_DISCHARGE: &str =
        "https://lamplight-ward.github.io/fhir/StructureDefinition/expected-discharge-date";
    /// NEWS2 total `Observation`: the SpO2 scale the set is scored on (`valueCode` `scale-1` or
    /// `scale-2`); scale 2 only for a prescribed target of 88–92%.
    pub const SPO2_SCALE: &str = "https://lamplight-ward.github.io/fhir/StructureDefinition/news2-spo2-scale";
    /// Code system of `MedicationAdministration.statusReason`: the omission code written in the chart's
    /// box (`1` refused … `8` other), the default set of English drug charts.
    pub const OMISSION_CODE_SYSTEM: &str = "https://lamplight-ward.github.io/fhir/CodeSystem/omission-code";
    /// Code system of a `Flag.category` coding: the kind of alert (`dnacpr`, `falls-risk`, `infection`,
    /// `safeguarding`, `pressure-ulcer-risk`, `cognition`, `other`).
    pub const ALERT_KIND_SYSTEM: &str = "https://lamplight-ward.github.io/fhir/CodeSystem/alert-kind";
    /// Identifier system of a ward's short code (`WD7`) on its `Location`.
    pub const WARD_CODE_SYSTEM: &str = "https://lamplight-ward.github.io/fhir/Id/ward-code";
    /// Identifier system of the demo trust's hospital numbers (typed `MR`; a real trust's system is
    /// recognised by the `MR` type).
    pub const HOSPITAL_NUMBER_SYSTEM: &str = "https://lamplight-ward.github.io/fhir/Id/hospital-number";

    /// A change Lamplight filed to an EPR record it did not create (`valueIdentifier`: the downtime
    /// entry's filing id): on the `Encounter.location[]` a transfer added, on the `Encounter` a discharge
    /// finished. Reading the Encounter again says whether the change is already there.
    pub const FILED_ENTRY: &str = "https://lamplight-ward.github.io/fhir/StructureDefinition/filed-entry";

    /// Every extension URL Lamplight reads; others are counted as unknown by the import report.
    pub const KNOWN_EXTENSIONS: &[&str] = &[TIME_CRITICAL, EXPECTED_DISCHARGE, SPO2_SCALE, FILED_ENTRY];
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_lamplight_url_lives_under_the_one_base() {
        for url in [
            super::ext::TIME_CRITICAL,
            super::ext::EXPECTED_DISCHARGE,
            super::ext::SPO2_SCALE,
            super::ext::OMISSION_CODE_SYSTEM,
            super::ext::ALERT_KIND_SYSTEM,
            super::ext::WARD_CODE_SYSTEM,
            super::ext::HOSPITAL_NUMBER_SYSTEM,
            super::ext::FILED_ENTRY,
        ] {
            assert!(
                url.starts_with(super::LAMPLIGHT_BASE),
                "{url} must be under {}",
                super::LAMPLIGHT_BASE
            );
        }
    }
}
