//! Collect form definitions: validation (with messages naming section and field), value
//! checks, condition evaluation and the answers object.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::state::{Answers, Prefill, PrefillAnswers};
use crate::util::valid_email;

pub const FIELD_TYPES: &[&str] = &[
    "TEXT",
    "EMAIL",
    "PHONE",
    "NUMBER",
    "DATE",
    "CHOICE",
    "NIN",
    "BUSINESS_ID",
    "FILE",
    "HTML",
];
pub const LANGUAGES: &[&str] = &["EN", "DA", "SV", "NO", "NB", "FI", "DE", "NL", "FR"];
const MAX_NAME: usize = 255;
const MAX_TEXT: usize = 5000;

fn is_field_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 64
}

fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && s.len() <= 64
}

fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-').to_string();
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

fn opt_str<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    max: usize,
    ctx: &str,
) -> Result<Option<&'a str>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s)),
        Some(Value::String(_)) => Err(format!("{ctx}'{key}' must be at most {max} characters")),
        Some(_) => Err(format!("{ctx}'{key}' must be a string")),
    }
}

fn multiple_max(m: &Map<String, Value>, ctx: &str) -> Result<Option<u64>, String> {
    match m.get("multipleEntries") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Object(o)) => match o.get("max").and_then(Value::as_u64) {
            Some(n) if (1..=100).contains(&n) => Ok(Some(n)),
            _ => Err(format!(
                "{ctx}multipleEntries.max must be an integer between 1 and 100"
            )),
        },
        Some(_) => Err(format!("{ctx}multipleEntries must be an object {{max}}")),
    }
}

fn check_condition(
    m: &Map<String, Value>,
    earlier: &BTreeSet<String>,
    ctx: &str,
) -> Result<(), String> {
    let Some(c) = m.get("condition") else {
        return Ok(());
    };
    if c.is_null() {
        return Ok(());
    }
    let rules = c
        .get("rules")
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| format!("{ctx}condition must have a non-empty 'rules' array"))?;
    for r in rules {
        let field = r
            .get("field")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{ctx}condition rule needs a 'field'"))?;
        match r.get("operator").and_then(Value::as_str) {
            Some("EQUALS") => {}
            Some(op) => {
                return Err(format!(
                    "{ctx}unknown condition operator '{op}' (supported: EQUALS)"
                ))
            }
            None => return Err(format!("{ctx}condition rule needs an 'operator'")),
        }
        if r.get("value").is_none() {
            return Err(format!("{ctx}condition rule needs a 'value'"));
        }
        if !earlier.contains(field) {
            return Err(format!(
                "{ctx}condition refers to '{field}', which is not an earlier field"
            ));
        }
    }
    Ok(())
}

/// Validate a form definition. Returns the normalised definition (derived section slugs
/// filled in) or a message naming the section and field at fault.
pub fn validate(def: &Value) -> Result<Map<String, Value>, String> {
    let Value::Object(root) = def else {
        return Err("The form definition must be a JSON object".into());
    };
    let mut root = root.clone();
    match root.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME => {}
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err("'name' must not be empty".into())
        }
        Some(Value::String(_)) => {
            return Err(format!("'name' must be at most {MAX_NAME} characters"))
        }
        _ => return Err("'name' is required and must be a string".into()),
    }
    opt_str(&root, "description", MAX_TEXT, "")?;
    opt_str(&root, "caseFileTitleTemplate", 1024, "")?;
    if let Some(lang) = opt_str(&root, "language", 10, "")? {
        if !LANGUAGES.contains(&lang.to_ascii_uppercase().as_str()) {
            return Err(format!(
                "'language' has unknown value '{lang}' (allowed: {})",
                LANGUAGES.join(", ")
            ));
        }
    }
    match root.get("additionalSignersConfig") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err("'additionalSignersConfig' must be an object".into()),
    }
    let sections = match root.get_mut("sections") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        Some(Value::Array(_)) => return Err("'sections' must contain at least one section".into()),
        _ => return Err("'sections' is required and must be an array".into()),
    };
    if sections.len() > 50 {
        return Err("A form can have at most 50 sections".into());
    }
    let mut slugs = BTreeSet::new();
    let mut names = BTreeSet::new();
    // name -> (required, unconditional)
    let mut field_info: BTreeMap<String, bool> = BTreeMap::new();
    let mut html_refs: Vec<(String, String, String)> = Vec::new();
    let mut mapped = BTreeSet::new();
    for (si, sec) in sections.iter_mut().enumerate() {
        let Value::Object(sec) = sec else {
            return Err(format!("Section #{}: must be an object", si + 1));
        };
        let title = match sec.get("title") {
            Some(Value::String(t)) if !t.trim().is_empty() && t.chars().count() <= MAX_NAME => {
                t.clone()
            }
            Some(Value::String(t)) if !t.trim().is_empty() => {
                return Err(format!(
                    "Section #{}: 'title' must be at most {MAX_NAME} characters",
                    si + 1
                ))
            }
            _ => return Err(format!("Section #{}: 'title' is required", si + 1)),
        };
        let slug = match sec.get("slug") {
            None | Some(Value::Null) => {
                let s = slugify(&title);
                sec.insert("slug".into(), Value::String(s.clone()));
                s
            }
            Some(Value::String(s)) if is_slug(s) => s.clone(),
            Some(Value::String(s)) => {
                return Err(format!(
                    "Section '{s}': slug must match ^[a-z0-9][a-z0-9_-]*$ (at most 64 characters)"
                ))
            }
            Some(_) => return Err(format!("Section #{}: 'slug' must be a string", si + 1)),
        };
        if !slugs.insert(slug.clone()) {
            return Err(format!("Section '{slug}': duplicate slug"));
        }
        let sctx = format!("Section '{slug}': ");
        opt_str(sec, "description", MAX_TEXT, &sctx)?;
        multiple_max(sec, &sctx)?;
        check_condition(sec, &names, &sctx)?;
        let section_conditional = sec.get("condition").is_some_and(|c| !c.is_null());
        let fields = match sec.get("fields") {
            Some(Value::Array(f)) if !f.is_empty() => f,
            Some(Value::Array(_)) => {
                return Err(format!("{sctx}'fields' must contain at least one field"))
            }
            _ => return Err(format!("{sctx}'fields' is required and must be an array")),
        };
        if fields.len() > 200 {
            return Err(format!("{sctx}at most 200 fields per section"));
        }
        for (fi, f) in fields.iter().enumerate() {
            let Value::Object(f) = f else {
                return Err(format!("{sctx}field #{}: must be an object", fi + 1));
            };
            let ty = match f.get("type") {
                Some(Value::String(t)) => t.as_str(),
                _ => {
                    return Err(format!(
                        "Section '{slug}', field #{}: 'type' is required",
                        fi + 1
                    ))
                }
            };
            let fname = f.get("name").and_then(Value::as_str);
            let fctx = match fname {
                Some(n) => format!("Section '{slug}', field '{n}': "),
                None => format!("Section '{slug}', field #{}: ", fi + 1),
            };
            if !FIELD_TYPES.contains(&ty) {
                return Err(format!(
                    "{fctx}unknown type '{ty}' (allowed: {})",
                    FIELD_TYPES.join(", ")
                ));
            }
            if ty == "HTML" {
                let content = match f.get("content") {
                    Some(Value::String(c)) if c.len() <= 20_000 => c,
                    Some(Value::String(_)) => return Err(format!("{fctx}'content' is too long")),
                    _ => return Err(format!("{fctx}HTML fields need a 'content' string")),
                };
                for r in template_refs(content) {
                    html_refs.push((fctx.clone(), r, String::new()));
                }
                check_condition(f, &names, &fctx)?;
                continue;
            }
            let Some(name) = fname else {
                return Err(format!("{fctx}'name' is required"));
            };
            if !is_field_name(name) {
                return Err(format!(
                    "{fctx}name must match ^[a-z][a-z0-9_]*$ (at most 64 characters)"
                ));
            }
            if names.contains(name) {
                return Err(format!("{fctx}duplicate field name"));
            }
            match f.get("label") {
                Some(Value::String(l)) if !l.trim().is_empty() && l.chars().count() <= 500 => {}
                Some(Value::String(l)) if !l.trim().is_empty() => {
                    return Err(format!("{fctx}'label' must be at most 500 characters"))
                }
                _ => return Err(format!("{fctx}'label' is required")),
            }
            let required = match f.get("required") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(format!("{fctx}'required' must be a boolean")),
            };
            multiple_max(f, &fctx)?;
            check_condition(f, &names, &fctx)?;
            let conditional = f.get("condition").is_some_and(|c| !c.is_null());
            let validations = f.get("validations").and_then(Value::as_object);
            match ty {
                "TEXT" => {
                    let min = validations.and_then(|v| v.get("minLength"));
                    let max = validations.and_then(|v| v.get("maxLength"));
                    for (k, v) in [("minLength", min), ("maxLength", max)] {
                        if let Some(v) = v {
                            if !v.is_null() && v.as_u64().is_none_or(|n| n > 100_000) {
                                return Err(format!(
                                    "{fctx}validations.{k} must be an integer 0-100000"
                                ));
                            }
                        }
                    }
                    if let (Some(a), Some(b)) =
                        (min.and_then(Value::as_u64), max.and_then(Value::as_u64))
                    {
                        if a > b {
                            return Err(format!(
                                "{fctx}validations.minLength is greater than maxLength"
                            ));
                        }
                    }
                    if let Some(m) = f.get("multiline") {
                        if !m.is_boolean() && !m.is_null() {
                            return Err(format!("{fctx}'multiline' must be a boolean"));
                        }
                    }
                }
                "NUMBER" => {
                    let min = validations.and_then(|v| v.get("min"));
                    let max = validations.and_then(|v| v.get("max"));
                    for (k, v) in [("min", min), ("max", max)] {
                        if let Some(v) = v {
                            if !v.is_null() && !v.is_number() {
                                return Err(format!("{fctx}validations.{k} must be a number"));
                            }
                        }
                    }
                    if let (Some(a), Some(b)) =
                        (min.and_then(Value::as_f64), max.and_then(Value::as_f64))
                    {
                        if a > b {
                            return Err(format!("{fctx}validations.min is greater than max"));
                        }
                    }
                }
                "CHOICE" => {
                    match f.get("layout") {
                        None | Some(Value::Null) => {}
                        Some(Value::String(l))
                            if ["RADIO", "SELECT", "CHECKBOX"].contains(&l.as_str()) => {}
                        Some(Value::String(l)) => {
                            return Err(format!(
                                "{fctx}unknown layout '{l}' (allowed: RADIO, SELECT, CHECKBOX)"
                            ))
                        }
                        Some(_) => return Err(format!("{fctx}'layout' must be a string")),
                    }
                    let opts = f
                        .get("options")
                        .and_then(Value::as_array)
                        .filter(|o| !o.is_empty())
                        .ok_or_else(|| {
                            format!("{fctx}CHOICE fields need a non-empty 'options' array")
                        })?;
                    let mut seen = BTreeSet::new();
                    for (oi, o) in opts.iter().enumerate() {
                        let label = o.get("label").and_then(Value::as_str);
                        let value = o.get("value").and_then(Value::as_str);
                        match (label, value) {
                            (Some(l), Some(v)) if !l.is_empty() && !v.is_empty() => {
                                if !seen.insert(v.to_string()) {
                                    return Err(format!("{fctx}duplicate option value '{v}'"));
                                }
                            }
                            _ => {
                                return Err(format!(
                                    "{fctx}option #{} needs a non-empty 'label' and 'value'",
                                    oi + 1
                                ))
                            }
                        }
                    }
                }
                "PHONE" => {
                    for key in ["countryCodes", "countryOptions"] {
                        match f.get(key) {
                            None | Some(Value::Null) => {}
                            Some(Value::Array(a)) => {
                                for c in a {
                                    let ok = c.as_str().is_some_and(|c| {
                                        c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase())
                                    });
                                    if !ok {
                                        return Err(format!(
                                            "{fctx}{key} must hold ISO country codes like \"DK\""
                                        ));
                                    }
                                }
                            }
                            Some(_) => return Err(format!("{fctx}{key} must be an array")),
                        }
                    }
                }
                _ => {}
            }
            match f.get("mapTo") {
                None | Some(Value::Null) => {}
                Some(Value::String(m)) => {
                    match m.as_str() {
                        "primarySigner.name" => {
                            if ty != "TEXT" {
                                return Err(format!("{fctx}mapTo primarySigner.name requires a TEXT field"));
                            }
                        }
                        "primarySigner.email" => {
                            if ty != "EMAIL" {
                                return Err(format!("{fctx}mapTo primarySigner.email requires an EMAIL field"));
                            }
                        }
                        other => {
                            return Err(format!(
                                "{fctx}unknown mapTo '{other}' (allowed: primarySigner.name, primarySigner.email)"
                            ))
                        }
                    }
                    if !mapped.insert(m.clone()) {
                        return Err(format!(
                            "{fctx}mapTo '{m}' is already used by another field"
                        ));
                    }
                }
                Some(_) => return Err(format!("{fctx}'mapTo' must be a string")),
            }
            names.insert(name.to_string());
            field_info.insert(
                name.to_string(),
                required && !conditional && !section_conditional,
            );
        }
    }
    for (fctx, r, _) in html_refs {
        match field_info.get(&r) {
            None => return Err(format!("{fctx}content refers to unknown field '{{{{{r}}}}}'")),
            Some(false) => {
                return Err(format!(
                    "{fctx}content refers to '{{{{{r}}}}}', which must be a required, unconditional field"
                ))
            }
            Some(true) => {}
        }
    }
    Ok(root)
}

/// `{{name}}` references in a template.
pub fn template_refs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                out.push(after[..j].trim().to_string());
                rest = &after[j + 2..];
            }
            None => break,
        }
    }
    out
}

/// Replace `{{key}}` references using `lookup`.
pub fn render_template(s: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                let key = after[..j].trim();
                out.push_str(&lookup(key).unwrap_or_default());
                rest = &after[j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Sections of a (validated) definition.
pub fn sections(def: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    def.get("sections")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

pub fn fields(sec: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    sec.get("fields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

pub fn s<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

pub fn section_max(sec: &Map<String, Value>) -> Option<u64> {
    sec.get("multipleEntries")
        .and_then(|m| m.get("max"))
        .and_then(Value::as_u64)
}

pub fn is_multi_value(f: &Map<String, Value>) -> bool {
    f.get("multipleEntries").is_some_and(|m| m.is_object())
        || (s(f, "type") == "CHOICE" && s(f, "layout") == "CHECKBOX")
}

fn valid_date(s: &str) -> bool {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).is_ok()
}

/// Check and normalise one scalar value for a field.
fn check_scalar(f: &Map<String, Value>, v: &Value) -> Result<Value, String> {
    let ty = s(f, "type");
    if ty == "FILE" {
        // Uploaded through the fill-in page: {fileId, filename, size, contentType}.
        let ok = v
            .get("fileId")
            .and_then(Value::as_str)
            .is_some_and(is_file_id)
            && v.get("filename")
                .and_then(Value::as_str)
                .is_some_and(|f| !f.is_empty());
        return if ok {
            Ok(v.clone())
        } else {
            Err("FILE answers must be uploaded through the form page".into())
        };
    }
    let text = match v {
        Value::String(t) => t.trim().to_string(),
        Value::Number(n) if ty == "NUMBER" => {
            return check_number(f, n.as_f64().unwrap_or(f64::NAN), v.clone())
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Err("must be a string".into()),
    };
    if text.chars().count() > 10_000 {
        return Err("is too long (at most 10000 characters)".into());
    }
    let validations = f.get("validations").and_then(Value::as_object);
    match ty {
        "TEXT" => {
            let len = text.chars().count() as u64;
            if let Some(min) = validations
                .and_then(|v| v.get("minLength"))
                .and_then(Value::as_u64)
            {
                if len < min {
                    return Err(format!("must be at least {min} characters"));
                }
            }
            if let Some(max) = validations
                .and_then(|v| v.get("maxLength"))
                .and_then(Value::as_u64)
            {
                if len > max {
                    return Err(format!("must be at most {max} characters"));
                }
            }
        }
        "EMAIL" => {
            if !valid_email(&text) {
                return Err(format!("'{text}' is not a valid e-mail address"));
            }
        }
        "PHONE" => {
            let digits = text.chars().filter(char::is_ascii_digit).count();
            let ok = text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
            if !ok || !(6..=20).contains(&digits) {
                return Err(format!("'{text}' is not a valid phone number"));
            }
        }
        "NUMBER" => {
            let n: f64 = text
                .replace(',', ".")
                .parse()
                .map_err(|_| format!("'{text}' is not a number"))?;
            let json_n = serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| format!("'{text}' is not a number"))?;
            let json_n = if n.fract() == 0.0 && n.abs() < 9e15 {
                json!(n as i64)
            } else {
                json_n
            };
            return check_number(f, n, json_n);
        }
        "DATE" => {
            if !valid_date(&text) {
                return Err(format!("'{text}' is not a date (YYYY-MM-DD)"));
            }
        }
        "CHOICE" => {
            let ok = f.get("options").and_then(Value::as_array).is_some_and(|o| {
                o.iter()
                    .any(|o| o.get("value").and_then(Value::as_str) == Some(text.as_str()))
            });
            if !ok {
                return Err(format!("'{text}' is not one of the options"));
            }
        }
        "NIN" => {
            let ok = (6..=20).contains(&text.len())
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
            if !ok {
                return Err(format!(
                    "'{text}' is not a valid national identification number"
                ));
            }
        }
        "BUSINESS_ID" => {
            let ok = (4..=20).contains(&text.len())
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
            if !ok {
                return Err(format!("'{text}' is not a valid business id"));
            }
        }
        _ => return Err("this field takes no answer".into()),
    }
    Ok(Value::String(text))
}

fn check_number(f: &Map<String, Value>, n: f64, v: Value) -> Result<Value, String> {
    if !n.is_finite() {
        return Err("is not a number".into());
    }
    let validations = f.get("validations").and_then(Value::as_object);
    if let Some(min) = validations
        .and_then(|v| v.get("min"))
        .and_then(Value::as_f64)
    {
        if n < min {
            return Err(format!("must be at least {min}"));
        }
    }
    if let Some(max) = validations
        .and_then(|v| v.get("max"))
        .and_then(Value::as_f64)
    {
        if n > max {
            return Err(format!("must be at most {max}"));
        }
    }
    Ok(v)
}

/// Ids of uploaded answer files: `file-` + a UUID.
pub fn is_file_id(id: &str) -> bool {
    id.strip_prefix("file-")
        .is_some_and(|u| uuid::Uuid::parse_str(u).is_ok())
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(is_blank),
        _ => false,
    }
}

/// Check a value (scalar or list) for a field; blank gives `Ok(None)`.
pub fn check_value(f: &Map<String, Value>, v: &Value) -> Result<Option<Value>, String> {
    if is_blank(v) {
        return Ok(None);
    }
    if is_multi_value(f) {
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().filter(|x| !is_blank(x)).collect(),
            other => vec![other],
        };
        let max = f
            .get("multipleEntries")
            .and_then(|m| m.get("max"))
            .and_then(Value::as_u64);
        if let Some(max) = max {
            if items.len() as u64 > max {
                return Err(format!("takes at most {max} entries"));
            }
        }
        let mut out = Vec::new();
        for i in items {
            out.push(check_scalar(f, i)?);
        }
        Ok(Some(Value::Array(out)))
    } else {
        match v {
            Value::Array(a) if a.len() == 1 => check_scalar(f, &a[0]).map(Some),
            Value::Array(_) => Err("takes a single value".into()),
            other => check_scalar(f, other).map(Some),
        }
    }
}

fn value_matches(v: Option<&Value>, expected: &Value) -> bool {
    let exp = crate::util::value_text(expected);
    match v {
        Some(Value::Array(a)) => a.iter().any(|x| crate::util::value_text(x) == exp),
        Some(x) => crate::util::value_text(x) == exp,
        None => false,
    }
}

/// Evaluate a condition against the answers collected so far (`current` = the instance of the
/// section being evaluated, consulted first).
pub fn condition_holds(
    m: &Map<String, Value>,
    current: &BTreeMap<String, Value>,
    all: &Answers,
) -> bool {
    let Some(rules) = m
        .get("condition")
        .and_then(|c| c.get("rules"))
        .and_then(Value::as_array)
    else {
        return true;
    };
    rules.iter().all(|r| {
        let field = r.get("field").and_then(Value::as_str).unwrap_or("");
        let expected = r.get("value").cloned().unwrap_or(Value::Null);
        let v = current.get(field).or_else(|| {
            all.values()
                .filter_map(|inst| inst.first())
                .find_map(|i| i.get(field))
        });
        value_matches(v, &expected)
    })
}

/// Validate prefill answers `{slug: [{field: {value, editable}}]}` against a definition.
pub fn validate_prefill(
    def: &Map<String, Value>,
    answers: &Value,
) -> Result<PrefillAnswers, String> {
    let Some(obj) = answers.as_object() else {
        return Err("'answers' must be an object keyed by section slug".into());
    };
    let secs = sections(def);
    let mut out = PrefillAnswers::new();
    for (slug, instances) in obj {
        let Some(sec) = secs.iter().find(|s2| s(s2, "slug") == slug) else {
            return Err(format!("Unknown section '{slug}'"));
        };
        let list: Vec<&Value> = match instances {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![instances],
            _ => {
                return Err(format!(
                    "Section '{slug}': answers must be an array of instances"
                ))
            }
        };
        let max = section_max(sec).unwrap_or(1);
        if list.len() as u64 > max {
            return Err(format!(
                "Section '{slug}': at most {max} instance(s) allowed, got {}",
                list.len()
            ));
        }
        let fields = fields(sec);
        let mut insts = Vec::new();
        for inst in list {
            let Some(inst) = inst.as_object() else {
                return Err(format!("Section '{slug}': each instance must be an object"));
            };
            let mut m = BTreeMap::new();
            for (fname, pv) in inst {
                let Some(f) = fields
                    .iter()
                    .find(|f| s(f, "name") == fname && s(f, "type") != "HTML")
                else {
                    return Err(format!("Section '{slug}': unknown field '{fname}'"));
                };
                let (value, editable) = match pv {
                    Value::Object(o) if o.contains_key("value") || o.contains_key("editable") => {
                        let editable = match o.get("editable") {
                            None | Some(Value::Null) => true,
                            Some(Value::Bool(b)) => *b,
                            Some(_) => {
                                return Err(format!(
                                "Section '{slug}', field '{fname}': 'editable' must be a boolean"
                            ))
                            }
                        };
                        (o.get("value").cloned().unwrap_or(Value::Null), editable)
                    }
                    other => (other.clone(), true),
                };
                let checked = check_value(f, &value)
                    .map_err(|e| format!("Section '{slug}', field '{fname}': {e}"))?;
                m.insert(
                    fname.clone(),
                    Prefill {
                        value: checked.unwrap_or(Value::Null),
                        editable,
                    },
                );
            }
            insts.push(m);
        }
        out.insert(slug.clone(), insts);
    }
    Ok(out)
}

/// Convert a v1 flat prefill body `{field: {value, editable}}` into the v2 shape.
pub fn flat_to_sections(def: &Map<String, Value>, answers: &Value) -> Result<Value, String> {
    let Some(obj) = answers.as_object() else {
        return Err("'answers' must be an object keyed by field name".into());
    };
    let mut out: Map<String, Value> = Map::new();
    for (fname, v) in obj {
        let slug = sections(def)
            .into_iter()
            .find(|sec| fields(sec).iter().any(|f| s(f, "name") == fname))
            .map(|sec| s(sec, "slug").to_string())
            .ok_or_else(|| format!("Unknown field '{fname}'"))?;
        let entry = out.entry(slug).or_insert_with(|| json!([{}]));
        if let Some(first) = entry.get_mut(0).and_then(Value::as_object_mut) {
            first.insert(fname.clone(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

/// Raw submitted answers: slug → instances → field → value (strings or arrays).
pub type RawAnswers = BTreeMap<String, Vec<BTreeMap<String, Value>>>;

/// Merge prefill and submitted answers, apply conditions, check values and requiredness.
/// Errors are `(key, message)` with key `slug.index.field`.
pub fn finalize(
    def: &Map<String, Value>,
    prefill: &PrefillAnswers,
    raw: &RawAnswers,
) -> Result<Answers, Vec<(String, String)>> {
    let mut out = Answers::new();
    let mut errors = Vec::new();
    for sec in sections(def) {
        let slug = s(sec, "slug").to_string();
        let empty_cur = BTreeMap::new();
        if !condition_holds(sec, &empty_cur, &out) {
            continue;
        }
        let max = section_max(sec).unwrap_or(1) as usize;
        let pre = prefill.get(&slug).cloned().unwrap_or_default();
        let given = raw.get(&slug).cloned().unwrap_or_default();
        let count = pre.len().max(given.len()).clamp(1, max.max(1));
        if given.len() > max {
            errors.push((
                slug.clone(),
                format!("Section '{slug}': at most {max} instance(s)"),
            ));
        }
        let mut instances = Vec::new();
        for i in 0..count {
            let p = pre.get(i).cloned().unwrap_or_default();
            let g = given.get(i).cloned().unwrap_or_default();
            let mut inst: BTreeMap<String, Value> = BTreeMap::new();
            let mut inst_errors = Vec::new();
            for f in fields(sec) {
                if s(f, "type") == "HTML" {
                    continue;
                }
                let name = s(f, "name").to_string();
                let key = format!("{slug}.{i}.{name}");
                if !condition_holds(f, &inst, &out) {
                    continue;
                }
                let locked = p.get(&name).filter(|pv| !pv.editable);
                let value = match (locked, g.get(&name)) {
                    (Some(pv), Some(gv)) => {
                        let checked = check_value(f, gv).ok().flatten();
                        if checked.as_ref() != Some(&pv.value)
                            && !(checked.is_none() && pv.value.is_null())
                        {
                            inst_errors.push((key.clone(), format!("Section '{slug}', field '{name}': is locked and cannot be changed")));
                        }
                        pv.value.clone()
                    }
                    (Some(pv), None) => pv.value.clone(),
                    (None, Some(gv)) => gv.clone(),
                    (None, None) => p
                        .get(&name)
                        .map(|pv| pv.value.clone())
                        .unwrap_or(Value::Null),
                };
                match check_value(f, &value) {
                    Ok(Some(v)) => {
                        inst.insert(name, v);
                    }
                    Ok(None) => {
                        if f.get("required").and_then(Value::as_bool).unwrap_or(false) {
                            inst_errors.push((
                                key,
                                format!("Section '{slug}', field '{name}': is required"),
                            ));
                        }
                    }
                    Err(e) => {
                        inst_errors.push((key, format!("Section '{slug}', field '{name}': {e}")))
                    }
                }
            }
            // Extra instances the respondent left completely empty are dropped.
            if i > 0 && inst.is_empty() && p.is_empty() {
                continue;
            }
            errors.extend(inst_errors);
            instances.push(inst);
        }
        out.insert(slug, instances);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Find the value mapped to `primarySigner.<what>`.
pub fn mapped_value(def: &Map<String, Value>, answers: &Answers, target: &str) -> Option<String> {
    for sec in sections(def) {
        for f in fields(sec) {
            if s(f, "mapTo") == target {
                let v = answers
                    .get(s(sec, "slug"))
                    .and_then(|i| i.first())
                    .and_then(|i| i.get(s(f, "name")))?;
                return Some(crate::util::value_text(v));
            }
        }
    }
    None
}

/// Look up the first value of a field by name.
pub fn field_value(answers: &Answers, name: &str) -> Option<String> {
    answers
        .values()
        .filter_map(|i| i.first())
        .find_map(|i| i.get(name))
        .map(crate::util::value_text)
}

fn answer_entry(f: &Map<String, Value>, v: &Value) -> Value {
    let mut e = json!({"name": s(f, "name"), "label": s(f, "label"), "type": s(f, "type")});
    if is_multi_value(f) {
        e["values"] = match v {
            Value::Array(_) => v.clone(),
            other => json!([other]),
        };
    } else {
        e["value"] = v.clone();
    }
    e
}

/// The answers object for a submission.
pub fn answers_object(
    def: &Map<String, Value>,
    submission_id: &str,
    form_id: &str,
    version: u32,
    respondent: Value,
    answers: &Answers,
) -> Value {
    let mut out_secs = Vec::new();
    for sec in sections(def) {
        let slug = s(sec, "slug");
        let Some(insts) = answers.get(slug) else {
            continue;
        };
        let multiple = section_max(sec).is_some();
        let render = |inst: &BTreeMap<String, Value>| -> Vec<Value> {
            fields(sec)
                .into_iter()
                .filter(|f| s(f, "type") != "HTML")
                .filter_map(|f| inst.get(s(f, "name")).map(|v| answer_entry(f, v)))
                .collect()
        };
        if multiple {
            let instances: Vec<Value> = insts
                .iter()
                .map(|i| json!({"answers": render(i)}))
                .collect();
            out_secs.push(json!({"slug": slug, "title": s(sec, "title"), "multipleEntries": true, "instances": instances}));
        } else {
            let answers = insts.first().map(&render).unwrap_or_default();
            out_secs.push(json!({"slug": slug, "title": s(sec, "title"), "multipleEntries": false, "answers": answers}));
        }
    }
    json!({
        "submissionId": submission_id,
        "formId": form_id,
        "version": version,
        "respondents": [respondent],
        "sections": out_secs,
    })
}

/// Lines describing the answers, for the generated PDF.
pub fn answer_lines(def: &Map<String, Value>, answers: &Answers) -> Vec<String> {
    let mut lines = Vec::new();
    for sec in sections(def) {
        let Some(insts) = answers.get(s(sec, "slug")) else {
            continue;
        };
        lines.push(String::new());
        lines.push(s(sec, "title").to_uppercase());
        for (i, inst) in insts.iter().enumerate() {
            if insts.len() > 1 {
                lines.push(format!("  Entry {}", i + 1));
            }
            for f in fields(sec) {
                if let Some(v) = inst.get(s(f, "name")) {
                    lines.push(format!(
                        "  {}: {}",
                        s(f, "label"),
                        crate::util::value_text(v)
                    ));
                }
            }
        }
    }
    lines
}
