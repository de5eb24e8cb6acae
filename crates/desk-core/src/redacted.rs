//! The redacting secret type is the client's own (`penneo::Secret`): `Debug` and `Display`
//! print `***`, the value is reachable only through `expose()`.

pub use penneo::Secret;

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
}
