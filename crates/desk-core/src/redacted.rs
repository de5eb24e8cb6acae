//! The redacting secret type is the client's own (`penneo::Secret`): `Debug` and `Display`
//! print `***`, the value is reachable only through `expose()`.
//!
//! [`redact_log_line`] is what every line of the log file goes through before it is written,
//! with the rules of the API recording (`diagnostics`): a secret becomes `<redacted:N chars>`,
//! an e-mail address `xxxx@example.invalid`, a URL keeps its host and endpoint but not its
//! tokens or query values.

pub use penneo::Secret;

use crate::diagnostics::{is_secret_key, looks_like_email, mask_email, redact_url, redacted};

/// One log line with secrets and personal data taken out: `key=value` (and `key: value`) pairs
/// whose key names a secret, the word after `Bearer`/`Basic`, URLs (through the recording's
/// URL rule), e-mail addresses, Danish CPR numbers, anything that looks like an opaque token
/// (20+ characters of letters and digits mixed, not a UUID), and the user's home folder
/// (`~`, so paths keep their shape without the user's login name).
pub fn redact_log_line(line: &str) -> String {
    redact_line_with_home(line, home_dir().as_deref())
}

fn home_dir() -> Option<String> {
    let h = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })?;
    let h = h.to_string_lossy().into_owned();
    // A home of "/" or "" would turn every path into "~".
    (h.len() > 1).then_some(h)
}

fn redact_line_with_home(line: &str, home: Option<&str>) -> String {
    let line = match home {
        Some(h) => line.replace(h, "~"),
        None => line.to_string(),
    };
    let mut out = String::with_capacity(line.len());
    let mut redact_next = false;
    for word in line.split_inclusive(char::is_whitespace) {
        let body = word.trim_end();
        let tail = &word[body.len()..];
        if body.is_empty() {
            out.push_str(word);
            continue;
        }
        if redact_next {
            let (lead, core, trail) = split_punct(body);
            out.push_str(lead);
            out.push_str(&redacted(core));
            out.push_str(trail);
            out.push_str(tail);
            redact_next = false;
            continue;
        }
        let (lead, core, trail) = split_punct(body);
        let folded = core.to_ascii_lowercase();
        let folded = folded.trim_end_matches(':');
        if matches!(folded, "bearer" | "basic") {
            redact_next = true;
            out.push_str(word);
            continue;
        }
        // `key: value` with a secret key: the next word is its value.
        if core.ends_with(':') && core.len() > 1 && is_secret_key(folded) {
            redact_next = true;
            out.push_str(word);
            continue;
        }
        out.push_str(lead);
        out.push_str(&redact_word(core));
        out.push_str(trail);
        out.push_str(tail);
    }
    out
}

/// Quotes, brackets and trailing commas around a word, kept as they are.
fn split_punct(w: &str) -> (&str, &str, &str) {
    let is_p = |c: char| {
        matches!(
            c,
            '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | ',' | ';' | '`'
        )
    };
    let core = w.trim_start_matches(is_p);
    let lead = &w[..w.len() - core.len()];
    let core2 = core.trim_end_matches(is_p);
    let trail = &core[core2.len()..];
    (lead, core2, trail)
}

fn redact_word(w: &str) -> String {
    if w.is_empty() {
        return String::new();
    }
    // `key=value` (tracing's fields, query strings): by the key, then the value on its own.
    if let Some((k, v)) = w.split_once('=') {
        if !k.is_empty()
            && !k.contains("://")
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            let v_core = v.trim_matches(|c| c == '"' || c == '\'');
            if is_secret_key(k) && !v_core.is_empty() {
                return format!("{k}={}", redacted(v_core));
            }
            let (lead, core, trail) = split_punct(v);
            return format!("{k}={lead}{}{trail}", redact_word(core));
        }
    }
    if let Some(at) = w.find("://") {
        let start = w[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'))
            .map_or(0, |i| i + 1);
        return format!("{}{}", &w[..start], redact_url(&w[start..]));
    }
    if looks_like_email(w) {
        return mask_email(w);
    }
    if is_cpr(w) {
        return "000000-0000".to_string();
    }
    if looks_like_token(w) {
        return redacted(w);
    }
    w.to_string()
}

/// `ddmmyy-nnnn` or ten digits: a Danish personal identity number.
fn is_cpr(w: &str) -> bool {
    let b = w.as_bytes();
    (b.len() == 11 && b[6] == b'-' && b[..6].iter().chain(&b[7..]).all(u8::is_ascii_digit))
        || (b.len() == 10 && b.iter().all(u8::is_ascii_digit))
}

/// An opaque credential: 20+ characters of a token alphabet with letters and digits mixed,
/// not a UUID (ids stay readable) and not a path.
fn looks_like_token(w: &str) -> bool {
    if w.chars().count() < 20 || w.starts_with('/') || w.starts_with('~') {
        return false;
    }
    if !w
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '='))
    {
        return false;
    }
    if uuid::Uuid::parse_str(w).is_ok() {
        return false;
    }
    w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2-very-secret");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-very-secret");
        let wrapped = Some(s);
        assert!(!format!("{wrapped:?}").contains("hunter2"));
    }

    fn r(s: &str) -> String {
        redact_line_with_home(s, Some("/home/alice"))
    }

    #[test]
    fn log_lines_lose_secrets_and_personal_data() {
        let line = r(
            "token refreshed access_token=eyJhbGciOiJIUzI1NiJ9abc123 refresh_token=\"r-9f8e7d6c\" account=3f2b8c1e-1111-4222-8333-444455556666",
        );
        assert!(!line.contains("eyJhbG"), "{line}");
        assert!(!line.contains("r-9f8e7d6c"), "{line}");
        assert!(line.contains("access_token=<redacted:"), "{line}");
        assert!(
            line.contains("3f2b8c1e-1111-4222-8333-444455556666"),
            "ids stay: {line}"
        );

        let line = r("header Authorization: Bearer abcdefghij0123456789xyz sent");
        assert!(!line.contains("abcdefghij"), "{line}");
        assert!(line.ends_with(" sent"), "{line}");

        let line = r("signer anne.hansen@firma.dk (CPR 010203-1234) added");
        assert!(!line.contains("anne.hansen"), "{line}");
        assert!(!line.contains("firma.dk"), "{line}");
        assert!(!line.contains("010203-1234"), "{line}");
        assert!(line.contains("@example.invalid"), "{line}");

        let line = r("GET https://app.penneo.com/api/v3/casefiles?code=s3cretcode&limit=10 failed");
        assert!(!line.contains("s3cretcode"), "{line}");
        assert!(line.contains("app.penneo.com/api/v3/casefiles"), "{line}");

        let line = r("saved /home/alice/Documents/contract.pdf");
        assert_eq!(line, "saved ~/Documents/contract.pdf");

        let line = r("opaque 9Zk3Lq8Vw2Xr7Ty6Un5Mp4 here client_secret: hunter2");
        assert!(!line.contains("9Zk3Lq8Vw2Xr7Ty6Un5Mp4"), "{line}");
        assert!(!line.contains("hunter2"), "{line}");
    }

    #[test]
    fn plain_log_lines_stay_readable() {
        let plain = "sync finished: 12 forms, 44 submissions in 1.2s (casefile 4711 completed)";
        assert_eq!(r(plain), plain);
        assert_eq!(
            r("state=signed_in kind=keychain"),
            "state=<redacted:9 chars> kind=keychain"
        );
    }
}
