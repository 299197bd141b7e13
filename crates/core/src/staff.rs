//! Staff accounts: analysts review and publish; admins also manage accounts and settings.

use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD: usize = 12;
/// Longer passwords are rejected before hashing so that a huge input cannot cost hashing time.
pub const MAX_PASSWORD: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Analyst,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: String,
    pub username: String,
    pub role: Role,
    /// PHC string of an Argon2id hash.
    #[serde(skip_serializing)]
    pub password_hash: String,
    /// `YYYY-MM-DD`.
    pub created_on: String,
}

/// Checks a username: 3 to 64 characters of lowercase letters, digits, '.', '_' or '-'.
pub fn validate_username(username: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
    if !(3..=64).contains(&username.len()) || !username.chars().all(allowed) {
        return Err(format!(
            "invalid username {username:?}: use 3 to 64 lowercase letters, digits, '.', '_' or '-'"
        ));
    }
    Ok(())
}

/// Checks a password's length before it is hashed.
pub fn validate_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(format!(
            "password too short: {length} characters, at least {MIN_PASSWORD} required"
        ));
    }
    if password.len() > MAX_PASSWORD {
        return Err(format!("password too long: the limit is {MAX_PASSWORD} bytes"));
    }
    Ok(())
}
