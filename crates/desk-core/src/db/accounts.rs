//! Accounts (never their secrets) and app settings.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{DeskError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Environment {
    Demo,
    Sandbox,
    Production,
    Custom,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Demo => "demo",
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom => "custom",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "demo" => Environment::Demo,
            "sandbox" => Environment::Sandbox,
            "production" => Environment::Production,
            "custom" => Environment::Custom,
            other => return Err(DeskError::Internal(format!("unknown environment {other}"))),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum AuthKind {
    #[serde(rename = "oauth")]
    OAuth,
    ApiKey,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::OAuth => "oauth",
            AuthKind::ApiKey => "api_key",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "oauth" => AuthKind::OAuth,
            "api_key" => AuthKind::ApiKey,
            other => return Err(DeskError::Internal(format!("unknown auth kind {other}"))),
        })
    }
}

/// An account as stored: hosts, identifiers, who signed in. No secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Account {
    pub id: String,
    pub label: String,
    pub environment: Environment,
    pub oauth_host: String,
    pub api_host: String,
    pub auth_kind: AuthKind,
    pub client_id: Option<String>,
    pub api_key: Option<String>,
    pub redirect_port: Option<u16>,
    /// Host name of the redirect URI (`127.0.0.1` unless the account chose `localhost`).
    pub redirect_host: crate::signin::RedirectHost,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub is_active: bool,
    pub created_at: String,
    pub last_signed_in_at: Option<String>,
}

const COLS: &str = "id, label, environment, oauth_host, api_host, auth_kind, client_id, api_key, \
    redirect_port, user_name, user_email, is_active, created_at, last_signed_in_at, redirect_host";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(Account, String, String)> {
    Ok((
        Account {
            id: r.get(0)?,
            label: r.get(1)?,
            environment: Environment::Demo,
            oauth_host: r.get(3)?,
            api_host: r.get(4)?,
            auth_kind: AuthKind::OAuth,
            client_id: r.get(6)?,
            api_key: r.get(7)?,
            redirect_port: r.get(8)?,
            redirect_host: crate::signin::RedirectHost::parse(
                r.get::<_, Option<String>>(14)?.as_deref(),
            ),
            user_name: r.get(9)?,
            user_email: r.get(10)?,
            is_active: r.get(11)?,
            created_at: r.get(12)?,
            last_signed_in_at: r.get(13)?,
        },
        r.get(2)?,
        r.get(5)?,
    ))
}

fn finish((mut a, env, kind): (Account, String, String)) -> Result<Account> {
    a.environment = Environment::parse(&env)?;
    a.auth_kind = AuthKind::parse(&kind)?;
    Ok(a)
}

pub fn insert(c: &Connection, a: &Account) -> Result<()> {
    c.execute(
        &format!(
            "INSERT INTO accounts ({COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"
        ),
        params![
            a.id,
            a.label,
            a.environment.as_str(),
            a.oauth_host,
            a.api_host,
            a.auth_kind.as_str(),
            a.client_id,
            a.api_key,
            a.redirect_port,
            a.user_name,
            a.user_email,
            false,
            a.created_at,
            a.last_signed_in_at,
            a.redirect_host.as_str()
        ],
    )?;
    Ok(())
}

pub fn update(c: &Connection, a: &Account) -> Result<()> {
    let n = c.execute(
        "UPDATE accounts SET label=?2, oauth_host=?3, api_host=?4, client_id=?5, api_key=?6, \
         redirect_port=?7, user_name=?8, user_email=?9, last_signed_in_at=?10, redirect_host=?11 \
         WHERE id=?1",
        params![
            a.id,
            a.label,
            a.oauth_host,
            a.api_host,
            a.client_id,
            a.api_key,
            a.redirect_port,
            a.user_name,
            a.user_email,
            a.last_signed_in_at,
            a.redirect_host.as_str()
        ],
    )?;
    if n == 0 {
        return Err(DeskError::NotFound("That account no longer exists".into()));
    }
    Ok(())
}

pub fn get(c: &Connection, id: &str) -> Result<Option<Account>> {
    c.query_row(
        &format!("SELECT {COLS} FROM accounts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .map(finish)
    .transpose()
}

pub fn list(c: &Connection) -> Result<Vec<Account>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM accounts ORDER BY created_at, id"
    ))?;
    let rows = st.query_map([], from_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(finish(r?)?);
    }
    Ok(out)
}

pub fn active(c: &Connection) -> Result<Option<Account>> {
    c.query_row(
        &format!("SELECT {COLS} FROM accounts WHERE is_active = 1"),
        [],
        from_row,
    )
    .optional()?
    .map(finish)
    .transpose()
}

pub fn set_active(c: &mut Connection, id: &str) -> Result<()> {
    let tx = c.transaction()?;
    tx.execute("UPDATE accounts SET is_active = 0 WHERE is_active = 1", [])?;
    let n = tx.execute("UPDATE accounts SET is_active = 1 WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(DeskError::NotFound("That account no longer exists".into()));
    }
    tx.commit()?;
    Ok(())
}

/// Remove the account and everything cached for it.
pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute("DELETE FROM accounts WHERE id = ?1", [id])?;
    Ok(())
}

pub fn get_setting(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

pub fn set_setting(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
pub(crate) fn sample(id: &str) -> Account {
    Account {
        id: id.to_string(),
        label: format!("Account {id}"),
        environment: Environment::Custom,
        oauth_host: "http://127.0.0.1:1".into(),
        api_host: "http://127.0.0.1:1".into(),
        auth_kind: AuthKind::OAuth,
        client_id: Some("client".into()),
        api_key: None,
        redirect_port: Some(8765),
        redirect_host: crate::signin::RedirectHost::Loopback,
        user_name: None,
        user_email: None,
        is_active: false,
        created_at: crate::db::now(),
        last_signed_in_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_util::open_temp;

    #[test]
    fn one_active_account() {
        let (_d, db) = open_temp();
        db.call_blocking(|c| {
            insert(c, &sample("a"))?;
            insert(c, &sample("b"))?;
            assert!(active(c)?.is_none());
            set_active(c, "a")?;
            assert_eq!(active(c)?.unwrap().id, "a");
            set_active(c, "b")?;
            assert_eq!(active(c)?.unwrap().id, "b");
            let all = list(c)?;
            assert_eq!(all.iter().filter(|a| a.is_active).count(), 1);
            assert_eq!(
                set_active(c, "zzz").unwrap_err().code(),
                crate::ErrorCode::NotFound
            );
            // The failed switch did not leave the app without an active account.
            assert_eq!(active(c)?.unwrap().id, "b");
            let mut b = get(c, "b")?.unwrap();
            b.user_email = Some("x@example.com".into());
            update(c, &b)?;
            assert_eq!(
                get(c, "b")?.unwrap().user_email.as_deref(),
                Some("x@example.com")
            );
            delete(c, "b")?;
            assert!(get(c, "b")?.is_none());
            set_setting(c, "k", "1")?;
            set_setting(c, "k", "2")?;
            assert_eq!(get_setting(c, "k")?.as_deref(), Some("2"));
            Ok(())
        })
        .unwrap();
    }
}
