//! The desktop notifications' words, in the UI's language. The UI tells the backend its
//! language (`set_preferences`); a language without its own row here (Swedish, Norwegian until
//! they are translated) gets English. Kept as a small table so a translator finds every line.

use desk_core::CasefileStatus;

/// A notification as it is shown: its title and its one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The words of one language: the title, and the sentence for each notable status (`{title}`
/// is the casefile's title).
struct Words {
    completed: &'static str,
    rejected: &'static str,
    expired: &'static str,
}

const EN: Words = Words {
    completed: "“{title}” is completed: the signed documents are ready.",
    rejected: "“{title}” was rejected by a signer.",
    expired: "“{title}” expired before everyone signed.",
};

const DA: Words = Words {
    completed: "„{title}“ er underskrevet af alle: de underskrevne dokumenter er klar.",
    rejected: "„{title}“ blev afvist af en underskriver.",
    expired: "„{title}“ udløb, før alle havde underskrevet.",
};

/// The words for a BCP 47 tag (`da`, `da-DK`); English for anything without a row.
fn words(language: &str) -> &'static Words {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    if primary.eq_ignore_ascii_case("da") {
        &DA
    } else {
        &EN
    }
}

/// The notification for a casefile that reached `status`, when that status is worth one
/// (completed, rejected, expired), worded in `language`.
pub fn casefile_status(language: &str, title: &str, status: CasefileStatus) -> Option<Notice> {
    let w = words(language);
    let sentence = match status {
        CasefileStatus::Completed => w.completed,
        CasefileStatus::Rejected => w.rejected,
        CasefileStatus::Expired => w.expired,
        _ => return None,
    };
    Some(Notice {
        title: "Penneo Desk".into(),
        body: sentence.replace("{title}", title),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_by_default() {
        let n = casefile_status("en", "Engagement letter", CasefileStatus::Completed).unwrap();
        assert_eq!(n.title, "Penneo Desk");
        assert_eq!(
            n.body,
            "“Engagement letter” is completed: the signed documents are ready."
        );
        assert_eq!(
            casefile_status("en-GB", "A", CasefileStatus::Rejected)
                .unwrap()
                .body,
            "“A” was rejected by a signer."
        );
    }

    #[test]
    fn danish_when_the_ui_speaks_danish() {
        for tag in ["da", "da-DK", "DA"] {
            let n = casefile_status(tag, "Årsrapport 2026", CasefileStatus::Expired).unwrap();
            assert_eq!(
                n.body,
                "„Årsrapport 2026“ udløb, før alle havde underskrevet."
            );
        }
        assert_eq!(
            casefile_status("da", "X", CasefileStatus::Completed)
                .unwrap()
                .body,
            "„X“ er underskrevet af alle: de underskrevne dokumenter er klar."
        );
    }

    #[test]
    fn swedish_and_norwegian_fall_back_to_english() {
        for tag in ["sv", "nb", "nb-NO", "", "xx"] {
            assert_eq!(
                casefile_status(tag, "A", CasefileStatus::Rejected)
                    .unwrap()
                    .body,
                "“A” was rejected by a signer.",
                "{tag}"
            );
        }
    }

    #[test]
    fn only_the_end_of_a_casefile_is_notified() {
        assert!(casefile_status("da", "A", CasefileStatus::Pending).is_none());
        assert!(casefile_status("en", "A", CasefileStatus::New).is_none());
        for s in [
            CasefileStatus::Completed,
            CasefileStatus::Rejected,
            CasefileStatus::Expired,
        ] {
            assert!(casefile_status("da", "A", s).is_some());
        }
    }
}
