//! Coded concepts: what a human reads (`text`) and the codes behind it, kept exactly as they came.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const SNOMED: &str = "http://snomed.info/sct";
pub const DMD: &str = "https://dmd.nhs.uk";

/// One code from a code system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Code {
    pub system: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Code {
    pub fn new(system: &str, code: &str, display: &str) -> Self {
        Self {
            system: system.to_owned(),
            code: code.to_owned(),
            display: Some(display.to_owned()),
        }
    }

    pub fn snomed(code: &str, display: &str) -> Self {
        Self::new(SNOMED, code, display)
    }

    pub fn dmd(code: &str, display: &str) -> Self {
        Self::new(DMD, code, display)
    }
}

/// A concept as shown to people, with the codes it was sent with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Concept {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
}

impl Concept {
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            codes: Vec::new(),
        }
    }

    pub fn coded(code: Code) -> Self {
        Self {
            text: code.display.clone().unwrap_or_else(|| code.code.clone()),
            codes: vec![code],
        }
    }

    /// The code in a system, if the concept has one.
    pub fn code_in(&self, system: &str) -> Option<&str> {
        self.codes
            .iter()
            .find(|c| c.system == system)
            .map(|c| c.code.as_str())
    }
}
