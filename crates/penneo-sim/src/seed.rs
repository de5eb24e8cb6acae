//! The `--seed demo` practice workspace: six forms across DRAFT/ACTIVE/ARCHIVED with several
//! versions, 44 submissions with Nordic names, CPR/CVR numbers and addresses, and casefiles
//! in every status with real PDFs. Content is deterministic (seeded RNG); timestamps are
//! relative to the moment of seeding.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use crate::codes::{casefile as cs, request as rq};
use crate::collect::formdef::{self, RawAnswers};
use crate::error::SimError;
use crate::sign::model::{create_casefile, CasefileSpec, DocSpec, SignerSpec};
use crate::state::{
    lock, Db, Form, FormRequest, FormStatus, FormVersion, Prefill, PrefillAnswers, Shared,
    Submission,
};

const FIRST: &[&str] = &[
    "Mette", "Søren", "Ida", "Mikkel", "Freja", "Rasmus", "Sofie", "Jonas", "Line", "Anders",
    "Karen", "Lars", "Camilla", "Henrik", "Astrid", "Magnus", "Emma", "Frederik", "Signe",
    "Nikolaj", "Kirsten", "Thomas", "Sanna", "Erik", "Ingrid", "Oskar", "Maja", "Jens", "Liv",
    "Peter",
];
const LAST: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Holm",
    "Lindqvist",
    "Berg",
    "Dahl",
    "Mortensen",
    "Østergaard",
    "Lund",
    "Bech",
    "Kjær",
];
const STREETS: &[&str] = &[
    "Nørregade",
    "Vestergade",
    "Østerbrogade",
    "Algade",
    "Strandvejen",
    "Jernbanegade",
    "Skolevej",
    "Kongensgade",
    "Bredgade",
    "Havnegade",
    "Søndergade",
    "Fiskergade",
];
const CITIES: &[(&str, &str)] = &[
    ("1050", "København K"),
    ("2100", "København Ø"),
    ("8000", "Aarhus C"),
    ("5000", "Odense C"),
    ("9000", "Aalborg"),
    ("6700", "Esbjerg"),
    ("7100", "Vejle"),
    ("4000", "Roskilde"),
    ("3000", "Helsingør"),
    ("8600", "Silkeborg"),
];
const COMPANIES: &[&str] = &[
    "Nordvind ApS",
    "Fjordlys A/S",
    "Holm & Kjær ApS",
    "Bech Byg ApS",
    "Sølvtræ Consulting ApS",
    "Dahl Transport A/S",
    "Lund Arkitekter ApS",
    "Havblik IVS",
    "Østergaard Ejendomme A/S",
    "Kornblomst ApS",
    "Tårnfalk Software ApS",
    "Marsk Energi A/S",
];

struct Person {
    name: String,
    email: String,
    phone: String,
    nin: String,
    birth: String,
    street: String,
    postal: String,
    city: String,
    company: String,
    cvr: String,
}

fn ascii_fold(s: &str) -> String {
    s.to_lowercase()
        .replace('ø', "oe")
        .replace('æ', "ae")
        .replace('å', "aa")
        .replace(|c: char| !c.is_ascii_alphanumeric(), "")
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

fn person(rng: &mut StdRng) -> Person {
    let first = pick(rng, FIRST);
    let last = pick(rng, LAST);
    let (postal, city) = CITIES[rng.gen_range(0..CITIES.len())];
    let day = rng.gen_range(1..=28);
    let month = rng.gen_range(1..=12);
    let year = rng.gen_range(1955..=2002);
    let domains = ["example.dk", "example.com", "mail.example.net"];
    Person {
        name: format!("{first} {last}"),
        email: format!(
            "{}.{}@{}",
            ascii_fold(first),
            ascii_fold(last),
            domains[rng.gen_range(0..domains.len())]
        ),
        phone: format!(
            "+45 {} {:02} {:02} {:02}",
            rng.gen_range(20..99),
            rng.gen_range(0..99),
            rng.gen_range(0..99),
            rng.gen_range(0..99)
        ),
        nin: format!(
            "{day:02}{month:02}{:02}-{:04}",
            year % 100,
            rng.gen_range(1000..9999)
        ),
        birth: format!("{year}-{month:02}-{day:02}"),
        street: format!("{} {}", pick(rng, STREETS), rng.gen_range(1..120)),
        postal: postal.to_string(),
        city: city.to_string(),
        company: pick(rng, COMPANIES).to_string(),
        cvr: format!("{}", rng.gen_range(10_000_000..99_999_999)),
    }
}

fn choice(options: &[(&str, &str)]) -> Value {
    Value::Array(
        options
            .iter()
            .map(|(l, v)| json!({"label": l, "value": v}))
            .collect(),
    )
}

fn kyc_individual(version: u32) -> Value {
    let mut personal = vec![
        json!({"name": "full_name", "label": "Full name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name", "validations": {"minLength": 2, "maxLength": 120}}),
        json!({"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}),
        json!({"name": "phone", "label": "Phone", "type": "PHONE", "required": false, "countryCodes": ["DK", "SE", "NO"]}),
        json!({"name": "cpr", "label": "CPR number", "type": "NIN", "required": true}),
    ];
    if version >= 2 {
        personal.push(json!({"name": "birth_date", "label": "Date of birth", "type": "DATE", "required": true}));
    }
    let mut sections = vec![
        json!({"slug": "personal", "title": "Personal details", "fields": personal}),
        json!({"slug": "address", "title": "Address", "fields": [
            {"name": "street", "label": "Street and number", "type": "TEXT", "required": true},
            {"name": "postal_code", "label": "Postal code", "type": "TEXT", "required": true, "validations": {"minLength": 4, "maxLength": 4}},
            {"name": "city", "label": "City", "type": "TEXT", "required": true}
        ]}),
        json!({"slug": "pep", "title": "Politically exposed person", "fields": [
            {"name": "is_pep", "label": "Are you, or a close relative, a politically exposed person?", "type": "CHOICE", "layout": "RADIO", "required": true,
             "options": choice(&[("Yes", "yes"), ("No", "no")])},
            {"name": "pep_details", "label": "Please describe the position", "type": "TEXT", "multiline": true, "required": true,
             "condition": {"rules": [{"field": "is_pep", "operator": "EQUALS", "value": "yes"}]}}
        ]}),
    ];
    if version >= 3 {
        sections.push(json!({"slug": "funds", "title": "Source of funds", "fields": [
            {"name": "source_of_funds", "label": "Main source of funds", "type": "CHOICE", "layout": "SELECT", "required": true,
             "options": choice(&[("Salary", "salary"), ("Pension", "pension"), ("Business income", "business"), ("Inheritance", "inheritance")])}
        ]}));
    }
    sections.push(json!({"slug": "declaration", "title": "Declaration", "fields": [
        {"type": "HTML", "content": "<p>I, <strong>{{full_name}}</strong>, confirm that the information above is correct.</p>"}
    ]}));
    json!({"name": "KYC – individual client", "language": "EN", "description": "Customer due diligence for private clients (Danish AML act).",
           "caseFileTitleTemplate": "KYC {{primarySigner.name}}", "additionalSignersConfig": {"enabled": false}, "sections": sections})
}

fn kyc_company(version: u32) -> Value {
    let max = if version >= 2 { 4 } else { 2 };
    json!({"name": "KYC – company client", "language": "EN", "description": "Customer due diligence for business clients, including beneficial owners.",
    "caseFileTitleTemplate": "KYC {{company_name}}", "additionalSignersConfig": {"enabled": true, "max": 2},
    "sections": [
        {"slug": "company", "title": "Company", "fields": [
            {"name": "company_name", "label": "Legal name", "type": "TEXT", "required": true},
            {"name": "cvr", "label": "CVR number", "type": "BUSINESS_ID", "required": true},
            {"name": "company_address", "label": "Registered address", "type": "TEXT", "required": true}
        ]},
        {"slug": "contact", "title": "Contact person", "fields": [
            {"name": "contact_name", "label": "Name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "contact_email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}
        ]},
        {"slug": "owners", "title": "Beneficial owners", "description": "Everyone owning 25 % or more.", "multipleEntries": {"max": max}, "fields": [
            {"name": "owner_name", "label": "Name", "type": "TEXT", "required": true},
            {"name": "owner_share", "label": "Ownership (%)", "type": "NUMBER", "required": true, "validations": {"min": 0, "max": 100}}
        ]}
    ]})
}

fn engagement(version: u32) -> Value {
    let mut services = vec![
        ("Bookkeeping", "bookkeeping"),
        ("Annual report", "annual_report"),
        ("Tax return", "tax"),
        ("Payroll", "payroll"),
    ];
    if version >= 2 {
        services.push(("Advisory", "advisory"));
    }
    json!({"name": "Engagement letter acceptance", "language": "EN", "description": "Accept the terms of our engagement for the coming financial year.",
    "caseFileTitleTemplate": "Engagement letter – {{company_name}}", "additionalSignersConfig": {"enabled": false},
    "sections": [
        {"slug": "client", "title": "Client", "fields": [
            {"name": "client_name", "label": "Signatory", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "client_email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
            {"name": "company_name", "label": "Company", "type": "TEXT", "required": true},
            {"name": "cvr", "label": "CVR number", "type": "BUSINESS_ID", "required": true}
        ]},
        {"slug": "scope", "title": "Scope", "fields": [
            {"name": "services", "label": "Services", "type": "CHOICE", "layout": "CHECKBOX", "required": true, "options": choice(&services)},
            {"name": "fee_model", "label": "Fee model", "type": "CHOICE", "layout": "RADIO", "required": true, "options": choice(&[("Fixed fee", "fixed"), ("Hourly", "hourly")])},
            {"name": "start_date", "label": "Start date", "type": "DATE", "required": true}
        ]}
    ]})
}

fn onboarding(version: u32) -> Value {
    let mut employee = vec![
        json!({"name": "employee_name", "label": "Full name", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"}),
        json!({"name": "employee_email", "label": "Private e-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}),
        json!({"name": "employee_phone", "label": "Mobile", "type": "PHONE", "required": true, "countryCodes": ["DK"]}),
        json!({"name": "employee_cpr", "label": "CPR number", "type": "NIN", "required": true}),
        json!({"name": "first_day", "label": "First working day", "type": "DATE", "required": true}),
    ];
    if version >= 2 {
        employee.push(
            json!({"name": "address", "label": "Home address", "type": "TEXT", "required": true}),
        );
    }
    json!({"name": "Employment onboarding", "language": "EN", "description": "Information we need before your first day.",
    "caseFileTitleTemplate": "Onboarding – {{primarySigner.name}}", "additionalSignersConfig": {"enabled": false},
    "sections": [
        {"slug": "employee", "title": "Employee", "fields": employee},
        {"slug": "bank", "title": "Salary account", "fields": [
            {"name": "reg_no", "label": "Reg. no.", "type": "TEXT", "required": true, "validations": {"minLength": 4, "maxLength": 4}},
            {"name": "account_no", "label": "Account no.", "type": "TEXT", "required": true, "validations": {"minLength": 6, "maxLength": 10}}
        ]},
        {"slug": "pension", "title": "Pension", "fields": [
            {"name": "pension_rate", "label": "Own contribution", "type": "CHOICE", "layout": "SELECT", "required": true,
             "options": choice(&[("4 %", "4"), ("6 %", "6"), ("8 %", "8")])}
        ]}
    ]})
}

fn bookkeeping() -> Value {
    json!({"name": "Annual bookkeeping questionnaire", "language": "DA", "description": "Spørgeskema til årsafslutningen.",
    "caseFileTitleTemplate": "Årsafslutning – {{primarySigner.name}}",
    "sections": [
        {"slug": "kunde", "title": "Kunde", "fields": [
            {"name": "navn", "label": "Navn", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"}
        ]},
        {"slug": "regnskab", "title": "Regnskab", "fields": [
            {"name": "omsaetning", "label": "Forventet omsætning (DKK)", "type": "NUMBER", "required": true, "validations": {"min": 0}},
            {"name": "nye_aktiver", "label": "Er der købt nye aktiver?", "type": "CHOICE", "layout": "RADIO", "required": true, "options": choice(&[("Ja", "ja"), ("Nej", "nej")])},
            {"name": "aktiver", "label": "Beskriv aktiverne", "type": "TEXT", "multiline": true, "required": true,
             "condition": {"rules": [{"field": "nye_aktiver", "operator": "EQUALS", "value": "ja"}]}}
        ]}
    ]})
}

fn supplier(version: u32) -> Value {
    json!({"name": "Supplier registration 2024", "language": "EN", "description": "Supplier master data (closed).",
    "caseFileTitleTemplate": "{{formName}} - {{primarySigner.name}}",
    "sections": [
        {"slug": "supplier", "title": "Supplier", "fields": [
            {"name": "contact_name", "label": "Contact", "type": "TEXT", "required": true, "mapTo": "primarySigner.name"},
            {"name": "contact_email", "label": "E-mail", "type": "EMAIL", "required": true, "mapTo": "primarySigner.email"},
            {"name": "supplier_name", "label": "Supplier", "type": "TEXT", "required": true},
            {"name": "supplier_cvr", "label": "CVR", "type": "BUSINESS_ID", "required": version >= 2}
        ]}
    ]})
}

fn one(slug: &str, fields: Vec<(&str, Value)>) -> (String, Vec<BTreeMap<String, Value>>) {
    (
        slug.to_string(),
        vec![fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()],
    )
}

fn answers_for(kind: usize, version: u32, p: &Person, rng: &mut StdRng) -> RawAnswers {
    let mut a = RawAnswers::new();
    let mut put = |(k, v): (String, Vec<BTreeMap<String, Value>>)| {
        a.insert(k, v);
    };
    match kind {
        0 => {
            let mut personal = vec![
                ("full_name", json!(p.name)),
                ("email", json!(p.email)),
                ("phone", json!(p.phone)),
                ("cpr", json!(p.nin)),
            ];
            if version >= 2 {
                personal.push(("birth_date", json!(p.birth)));
            }
            put(one("personal", personal));
            put(one(
                "address",
                vec![
                    ("street", json!(p.street)),
                    ("postal_code", json!(p.postal)),
                    ("city", json!(p.city)),
                ],
            ));
            let pep = rng.gen_bool(0.15);
            let mut pf = vec![("is_pep", json!(if pep { "yes" } else { "no" }))];
            if pep {
                pf.push((
                    "pep_details",
                    json!("Member of the municipal council (byrådsmedlem) until 2023"),
                ));
            }
            put(one("pep", pf));
            if version >= 3 {
                let funds = ["salary", "pension", "business", "inheritance"];
                put(one(
                    "funds",
                    vec![(
                        "source_of_funds",
                        json!(funds[rng.gen_range(0..funds.len())]),
                    )],
                ));
            }
        }
        1 => {
            put(one(
                "company",
                vec![
                    ("company_name", json!(p.company)),
                    ("cvr", json!(p.cvr)),
                    (
                        "company_address",
                        json!(format!("{}, {} {}", p.street, p.postal, p.city)),
                    ),
                ],
            ));
            put(one(
                "contact",
                vec![
                    ("contact_name", json!(p.name)),
                    ("contact_email", json!(p.email)),
                ],
            ));
            let n = rng.gen_range(1..=2usize);
            let mut owners = Vec::new();
            let mut left = 100;
            for i in 0..n {
                let share = if i + 1 == n {
                    left
                } else {
                    rng.gen_range(25..=75)
                };
                left -= share;
                let o = person(rng);
                owners.push(
                    [
                        (
                            "owner_name".to_string(),
                            json!(if i == 0 { p.name.clone() } else { o.name }),
                        ),
                        ("owner_share".to_string(), json!(share)),
                    ]
                    .into_iter()
                    .collect(),
                );
            }
            a.insert("owners".into(), owners);
        }
        2 => {
            put(one(
                "client",
                vec![
                    ("client_name", json!(p.name)),
                    ("client_email", json!(p.email)),
                    ("company_name", json!(p.company)),
                    ("cvr", json!(p.cvr)),
                ],
            ));
            let all = ["bookkeeping", "annual_report", "tax", "payroll"];
            let services: Vec<Value> = all
                .iter()
                .filter(|_| rng.gen_bool(0.6))
                .map(|s| json!(s))
                .collect();
            let services = if services.is_empty() {
                vec![json!("annual_report")]
            } else {
                services
            };
            put(one(
                "scope",
                vec![
                    ("services", Value::Array(services)),
                    (
                        "fee_model",
                        json!(if rng.gen_bool(0.7) { "fixed" } else { "hourly" }),
                    ),
                    (
                        "start_date",
                        json!(format!("2026-{:02}-01", rng.gen_range(1..=12))),
                    ),
                ],
            ));
        }
        3 => {
            let mut e = vec![
                ("employee_name", json!(p.name)),
                ("employee_email", json!(p.email)),
                ("employee_phone", json!(p.phone)),
                ("employee_cpr", json!(p.nin)),
                (
                    "first_day",
                    json!(format!("2026-{:02}-01", rng.gen_range(1..=12))),
                ),
            ];
            if version >= 2 {
                e.push((
                    "address",
                    json!(format!("{}, {} {}", p.street, p.postal, p.city)),
                ));
            }
            put(one("employee", e));
            put(one(
                "bank",
                vec![
                    ("reg_no", json!(format!("{}", rng.gen_range(1000..9999)))),
                    (
                        "account_no",
                        json!(format!("{}", rng.gen_range(1_000_000..99_999_999))),
                    ),
                ],
            ));
            put(one(
                "pension",
                vec![("pension_rate", json!(["4", "6", "8"][rng.gen_range(0..3)]))],
            ));
        }
        _ => {
            put(one(
                "supplier",
                vec![
                    ("contact_name", json!(p.name)),
                    ("contact_email", json!(p.email)),
                    ("supplier_name", json!(p.company)),
                    ("supplier_cvr", json!(p.cvr)),
                ],
            ));
        }
    }
    a
}

fn def_map(v: Value) -> Result<Map<String, Value>, SimError> {
    formdef::validate(&v).map_err(|e| SimError::State {
        path: "demo seed".into(),
        message: e,
    })
}

fn write_blob(s: &Shared, name: &str, bytes: &[u8]) -> Result<u64, SimError> {
    std::fs::write(s.blob_path(name), bytes)?;
    Ok(bytes.len() as u64)
}

fn seeded_uuid(rng: &mut StdRng) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    uuid::Builder::from_random_bytes(b).into_uuid().to_string()
}

/// Finish a casefile into `status` at time `at` (ms), sealing documents for status 5.
fn settle(
    s: &Shared,
    db: &mut Db,
    id: u64,
    status: u8,
    at: i64,
    rng: &mut StdRng,
) -> Result<(), SimError> {
    let Some(cf) = db.casefiles.get_mut(&id) else {
        return Ok(());
    };
    cf.created = at - 3_600_000;
    cf.activated = Some(at - 3_600_000);
    cf.updated = at;
    match status {
        cs::NEW => {
            cf.activated = None;
        }
        cs::REJECTED => {
            // The last signer rejected; with a signing order, everyone before them had signed
            // (a later step cannot act before the earlier ones are done).
            let rejecting_order = cf.signers.last().map(|sg| sg.sign_order);
            for (i, sg) in cf.signers.iter_mut().enumerate() {
                if rejecting_order.is_some_and(|o| sg.sign_order < o) {
                    sg.request_status = rq::SIGNED;
                    sg.signed_at = Some(at - 600_000 + i as i64 * 60_000);
                }
            }
            if let Some(sg) = cf.signers.last_mut() {
                sg.request_status = rq::REJECTED;
                sg.rejected_at = Some(at);
                sg.reject_reason = Some(
                    [
                        "The fee is higher than agreed",
                        "Wrong company address",
                        "Please call me first",
                    ][rng.gen_range(0..3)]
                    .into(),
                );
            }
        }
        cs::DELETED => {
            for sg in &mut cf.signers {
                sg.request_status = rq::DELETED;
            }
        }
        cs::SIGNED | cs::COMPLETED => {
            for (i, sg) in cf.signers.iter_mut().enumerate() {
                sg.request_status = rq::SIGNED;
                sg.signed_at = Some(at - 600_000 + i as i64 * 60_000);
            }
        }
        cs::EXPIRED => {
            cf.expire_at = Some(at / 1000);
            for sg in &mut cf.signers {
                sg.request_status = rq::REQUEST_OPENED;
            }
        }
        cs::FAILED | cs::ANONYMIZED => {}
        _ => {
            for sg in cf.signers.iter_mut().take(1) {
                sg.request_status = rq::OPENED;
            }
        }
    }
    cf.status = status;
    if status == cs::COMPLETED {
        cf.completed = Some(at);
        let mut lines = vec![
            format!("Casefile: {} (#{})", cf.title, cf.id),
            String::new(),
        ];
        for sg in &cf.signers {
            lines.push(format!(
                "Signed by {}{} at {}",
                sg.name,
                sg.email
                    .as_deref()
                    .map(|e| format!(" <{e}>"))
                    .unwrap_or_default(),
                sg.signed_at.map(crate::state::iso).unwrap_or_default()
            ));
        }
        lines.push(String::new());
        lines.push("Sealed by the Penneo simulator (demo data).".into());
        let docs = cf.documents.clone();
        for d in docs {
            if let Some(doc) = db.documents.get_mut(&d) {
                if !doc.signable {
                    continue;
                }
                let blob = format!("sealed-demo-{d}");
                let size = crate::pdf::seal(
                    &s.blob_path(&doc.original_blob),
                    &s.blob_path(&blob),
                    "Signature page",
                    &lines,
                )?;
                doc.sealed_blob = Some(blob);
                doc.sealed_size = Some(size);
            }
        }
    }
    Ok(())
}

/// (answer generator kind, definition + status per version, submissions per version)
type FormSpec = (usize, Vec<(Value, FormStatus)>, Vec<usize>);

/// Fill an empty state with the demo workspace.
pub fn demo(s: &Shared) -> Result<(), SimError> {
    let mut rng = StdRng::seed_from_u64(0x5EED_DE30);
    let mut db = lock(&s.db);
    let now = db.now_ms();
    let day = 86_400_000i64;
    let start = now - 120 * day;

    // (kind, definitions per version with status, submissions per version)
    let specs: Vec<FormSpec> = vec![
        (
            0,
            vec![
                (kyc_individual(1), FormStatus::Archived),
                (kyc_individual(2), FormStatus::Archived),
                (kyc_individual(3), FormStatus::Active),
            ],
            vec![3, 4, 7],
        ),
        (
            1,
            vec![
                (kyc_company(1), FormStatus::Archived),
                (kyc_company(2), FormStatus::Active),
            ],
            vec![3, 7],
        ),
        (
            2,
            vec![
                (engagement(1), FormStatus::Active),
                (engagement(2), FormStatus::Draft),
            ],
            vec![8, 0],
        ),
        (
            3,
            vec![
                (onboarding(1), FormStatus::Archived),
                (onboarding(2), FormStatus::Active),
            ],
            vec![2, 6],
        ),
        (4, vec![(bookkeeping(), FormStatus::Draft)], vec![0]),
        (
            5,
            vec![
                (supplier(1), FormStatus::Archived),
                (supplier(2), FormStatus::Archived),
            ],
            vec![2, 2],
        ),
    ];
    let mut sub_index = 0usize;
    for (fi, (kind, versions, subs)) in specs.into_iter().enumerate() {
        let form_id = format!("f_demo{:02}{}", fi + 1, &seeded_uuid(&mut rng)[..6]);
        let created = start + fi as i64 * 2 * day;
        let mut form = Form {
            id: form_id.clone(),
            versions: Vec::new(),
            created_at: created,
            updated_at: created,
        };
        for (vi, (def, status)) in versions.into_iter().enumerate() {
            let t = created + vi as i64 * 30 * day;
            form.versions.push(FormVersion {
                version: vi as u32 + 1,
                status,
                definition: def_map(def)?,
                created_at: t,
                updated_at: t + day,
            });
            form.updated_at = t + day;
        }
        db.next_form += 1;
        for (vi, count) in subs.into_iter().enumerate() {
            let version = vi as u32 + 1;
            let Some(def) = form.version(version).map(|v| v.definition.clone()) else {
                continue;
            };
            for _ in 0..count {
                sub_index += 1;
                let p = person(&mut rng);
                let raw = answers_for(kind, version, &p, &mut rng);
                let answers =
                    formdef::finalize(&def, &PrefillAnswers::new(), &raw).map_err(|e| {
                        SimError::State {
                            path: "demo seed".into(),
                            message: format!("{e:?}"),
                        }
                    })?;
                let at = (created
                    + vi as i64 * 30 * day
                    + day
                    + sub_index as i64 * 2 * day
                    + rng.gen_range(0..8 * 3_600_000))
                .min(now - 3_600_000);
                let form_name = formdef::s(&def, "name").to_string();
                let mut lines = vec![format!("Respondent: {} <{}>", p.name, p.email)];
                lines.extend(formdef::answer_lines(&def, &answers));
                let pdf = crate::pdf::text_pdf(&form_name, &lines);
                let blob = format!("demo-sub-{sub_index}.pdf");
                let size = write_blob(s, &blob, &pdf)?;
                let seq = db.next_seq;
                db.next_seq += 1;
                let sub_id = format!("{:08x}{}", seq, &seeded_uuid(&mut rng)[8..]);
                let template = formdef::s(&def, "caseFileTitleTemplate").to_string();
                let title = formdef::render_template(&template, |k| match k {
                    "formName" => Some(form_name.clone()),
                    "primarySigner.name" => Some(p.name.clone()),
                    "primarySigner.email" => Some(p.email.clone()),
                    other => formdef::field_value(&answers, other),
                });
                let cf = create_casefile(
                    &mut db,
                    CasefileSpec {
                        title,
                        language: Some("en".into()),
                        signers: vec![SignerSpec {
                            name: p.name.clone(),
                            email: Some(p.email.clone()),
                            role: Some("signer".into()),
                            sign_order: 0,
                            extra: Map::new(),
                        }],
                        docs: vec![DocSpec {
                            title: form_name.clone(),
                            filename: format!("{}.pdf", ascii_fold(&form_name)),
                            signable: true,
                            order: 0,
                            roles: vec![],
                            blob,
                            size,
                            meta_data: None,
                        }],
                        submission_id: Some(sub_id.clone()),
                        form_id: Some(form_id.clone()),
                        ..Default::default()
                    },
                    at,
                );
                let roll = rng.gen_range(0..100);
                let status = if at > now - 5 * day {
                    cs::PENDING
                } else if roll < 72 {
                    cs::COMPLETED
                } else if roll < 86 {
                    cs::PENDING
                } else if roll < 94 {
                    cs::REJECTED
                } else {
                    cs::EXPIRED
                };
                settle(s, &mut db, cf, status, at + 3_600_000, &mut rng)?;
                let request_id = if rng.gen_bool(0.6) {
                    let rid = seeded_uuid(&mut rng);
                    let mut pre = PrefillAnswers::new();
                    if let Some((slug, first)) = raw.iter().next() {
                        if let Some((k, v)) = first.first().and_then(|i| i.iter().next()) {
                            let mut inst = BTreeMap::new();
                            inst.insert(
                                k.clone(),
                                Prefill {
                                    value: v.clone(),
                                    editable: false,
                                },
                            );
                            pre.insert(slug.clone(), vec![inst]);
                        }
                    }
                    db.requests.insert(
                        rid.clone(),
                        FormRequest {
                            id: rid.clone(),
                            form_id: form_id.clone(),
                            version,
                            answers: pre,
                            created_at: at - day,
                            submission_id: Some(sub_id.clone()),
                        },
                    );
                    Some(rid)
                } else {
                    None
                };
                db.submissions.insert(
                    sub_id.clone(),
                    Submission {
                        id: sub_id,
                        form_id: form_id.clone(),
                        version,
                        request_id,
                        casefile_id: cf,
                        completed_at: at,
                        answers,
                        respondent_name: p.name,
                        respondent_email: Some(p.email),
                        hide_completed_at: false,
                    },
                );
            }
        }
        // One open prefilled request on each ACTIVE form, ready to fill in.
        if let Some(active) = form.active() {
            let rid = seeded_uuid(&mut rng);
            let p = person(&mut rng);
            let mut pre = PrefillAnswers::new();
            for sec in formdef::sections(&active.definition) {
                for f in formdef::fields(sec) {
                    let target = formdef::s(f, "mapTo");
                    let value = match target {
                        "primarySigner.name" => json!(p.name),
                        "primarySigner.email" => json!(p.email),
                        _ => continue,
                    };
                    pre.entry(formdef::s(sec, "slug").to_string())
                        .or_insert_with(|| vec![BTreeMap::new()])[0]
                        .insert(
                            formdef::s(f, "name").to_string(),
                            Prefill {
                                value,
                                editable: target.ends_with("email"),
                            },
                        );
                }
            }
            db.requests.insert(
                rid.clone(),
                FormRequest {
                    id: rid,
                    form_id: form_id.clone(),
                    version: active.version,
                    answers: pre,
                    created_at: now - day,
                    submission_id: None,
                },
            );
        }
        db.forms.insert(form_id, form);
    }

    // Casefiles sent directly through Send, one or more per status.
    let send_cases: &[(&str, u8, usize, &[&str])] = &[
        (
            "Engagement letter 2026 – {c}",
            cs::PENDING,
            2,
            &["Engagement letter", "General terms"],
        ),
        (
            "Annual report 2025 – {c}",
            cs::COMPLETED,
            3,
            &["Annual report 2025", "Management letter"],
        ),
        (
            "Board resolution – capital increase – {c}",
            cs::SIGNED,
            2,
            &["Board minutes"],
        ),
        (
            "Employment contract – {p}",
            cs::COMPLETED,
            2,
            &["Employment contract", "Staff handbook"],
        ),
        ("NDA – {c}", cs::REJECTED, 2, &["Non-disclosure agreement"]),
        (
            "Lease agreement – {c}",
            cs::DELETED,
            2,
            &["Lease agreement"],
        ),
        (
            "Power of attorney – {p}",
            cs::FAILED,
            1,
            &["Power of attorney"],
        ),
        (
            "Data processing agreement – {c}",
            cs::EXPIRED,
            2,
            &["Data processing agreement"],
        ),
        (
            "Loan agreement 2023 – {p}",
            cs::ANONYMIZED,
            2,
            &["Loan agreement"],
        ),
        (
            "Shareholders' agreement – {c}",
            cs::NEW,
            3,
            &["Shareholders' agreement"],
        ),
        (
            "Tax return authorisation – {p}",
            cs::PENDING,
            1,
            &["Authorisation SKAT"],
        ),
        (
            "Quarterly VAT statement – {c}",
            cs::COMPLETED,
            1,
            &["VAT statement Q3"],
        ),
    ];
    for (i, (title, status, nsigners, docs)) in send_cases.iter().enumerate() {
        let p = person(&mut rng);
        let title = title.replace("{c}", &p.company).replace("{p}", &p.name);
        let at = now - (40 - i as i64 * 3) * day;
        let mut signers = vec![SignerSpec {
            name: p.name.clone(),
            email: Some(p.email.clone()),
            role: Some("client".into()),
            sign_order: 0,
            extra: Map::new(),
        }];
        for k in 1..*nsigners {
            let q = person(&mut rng);
            signers.push(SignerSpec {
                name: q.name,
                email: Some(q.email),
                role: Some(if k == 1 { "partner" } else { "witness" }.into()),
                sign_order: k as i64,
                extra: Map::new(),
            });
        }
        let mut dspecs = Vec::new();
        for (di, dt) in docs.iter().enumerate() {
            let lines: Vec<String> = vec![
                format!("Parties: {} ({}) and Demo Practice", p.company, p.cvr),
                format!("Address: {}, {} {}", p.street, p.postal, p.city),
                String::new(),
                "1. Scope".into(),
                "The practice will perform the services described in the attached schedule.".into(),
                "2. Fees".into(),
                format!(
                    "The fee is DKK {} excl. VAT, invoiced quarterly.",
                    rng.gen_range(8..95) * 1000
                ),
                "3. Term".into(),
                "The agreement runs until terminated in writing with three months' notice.".into(),
            ];
            let pdf = crate::pdf::text_pdf(dt, &lines);
            let blob = format!("demo-send-{i}-{di}.pdf");
            let size = write_blob(s, &blob, &pdf)?;
            dspecs.push(DocSpec {
                title: dt.to_string(),
                filename: format!("{}.pdf", ascii_fold(dt)),
                signable: di == 0 || *status != cs::COMPLETED,
                order: di as i64,
                roles: vec![],
                blob,
                size,
                meta_data: None,
            });
        }
        let cf = create_casefile(
            &mut db,
            CasefileSpec {
                title,
                language: Some(["da", "en", "sv"][i % 3].into()),
                reference: Some(format!("CRM-{}", 4700 + i)),
                meta_data: Some(json!({"crmId": 4700 + i}).to_string()),
                send_at: if *status == cs::NEW {
                    Some(now / 1000 + 14 * 86_400)
                } else {
                    None
                },
                signers,
                docs: dspecs,
                ..Default::default()
            },
            at,
        );
        settle(s, &mut db, cf, *status, at + day, &mut rng)?;
        if *status == cs::NEW {
            if let Some(c) = db.casefiles.get_mut(&cf) {
                c.send_at = Some(now / 1000 + 14 * 86_400);
            }
        }
    }
    db.touch();
    Ok(())
}
