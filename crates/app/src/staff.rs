//! Staff accounts and sessions. Sessions are random tokens held in a cookie; the store keeps
//! only their SHA-256 hash, so a copy of the database cannot be used to sign in.

use std::time::{SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use nearmiss_core::calendar::today;
use nearmiss_core::staff::{validate_password, validate_username, StaffUser};
use nearmiss_core::Role;
use sha2::{Digest, Sha256};

use crate::random::{random_bytes, random_id};
use crate::{App, AppError, AppResult};

/// A session ends after this long without a request.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;
/// A session ends this long after sign-in, however active.
pub const SESSION_MAX_SECONDS: i64 = 12 * 60 * 60;
/// `last_seen_at` is written at most this often, to keep writes off every staff request.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// The signed-in staff member behind a request.
#[derive(Debug, Clone)]
pub struct StaffContext {
    pub user: StaffUser,
    pub csrf_token: String,
    token_hash: Vec<u8>,
}

impl StaffContext {
    pub fn require_role(&self, role: Role) -> AppResult<()> {
        if self.user.role == role || self.user.role == Role::Admin {
            return Ok(());
        }
        Err(AppError::Forbidden(format!(
            "this page needs the {} role",
            role.as_str()
        )))
    }
}

/// What a successful sign-in hands to the browser.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub session_token: String,
    pub user: StaffUser,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt length");
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Internal(format!("password hashing failed: {error}")))
    })
    .await
    .map_err(|error| AppError::Internal(format!("password hashing task failed: {error}")))?
}

async fn verify_password(password: String, hash: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|error| AppError::Internal(format!("stored password hash is invalid: {error}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|error| AppError::Internal(format!("password check task failed: {error}")))?
}

impl App {
    /// Creates a staff account.
    pub async fn add_user(&self, username: &str, role: Role, password: &str) -> AppResult<StaffUser> {
        validate_username(username).map_err(AppError::BadRequest)?;
        validate_password(password).map_err(AppError::BadRequest)?;

        let user = StaffUser {
            id: random_id(),
            username: username.to_owned(),
            role,
            password_hash: hash_password(password.to_owned()).await?,
            created_on: today(),
        };
        self.store.insert_user(&user).await?;
        tracing::info!(staff = %user.id, role = role.as_str(), "created staff account");
        Ok(user)
    }

    /// Checks a username and password and opens a new session with a fresh id.
    pub async fn login(&self, username: &str, password: &str) -> AppResult<LoginOutcome> {
        let rejected = || AppError::BadRequest("invalid username or password".to_owned());
        if validate_username(username).is_err() || password.len() > nearmiss_core::staff::MAX_PASSWORD {
            return Err(rejected());
        }

        let user = self.store.user_by_username(username).await?;
        // An unknown username still costs one hash, so response times do not reveal which
        // usernames exist.
        let (hash, user) = match user {
            Some(user) => (user.password_hash.clone(), Some(user)),
            None => (hash_password("unused-password".to_owned()).await?, None),
        };
        let verified = verify_password(password.to_owned(), hash).await?;
        let Some(user) = user.filter(|_| verified) else {
            tracing::info!("staff sign-in failed");
            return Err(rejected());
        };

        let session_token = hex::encode(random_bytes::<32>());
        let csrf_token = hex::encode(random_bytes::<32>());
        self.store
            .insert_session(&token_hash(&session_token), &user.id, &csrf_token, now())
            .await?;
        tracing::info!(staff = %user.id, "staff signed in");
        Ok(LoginOutcome { session_token, user })
    }

    /// Resolves a session token to the signed-in staff member, enforcing the idle and absolute
    /// timeouts.
    pub async fn staff_context(&self, session_token: &str) -> AppResult<StaffContext> {
        if session_token.len() != 64 || !session_token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::Unauthenticated);
        }

        let hash = token_hash(session_token);
        let session = self
            .store
            .session(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = now();
        if now - session.last_seen_at > SESSION_IDLE_SECONDS || now - session.created_at > SESSION_MAX_SECONDS
        {
            self.store.delete_session(&hash).await?;
            return Err(AppError::Unauthenticated);
        }
        if now - session.last_seen_at > TOUCH_INTERVAL_SECONDS {
            self.store.touch_session(&hash, now).await?;
        }
        Ok(StaffContext {
            user: session.user,
            csrf_token: session.csrf_token,
            token_hash: hash,
        })
    }

    pub async fn logout(&self, staff: &StaffContext) -> AppResult<()> {
        self.store.delete_session(&staff.token_hash).await?;
        tracing::info!(staff = %staff.user.id, "staff signed out");
        Ok(())
    }
}
