//! The demo's vocabulary: names, specialties, medicines, tests, allergies and alerts a UK ward uses.
//!
//! SNOMED CT codes below are real concept ids as far as we know them. dm+d codes are dm+d-*style*
//! (the shape of a VMP id, with the real code where we knew it); demo data is never a drug reference.

use lamplight_model::{AlertKind, AllergyCategory, Criticality, TestCategory};

pub(crate) const SITE_NAME: &str = "Lamplight General Hospital (demo)";

/// A specialty a ward can belong to, with who leads it and why people are admitted to it.
#[derive(Debug)]
#[allow(
    clippy::struct_field_names,
    reason = "`specialty.specialty` is the NHS name of the specialty a ward belongs to"
)]
pub(crate) struct Specialty {
    pub ward_label: &'static str,
    pub specialty: &'static str,
    pub consultants: [&'static str; 3],
    pub reasons: &'static [&'static str],
    /// Whether the ward's patients are surgical (nil by mouth before theatre, IV antibiotics...).
    pub surgical: bool,
}

pub(crate) const SPECIALTIES: &[Specialty] = &[
    Specialty {
        ward_label: "Acute Medicine",
        specialty: "Acute Internal Medicine",
        consultants: ["Dr A. Okafor", "Dr H. Lindqvist", "Dr R. Chaudhry"],
        reasons: &[
            "Community-acquired pneumonia",
            "Fall at home, ?cause",
            "Urinary tract infection with delirium",
            "Chest pain, ?ACS",
            "Acute kidney injury",
            "Cellulitis of left leg",
            "Shortness of breath, ?PE",
            "Hyponatraemia",
        ],
        surgical: false,
    },
    Specialty {
        ward_label: "Care of the Elderly",
        specialty: "Geriatric Medicine",
        consultants: ["Dr M. Fitzgerald", "Dr S. Banerjee", "Dr E. Price"],
        reasons: &[
            "Falls and reduced mobility",
            "Delirium, ?infective cause",
            "Urinary tract infection",
            "Frailty, unable to cope at home",
            "Aspiration pneumonia",
            "Dehydration and acute kidney injury",
        ],
        surgical: false,
    },
    Specialty {
        ward_label: "Respiratory",
        specialty: "Respiratory Medicine",
        consultants: ["Dr J. MacLeod", "Dr P. Adeyemi", "Dr L. Hughes"],
        reasons: &[
            "Infective exacerbation of COPD",
            "Community-acquired pneumonia",
            "Pleural effusion for drainage",
            "Asthma exacerbation",
            "Pulmonary embolism",
        ],
        surgical: false,
    },
    Specialty {
        ward_label: "Cardiology",
        specialty: "Cardiology",
        consultants: ["Dr K. Shah", "Dr T. Morgan", "Dr G. Rossi"],
        reasons: &[
            "NSTEMI",
            "Decompensated heart failure",
            "Fast atrial fibrillation",
            "Syncope, ?arrhythmia",
            "Chest pain, troponin pending",
        ],
        surgical: false,
    },
    Specialty {
        ward_label: "General Surgery",
        specialty: "General Surgery",
        consultants: ["Mr D. Evans", "Ms N. Osei", "Mr C. Walsh"],
        reasons: &[
            "Acute cholecystitis",
            "Small bowel obstruction",
            "Appendicitis, post laparoscopic appendicectomy",
            "Diverticulitis",
            "Abdominal pain, ?cause",
            "Post right hemicolectomy",
        ],
        surgical: true,
    },
    Specialty {
        ward_label: "Trauma and Orthopaedics",
        specialty: "Trauma and Orthopaedics",
        consultants: ["Mr I. Novak", "Ms F. Ahmed", "Mr B. Sutherland"],
        reasons: &[
            "Fractured neck of femur (left)",
            "Fractured neck of femur (right)",
            "Post elective total knee replacement",
            "Fractured wrist, awaiting fixation",
            "Post total hip replacement",
        ],
        surgical: true,
    },
    Specialty {
        ward_label: "Stroke",
        specialty: "Stroke Medicine",
        consultants: ["Dr O. Williams", "Dr Y. Tanaka", "Dr A. Brennan"],
        reasons: &[
            "Left MCA ischaemic stroke",
            "TIA, awaiting carotid Doppler",
            "Right-sided weakness, ?stroke",
            "Posterior circulation stroke",
        ],
        surgical: false,
    },
    Specialty {
        ward_label: "Gastroenterology",
        specialty: "Gastroenterology",
        consultants: ["Dr V. Kumar", "Dr C. O'Neill", "Dr S. Hart"],
        reasons: &[
            "Upper GI bleed",
            "Decompensated alcohol-related liver disease",
            "Flare of ulcerative colitis",
            "Acute pancreatitis",
        ],
        surgical: false,
    },
];

pub(crate) const FEMALE_GIVEN: &[&str] = &[
    "Margaret",
    "Joan",
    "Patricia",
    "Dorothy",
    "Eileen",
    "Brenda",
    "Sheila",
    "Jean",
    "Maureen",
    "Irene",
    "Valerie",
    "Pauline",
    "Susan",
    "Elizabeth",
    "Mary",
    "Ann",
    "Gwen",
    "Nasreen",
    "Priya",
    "Grace",
    "Olivia",
    "Chloe",
    "Aisha",
    "Bernadette",
    "Siobhan",
    "Agnieszka",
    "Hazel",
    "Winifred",
];

pub(crate) const MALE_GIVEN: &[&str] = &[
    "John", "David", "Michael", "Peter", "Brian", "Kenneth", "Derek", "Roy", "Alan", "Geoffrey", "Stanley",
    "Raymond", "William", "James", "Robert", "Thomas", "Mohammed", "Rajesh", "Kwame", "Tomasz", "Declan",
    "Gareth", "Ian", "Colin", "Trevor", "Oliver", "Harry", "Winston",
];

pub(crate) const FEMALE_MIDDLE: &[&str] = &["Anne", "Louise", "Mary", "Rose", "Elizabeth", "Jane"];

pub(crate) const MALE_MIDDLE: &[&str] = &["James", "John", "Edward", "William", "Thomas", "Robert"];

pub(crate) const FAMILY: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Khan",
    "Begum",
    "Ahmed",
    "Singh",
    "Kaur",
    "Okonkwo",
    "Mensah",
    "Kowalski",
    "Nowak",
    "O'Brien",
    "MacDonald",
    "Campbell",
    "Stewart",
    "Fletcher",
    "Pritchard",
    "Ali",
    "Hussain",
    "Chen",
    "Nguyen",
];

/// Nurses and healthcare assistants who sign charts.
pub(crate) const NURSES: &[&str] = &[
    "RN S. Patel",
    "RN J. Adeyemi",
    "RN K. O'Connor",
    "RN M. Santos",
    "RN L. Bradley",
    "RN A. Nowak",
    "RN D. Mensah",
    "RN C. Reyes",
    "RN H. Whitfield",
    "HCA P. Dunne",
    "HCA T. Begum",
    "RN F. Lawal",
];

pub(crate) const JUNIOR_DOCTORS: &[&str] = &[
    "Dr E. Grant (FY1)",
    "Dr S. Iqbal (FY2)",
    "Dr R. Hale (CT1)",
    "Dr B. Osei (FY1)",
    "Dr N. Kerr (ST3)",
];

pub(crate) const SNOMED_ORAL: (&str, &str) = ("26643006", "Oral");
pub(crate) const SNOMED_IV: (&str, &str) = ("47625008", "Intravenous");
pub(crate) const SNOMED_SC: (&str, &str) = ("34206005", "Subcutaneous");
pub(crate) const SNOMED_INHALED: (&str, &str) = ("447694001", "Respiratory tract");
pub(crate) const SNOMED_SUBLINGUAL: (&str, &str) = ("37839007", "Sublingual");

/// How a catalogue medicine is usually prescribed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern {
    /// Regular at these London hours.
    Regular(&'static [u32], &'static str),
    /// When required: indication, minimum interval (minutes), maximum doses in 24 hours.
    Prn(&'static str, u32, u32),
    /// A single dose.
    Once,
}

#[derive(Debug)]
pub(crate) struct Medicine {
    pub name: &'static str,
    pub dmd: &'static str,
    pub value: Option<&'static str>,
    pub unit: Option<&'static str>,
    /// The dose as the chart shows it.
    pub dose_text: &'static str,
    pub route: (&'static str, &'static str),
    pub pattern: Pattern,
    pub indication: Option<&'static str>,
    pub instructions: Option<&'static str>,
    /// Contains a penicillin: never prescribed to a patient with a penicillin allergy.
    pub penicillin: bool,
}

const fn med(
    name: &'static str,
    dmd: &'static str,
    dose: (Option<&'static str>, Option<&'static str>, &'static str),
    route: (&'static str, &'static str),
    pattern: Pattern,
) -> Medicine {
    Medicine {
        name,
        dmd,
        value: dose.0,
        unit: dose.1,
        dose_text: dose.2,
        route,
        pattern,
        indication: None,
        instructions: None,
        penicillin: false,
    }
}

const fn with(
    mut m: Medicine,
    indication: Option<&'static str>,
    instructions: Option<&'static str>,
) -> Medicine {
    m.indication = indication;
    m.instructions = instructions;
    m
}

const fn penicillin(mut m: Medicine) -> Medicine {
    m.penicillin = true;
    m
}

const QDS: Pattern = Pattern::Regular(&[8, 12, 18, 22], "four times a day");
const QDS_EARLY: Pattern = Pattern::Regular(&[6, 12, 18, 22], "four times a day");
const TDS_8H: Pattern = Pattern::Regular(&[6, 14, 22], "three times a day (8-hourly)");
const TDS_MEALS: Pattern = Pattern::Regular(&[8, 12, 18], "three times a day with meals");
const BD: Pattern = Pattern::Regular(&[8, 18], "twice a day");
const OD_MORNING: Pattern = Pattern::Regular(&[8], "once a day (morning)");
const OD_EARLY: Pattern = Pattern::Regular(&[6], "once a day (before breakfast)");
const OD_EVENING: Pattern = Pattern::Regular(&[18], "once a day (evening)");
const OD_NIGHT: Pattern = Pattern::Regular(&[22], "once a day (night)");

const fn q(
    v: &'static str,
    u: &'static str,
    t: &'static str,
) -> (Option<&'static str>, Option<&'static str>, &'static str) {
    (Some(v), Some(u), t)
}

/// Regular medicines most inpatients are on, whatever the ward.
pub(crate) const REGULAR: &[Medicine] = &[
    with(
        med(
            "Paracetamol 500mg tablets",
            "42109611000001109",
            q("1", "g", "1 g"),
            SNOMED_ORAL,
            QDS,
        ),
        Some("Pain"),
        None,
    ),
    with(
        med(
            "Enoxaparin sodium 40mg/0.4ml solution for injection pre-filled syringes",
            "10935611000001109",
            q("40", "mg", "40 mg"),
            SNOMED_SC,
            OD_EVENING,
        ),
        Some("VTE prophylaxis"),
        Some("Check platelets and renal function"),
    ),
    med(
        "Amlodipine 5mg tablets",
        "42206811000001109",
        q("5", "mg", "5 mg"),
        SNOMED_ORAL,
        OD_MORNING,
    ),
    with(
        med(
            "Furosemide 40mg tablets",
            "42018011000001109",
            q("40", "mg", "40 mg"),
            SNOMED_ORAL,
            OD_MORNING,
        ),
        Some("Heart failure"),
        Some("Daily weight"),
    ),
    med(
        "Atorvastatin 40mg tablets",
        "42211511000001106",
        q("40", "mg", "40 mg"),
        SNOMED_ORAL,
        OD_NIGHT,
    ),
    med(
        "Omeprazole 20mg gastro-resistant capsules",
        "39694811000001105",
        q("20", "mg", "20 mg"),
        SNOMED_ORAL,
        OD_MORNING,
    ),
    with(
        med(
            "Bisoprolol 2.5mg tablets",
            "42098611000001102",
            q("2.5", "mg", "2.5 mg"),
            SNOMED_ORAL,
            OD_MORNING,
        ),
        None,
        Some("Withhold if pulse below 55 or systolic BP below 95"),
    ),
    med(
        "Ramipril 2.5mg capsules",
        "39699311000001106",
        q("2.5", "mg", "2.5 mg"),
        SNOMED_ORAL,
        OD_MORNING,
    ),
    with(
        med(
            "Senna 7.5mg tablets",
            "42103011000001106",
            q("15", "mg", "15 mg (2 tablets)"),
            SNOMED_ORAL,
            OD_NIGHT,
        ),
        Some("Constipation"),
        None,
    ),
    with(
        med(
            "Lactulose 3.35g/5ml oral solution",
            "42104211000001106",
            q("10", "mL", "10 mL"),
            SNOMED_ORAL,
            BD,
        ),
        Some("Constipation"),
        None,
    ),
    with(
        med(
            "Calcium carbonate 1.5g / Colecalciferol 10micrograms chewable tablets",
            "42104811000001107",
            q("1", "tablet", "1 tablet"),
            SNOMED_ORAL,
            BD,
        ),
        None,
        Some("Chew"),
    ),
    with(
        med(
            "Levothyroxine sodium 100microgram tablets",
            "42095811000001100",
            q("100", "microgram", "100 micrograms"),
            SNOMED_ORAL,
            OD_EARLY,
        ),
        Some("Hypothyroidism"),
        Some("30 minutes before breakfast"),
    ),
    med(
        "Sertraline 50mg tablets",
        "42124011000001103",
        q("50", "mg", "50 mg"),
        SNOMED_ORAL,
        OD_MORNING,
    ),
    with(
        med(
            "Metformin 500mg tablets",
            "42106311000001102",
            q("500", "mg", "500 mg"),
            SNOMED_ORAL,
            BD,
        ),
        Some("Type 2 diabetes"),
        Some("With food"),
    ),
    with(
        med(
            "Apixaban 5mg tablets",
            "42211311000001100",
            q("5", "mg", "5 mg"),
            SNOMED_ORAL,
            BD,
        ),
        Some("Atrial fibrillation"),
        None,
    ),
    with(
        med(
            "Digoxin 62.5microgram tablets",
            "42099011000001104",
            q("62.5", "microgram", "62.5 micrograms"),
            SNOMED_ORAL,
            OD_MORNING,
        ),
        Some("Atrial fibrillation"),
        Some("Check pulse first: withhold if below 60"),
    ),
    with(
        med(
            "Thiamine 100mg tablets",
            "42010211000001102",
            q("100", "mg", "100 mg"),
            SNOMED_ORAL,
            OD_MORNING,
        ),
        None,
        None,
    ),
];

/// Medicines given to patients with particular problems (the generator chooses by reason or chance).
pub(crate) const ANTIBIOTIC_IV: &[Medicine] = &[
    penicillin(with(
        med(
            "Co-amoxiclav 1000mg/200mg powder for solution for injection vials",
            "39707011000001103",
            q("1.2", "g", "1.2 g"),
            SNOMED_IV,
            TDS_8H,
        ),
        Some("Community-acquired pneumonia"),
        Some("Review at 48 h: IV to oral switch?"),
    )),
    penicillin(with(
        med(
            "Piperacillin 4g / Tazobactam 500mg powder for solution for infusion vials",
            "4452411000001104",
            q("4.5", "g", "4.5 g"),
            SNOMED_IV,
            TDS_8H,
        ),
        Some("Intra-abdominal sepsis"),
        None,
    )),
];
pub(crate) const ANTIBIOTIC_ORAL: &[Medicine] = &[
    penicillin(with(
        med(
            "Amoxicillin 500mg capsules",
            "39732411000001106",
            q("500", "mg", "500 mg"),
            SNOMED_ORAL,
            TDS_8H,
        ),
        Some("Chest infection"),
        None,
    )),
    with(
        med(
            "Nitrofurantoin 50mg capsules",
            "42194211000001107",
            q("50", "mg", "50 mg"),
            SNOMED_ORAL,
            QDS,
        ),
        Some("Urinary tract infection"),
        Some("With food"),
    ),
];
/// Safe for patients with a penicillin allergy.
pub(crate) const ANTIBIOTIC_NON_PENICILLIN: &[Medicine] = &[
    with(
        med(
            "Clarithromycin 500mg tablets",
            "42096111000001107",
            q("500", "mg", "500 mg"),
            SNOMED_ORAL,
            BD,
        ),
        Some("Chest infection (penicillin allergic)"),
        None,
    ),
    with(
        med(
            "Doxycycline 100mg capsules",
            "42012611000001108",
            q("100", "mg", "100 mg"),
            SNOMED_ORAL,
            OD_MORNING,
        ),
        Some("Chest infection (penicillin allergic)"),
        Some("Swallow whole with water, sitting upright"),
    ),
];
pub(crate) const PARKINSONS: Medicine = with(
    med(
        "Co-careldopa 25mg/100mg tablets",
        "42018511000001106",
        q("1", "tablet", "1 tablet"),
        SNOMED_ORAL,
        QDS_EARLY,
    ),
    Some("Parkinson's disease"),
    Some("Time-critical: give within 30 minutes of the prescribed time"),
);
pub(crate) const ANTI_EPILEPTIC: Medicine = with(
    med(
        "Levetiracetam 500mg tablets",
        "42217011000001107",
        q("500", "mg", "500 mg"),
        SNOMED_ORAL,
        BD,
    ),
    Some("Epilepsy"),
    None,
);
pub(crate) const INSULIN_BASAL: Medicine = with(
    med(
        "Insulin glargine 100units/ml solution for injection 3ml pre-filled disposable devices",
        "3582511000001102",
        q("18", "unit", "18 units"),
        SNOMED_SC,
        OD_NIGHT,
    ),
    Some("Type 1 diabetes"),
    Some("Check capillary blood glucose before giving"),
);
pub(crate) const INSULIN_BOLUS: Medicine = with(
    med(
        "Insulin aspart 100units/ml solution for injection 3ml pre-filled disposable devices",
        "3491011000001108",
        q("6", "unit", "6 units"),
        SNOMED_SC,
        TDS_MEALS,
    ),
    Some("Type 1 diabetes"),
    Some("With meals; check capillary blood glucose first"),
);
pub(crate) const NEBULISER: Medicine = with(
    med(
        "Salbutamol 2.5mg/2.5ml nebuliser liquid unit dose vials",
        "39710911000001103",
        q("2.5", "mg", "2.5 mg"),
        SNOMED_INHALED,
        QDS_EARLY,
    ),
    Some("COPD exacerbation"),
    Some("Nebulise with air, not oxygen (target SpO2 88-92%)"),
);
pub(crate) const STEROID: Medicine = with(
    med(
        "Prednisolone 5mg tablets",
        "42104511000001108",
        q("30", "mg", "30 mg"),
        SNOMED_ORAL,
        OD_MORNING,
    ),
    Some("COPD exacerbation, day 3 of 5"),
    Some("With breakfast"),
);

pub(crate) const PRN: &[Medicine] = &[
    with(
        med(
            "Paracetamol 500mg tablets",
            "42109611000001109",
            q("1", "g", "1 g"),
            SNOMED_ORAL,
            Pattern::Prn("Pain or fever", 240, 4),
        ),
        None,
        Some("Maximum 4 g in 24 hours from all sources"),
    ),
    with(
        med(
            "Morphine sulfate 10mg/5ml oral solution",
            "36128111000001106",
            q("2.5", "mg", "2.5 mg"),
            SNOMED_ORAL,
            Pattern::Prn("Breakthrough pain", 120, 6),
        ),
        None,
        None,
    ),
    med(
        "Ondansetron 4mg tablets",
        "42083111000001102",
        q("4", "mg", "4 mg"),
        SNOMED_ORAL,
        Pattern::Prn("Nausea and vomiting", 480, 3),
    ),
    med(
        "Cyclizine 50mg tablets",
        "42121011000001109",
        q("50", "mg", "50 mg"),
        SNOMED_ORAL,
        Pattern::Prn("Nausea", 480, 3),
    ),
    med(
        "Macrogol compound oral powder sachets",
        "4262011000001104",
        q("1", "sachet", "1 sachet"),
        SNOMED_ORAL,
        Pattern::Prn("Constipation", 720, 2),
    ),
    med(
        "Glyceryl trinitrate 400micrograms/dose pump sublingual spray",
        "36079911000001100",
        (None, None, "1-2 sprays"),
        SNOMED_SUBLINGUAL,
        Pattern::Prn("Chest pain", 5, 6),
    ),
    med(
        "Salbutamol 100micrograms/dose inhaler CFC free",
        "39112711000001103",
        q("200", "microgram", "200 micrograms (2 puffs)"),
        SNOMED_INHALED,
        Pattern::Prn("Wheeze or breathlessness", 240, 4),
    ),
];

pub(crate) const ONCE_ONLY: &[Medicine] = &[
    with(
        med(
            "Furosemide 20mg/2ml solution for injection ampoules",
            "42017311000001109",
            q("40", "mg", "40 mg"),
            SNOMED_IV,
            Pattern::Once,
        ),
        Some("Fluid overload"),
        Some("Check U&E afterwards"),
    ),
    with(
        med(
            "Ondansetron 4mg/2ml solution for injection ampoules",
            "42082911000001106",
            q("4", "mg", "4 mg"),
            SNOMED_IV,
            Pattern::Once,
        ),
        Some("Nausea before transfer"),
        None,
    ),
    with(
        med(
            "Phytomenadione 10mg/1ml solution for injection ampoules",
            "42215111000001100",
            q("10", "mg", "10 mg"),
            SNOMED_IV,
            Pattern::Once,
        ),
        Some("Raised INR before procedure"),
        Some("Give slowly"),
    ),
];

/// A test a ward waits for.
#[derive(Debug)]
pub(crate) struct Test {
    pub name: &'static str,
    pub snomed: Option<&'static str>,
    pub category: TestCategory,
    pub note: Option<&'static str>,
}

pub(crate) const TESTS: &[Test] = &[
    Test {
        name: "Full blood count",
        snomed: Some("26604007"),
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Urea and electrolytes",
        snomed: Some("252167001"),
        category: TestCategory::Laboratory,
        note: Some("Repeat K+ after replacement"),
    },
    Test {
        name: "C-reactive protein",
        snomed: Some("55235003"),
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Liver function tests",
        snomed: Some("26958001"),
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Blood cultures",
        snomed: Some("30088009"),
        category: TestCategory::Laboratory,
        note: Some("Two sets, before next antibiotic dose"),
    },
    Test {
        name: "Troponin (high-sensitivity), 3-hour repeat",
        snomed: None,
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Coagulation screen",
        snomed: None,
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Urine culture (MSU)",
        snomed: Some("117010004"),
        category: TestCategory::Laboratory,
        note: None,
    },
    Test {
        name: "Chest X-ray",
        snomed: Some("399208008"),
        category: TestCategory::Imaging,
        note: Some("Portable if NEWS2 5 or more"),
    },
    Test {
        name: "CT head",
        snomed: Some("303653007"),
        category: TestCategory::Imaging,
        note: Some("Fall on anticoagulant: within 8 hours"),
    },
    Test {
        name: "Ultrasound abdomen",
        snomed: Some("45036003"),
        category: TestCategory::Imaging,
        note: None,
    },
    Test {
        name: "12-lead ECG",
        snomed: Some("29303009"),
        category: TestCategory::Other,
        note: None,
    },
];

/// An allergy the generator can give a patient.
#[derive(Debug)]
pub(crate) struct AllergyKind {
    pub substance: &'static str,
    pub snomed: &'static str,
    pub category: AllergyCategory,
    pub criticality: Criticality,
    pub reaction: &'static str,
}

pub(crate) const PENICILLIN: AllergyKind = AllergyKind {
    substance: "Penicillin",
    snomed: "764146007",
    category: AllergyCategory::Medication,
    criticality: Criticality::High,
    reaction: "Anaphylaxis",
};

pub(crate) const OTHER_ALLERGIES: &[AllergyKind] = &[
    AllergyKind {
        substance: "Codeine",
        snomed: "387494007",
        category: AllergyCategory::Medication,
        criticality: Criticality::Low,
        reaction: "Nausea and vomiting",
    },
    AllergyKind {
        substance: "Latex",
        snomed: "111088007",
        category: AllergyCategory::Environment,
        criticality: Criticality::Low,
        reaction: "Contact dermatitis",
    },
    AllergyKind {
        substance: "Non-steroidal anti-inflammatory drugs (NSAIDs)",
        snomed: "16403005",
        category: AllergyCategory::Medication,
        criticality: Criticality::High,
        reaction: "Bronchospasm",
    },
    AllergyKind {
        substance: "Sulfonamide",
        snomed: "387406002",
        category: AllergyCategory::Medication,
        criticality: Criticality::Low,
        reaction: "Rash",
    },
    AllergyKind {
        substance: "Peanut",
        snomed: "762952008",
        category: AllergyCategory::Food,
        criticality: Criticality::High,
        reaction: "Angioedema",
    },
];

/// An alert the generator can raise.
#[derive(Debug)]
pub(crate) struct AlertTemplate {
    pub kind: AlertKind,
    pub text: &'static str,
    pub snomed: Option<(&'static str, &'static str)>,
}

pub(crate) const FALLS: AlertTemplate = AlertTemplate {
    kind: AlertKind::FallsRisk,
    text: "High falls risk: bed rails assessed, sensor mat in place",
    snomed: Some(("129839007", "At risk for falls")),
};
pub(crate) const DEMENTIA: AlertTemplate = AlertTemplate {
    kind: AlertKind::Cognition,
    text: "Dementia: see 'This is me'; daughter is main carer",
    snomed: Some(("52448006", "Dementia")),
};
pub(crate) const MRSA: AlertTemplate = AlertTemplate {
    kind: AlertKind::Infection,
    text: "MRSA positive: side room, contact precautions",
    snomed: Some(("115329001", "Methicillin resistant Staphylococcus aureus")),
};
pub(crate) const CDIFF: AlertTemplate = AlertTemplate {
    kind: AlertKind::Infection,
    text: "C. difficile toxin positive: side room, enteric precautions, soap and water",
    snomed: Some(("5933001", "Clostridioides difficile")),
};
pub(crate) const SAFEGUARDING: AlertTemplate = AlertTemplate {
    kind: AlertKind::Safeguarding,
    text: "Safeguarding: adult concern raised, discuss with the safeguarding team before discharge",
    snomed: None,
};
pub(crate) const PRESSURE: AlertTemplate = AlertTemplate {
    kind: AlertKind::PressureUlcerRisk,
    text: "Pressure ulcer risk: 2-hourly repositioning, air mattress",
    snomed: None,
};

/// Omission notes a nurse writes, by reason code.
pub(crate) const REFUSED_NOTES: &[&str] = &[
    "Patient declined, says it makes them feel sick",
    "Declined: wants to discuss with the doctor",
];
pub(crate) const WITHHELD_NOTES: &[&str] = &[
    "Systolic BP 92: withheld, doctor informed",
    "Pulse 52: withheld per parameters",
    "Withheld: awaiting U&E result",
];
pub(crate) const OTHER_NOTES: &[&str] = &[
    "Cannula tissued, awaiting re-site",
    "Patient in the bathroom at the due time: dose omitted on the advice of the pharmacist",
];
