//! Deterministic synthetic wards (placeholder until the generator lands).
use chrono::{DateTime, Utc};
use lamplight_model::Site;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub beds: usize,
    pub seed: u64,
    pub at: DateTime<Utc>,
}

impl DemoOptions {
    pub fn ward(at: DateTime<Utc>) -> Self {
        Self {
            beds: 28,
            seed: 1,
            at,
        }
    }
}

pub fn site(o: &DemoOptions) -> Site {
    Site {
        name: "demo".into(),
        extracted_at: o.at,
        wards: vec![],
        patients: vec![],
        admissions: vec![],
        orders: vec![],
        administrations: vec![],
        tests: vec![],
        observations: vec![],
        allergies: vec![],
        alerts: vec![],
    }
}
