//! Staff accounts and sessions. Signing in takes two steps: the password, which opens a
//! short-lived pending sign-in, then a TOTP code (or, for an account without TOTP, enrolment),
//! which opens the session. Sessions and pending sign-ins are random tokens held in cookies.
//! The store keeps only their SHA-256 hash, so a copy of the database cannot be used to sign in.

use std::time::{SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use nearmiss_core::audit::AuditAction;
use nearmiss_core::calendar::today;
use nearmiss_core::staff::{validate_password, validate_username, StaffUser};
use nearmiss_core::{totp, Role};
use nearmiss_store::{PendingLogin, ThrottlePolicy};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::random::{random_bytes, random_id};
use crate::{App, AppError, AppResult};

/// A session ends after this long without a request.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;
/// A session ends this long after sign-in, however active.
pub const SESSION_MAX_SECONDS: i64 = 12 * 60 * 60;
/// `last_seen_at` is written at most this often, to keep writes off every staff request.
const TOUCH_INTERVAL_SECONDS: i64 = 60;
/// A pending sign-in (password accepted, TOTP code or enrolment still to come) lasts this long.
pub const PENDING_LOGIN_SECONDS: i64 = 5 * 60;
/// Failed password or TOTP attempts per account: 5 within 15 minutes lock it for 15 minutes.
pub const SIGN_IN_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    limit: 5,
    window_seconds: 15 * 60,
    lock_seconds: 15 * 60,
};
/// The issuer that authenticator apps show next to the account name.
pub const TOTP_ISSUER: &str = "nearmiss";

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

/// The result of a completed sign-in, for the browser.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub session_token: String,
    pub user: StaffUser,
}

/// The step that follows an accepted password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondStep {
    /// The account has no TOTP yet: show the secret and confirm a first code.
    Enrol,
    /// Ask for the current TOTP code.
    Totp,
}

/// The result of an accepted password: a pending sign-in, not a session.
#[derive(Debug, Clone)]
pub struct PendingOutcome {
    pub pending_token: String,
    pub step: SecondStep,
}

/// The content of the enrolment page.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub username: String,
    /// The secret in base32, for typing into an authenticator app.
    pub secret_base32: String,
    /// The `otpauth://` URI that authenticator apps import.
    pub otpauth_uri: String,
}

/// A staff account as the admin's list shows it.
#[derive(Debug, Clone)]
pub struct StaffAccount {
    pub user: StaffUser,
    pub has_totp: bool,
}

pub(crate) fn now() -> i64 {
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

fn locked_message(until: i64, now: i64) -> AppError {
    let minutes = ((until - now).max(1) + 59) / 60;
    AppError::TooManyRequests(format!(
        "this account is locked after {} failed sign-in attempts within {} minutes; try again in \
         {minutes} minute{}",
        SIGN_IN_THROTTLE.limit,
        SIGN_IN_THROTTLE.window_seconds / 60,
        if minutes == 1 { "" } else { "s" }
    ))
}

fn wrong_code() -> AppError {
    AppError::BadRequest(
        "wrong code, or a code that was already used: enter the current code from your \
         authenticator app"
            .to_owned(),
    )
}

impl App {
    /// Creates a staff account; `actor` is the admin who created it, or the operator at the
    /// command line.
    pub async fn add_user(
        &self,
        actor: Actor<'_>,
        username: &str,
        role: Role,
        password: &str,
    ) -> AppResult<StaffUser> {
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

        let details = json!({"username": user.username, "role": role.as_str()});
        self.audit(actor, AuditAction::UserCreated, &user.id, details)
            .await?;
        Ok(user)
    }

    /// Lists every staff account, by username, for an admin.
    pub async fn staff_accounts(&self, staff: &StaffContext) -> AppResult<Vec<StaffAccount>> {
        staff.require_role(Role::Admin)?;
        let mut accounts = Vec::new();
        for user in self.store.users().await? {
            let has_totp = self.store.totp(&user.id).await?.is_some();
            accounts.push(StaffAccount { user, has_totp });
        }
        Ok(accounts)
    }

    /// Removes an account's TOTP secret and ends its sessions, for a staff member who lost the
    /// device; the next sign-in enrols again.
    pub async fn reset_totp(&self, actor: Actor<'_>, username: &str) -> AppResult<StaffUser> {
        let user = self
            .store
            .user_by_username(username)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("staff account {username:?}")))?;
        let had_totp = self.store.reset_totp(&user.id).await?;
        tracing::info!(staff = %user.id, had_totp, "reset TOTP");

        let details = json!({"username": user.username, "had_totp": had_totp});
        self.audit(actor, AuditAction::TotpReset, &user.id, details)
            .await?;
        Ok(user)
    }

    /// Checks the username and password, the first step of signing in, and opens a pending
    /// sign-in that waits for a TOTP code, or for enrolment when the account has no TOTP.
    pub async fn login(&self, username: &str, password: &str) -> AppResult<PendingOutcome> {
        let rejected = || AppError::BadRequest("invalid username or password".to_owned());
        if validate_username(username).is_err() || password.len() > nearmiss_core::staff::MAX_PASSWORD {
            return Err(rejected());
        }

        let now = now();
        let user = self.store.user_by_username(username).await?;
        if let Some(user) = &user {
            self.refuse_if_locked(&user.id, now).await?;
        }

        // An unknown username still costs one hash, so response times do not reveal which
        // usernames exist.
        let (hash, user) = match user {
            Some(user) => (user.password_hash.clone(), Some(user)),
            None => (hash_password("unused-password".to_owned()).await?, None),
        };
        let verified = verify_password(password.to_owned(), hash).await?;
        let Some(user) = user else {
            tracing::info!("staff sign-in failed");
            return Err(rejected());
        };
        if !verified {
            tracing::info!(staff = %user.id, "staff sign-in failed: wrong password");
            self.count_failure(&user.id, now).await?;
            return Err(rejected());
        }

        self.store
            .delete_pending_logins_before(now - PENDING_LOGIN_SECONDS)
            .await?;
        let enrolled = self.store.totp(&user.id).await?.is_some();
        let enrol_secret = (!enrolled).then(random_bytes::<{ totp::SECRET_BYTES }>);
        let pending_token = hex::encode(random_bytes::<32>());
        self.store
            .insert_pending_login(
                &token_hash(&pending_token),
                &user.id,
                enrol_secret.as_ref().map(|secret| &secret[..]),
                now,
            )
            .await?;

        let step = if enrolled {
            SecondStep::Totp
        } else {
            SecondStep::Enrol
        };
        Ok(PendingOutcome { pending_token, step })
    }

    /// Tells which second step a pending sign-in waits for.
    pub async fn pending_step(&self, pending_token: &str) -> AppResult<SecondStep> {
        let pending = self.pending(pending_token, now()).await?;
        Ok(match pending.enrol_secret {
            Some(_) => SecondStep::Enrol,
            None => SecondStep::Totp,
        })
    }

    /// Reads the enrolment page content for a pending sign-in of an account without TOTP.
    pub async fn enrolment(&self, pending_token: &str) -> AppResult<Enrolment> {
        let pending = self.pending(pending_token, now()).await?;
        let secret = pending.enrol_secret.ok_or_else(|| {
            AppError::Conflict("this account has TOTP already: enter the current code instead".to_owned())
        })?;
        Ok(Enrolment {
            secret_base32: totp::base32_encode(&secret),
            otpauth_uri: totp::otpauth_uri(TOTP_ISSUER, &pending.user.username, &secret),
            username: pending.user.username,
        })
    }

    /// Confirms enrolment with a first code from the new secret and opens the session.
    pub async fn confirm_enrolment(&self, pending_token: &str, code: &str) -> AppResult<LoginOutcome> {
        let now = now();
        let pending = self.pending(pending_token, now).await?;
        let user_id = pending.user.id.clone();
        let Some(secret) = &pending.enrol_secret else {
            return Err(AppError::Conflict(
                "this account has TOTP already: enter the current code instead".to_owned(),
            ));
        };

        let current = totp::step_at(now as u64);
        let step = totp::parse_code(code).and_then(|code| totp::matching_step(secret, code, current, None));
        let Some(step) = step else {
            self.count_failure(&user_id, now).await?;
            return Err(wrong_code());
        };
        self.store.insert_totp(&user_id, secret, step as i64).await?;
        tracing::info!(staff = %user_id, "enrolled TOTP");
        self.audit(
            Actor::Staff(&user_id),
            AuditAction::TotpEnrolled,
            &user_id,
            json!({}),
        )
        .await?;

        self.open_session(pending_token, pending.user, now).await
    }

    /// Checks the TOTP code, the second step of signing in, and opens the session. Each code
    /// works once, on one node or several.
    pub async fn login_totp(&self, pending_token: &str, code: &str) -> AppResult<LoginOutcome> {
        let now = now();
        let pending = self.pending(pending_token, now).await?;
        let user_id = pending.user.id.clone();
        let Some(stored) = self.store.totp(&user_id).await? else {
            return Err(AppError::Conflict(
                "this account has no TOTP: sign in again to enrol".to_owned(),
            ));
        };

        let current = totp::step_at(now as u64);
        let last_used = u64::try_from(stored.last_step).ok();
        let step = totp::parse_code(code)
            .and_then(|code| totp::matching_step(&stored.secret, code, current, last_used));
        let accepted = match step {
            Some(step) => self.store.use_totp_step(&user_id, step as i64).await?,
            None => false,
        };
        if !accepted {
            tracing::info!(staff = %user_id, "staff sign-in failed: wrong TOTP code");
            self.count_failure(&user_id, now).await?;
            return Err(wrong_code());
        }

        self.open_session(pending_token, pending.user, now).await
    }

    /// Resolves a pending sign-in that has not expired, of an account that is not locked.
    async fn pending(&self, pending_token: &str, now: i64) -> AppResult<PendingLogin> {
        if !is_token(pending_token) {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(pending_token);
        let pending = self
            .store
            .pending_login(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if now - pending.created_at > PENDING_LOGIN_SECONDS {
            self.store.delete_pending_login(&hash).await?;
            return Err(AppError::Unauthenticated);
        }
        self.refuse_if_locked(&pending.user.id, now).await?;
        Ok(pending)
    }

    async fn refuse_if_locked(&self, user_id: &str, now: i64) -> AppResult<()> {
        match self.store.sign_in_locked_until(user_id).await? {
            Some(until) if until > now => Err(locked_message(until, now)),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt; the attempt that reaches the limit is refused as locked.
    async fn count_failure(&self, user_id: &str, now: i64) -> AppResult<()> {
        let failures = self
            .store
            .record_sign_in_failure(user_id, now, SIGN_IN_THROTTLE)
            .await?;
        match failures.locked_until {
            Some(until) if until > now => {
                tracing::warn!(staff = %user_id, failures = failures.failures, "staff account locked after failed sign-ins");
                Err(locked_message(until, now))
            }
            _ => Ok(()),
        }
    }

    /// Ends the pending sign-in and opens a session with a fresh id.
    async fn open_session(&self, pending_token: &str, user: StaffUser, now: i64) -> AppResult<LoginOutcome> {
        self.store
            .delete_pending_login(&token_hash(pending_token))
            .await?;
        self.store.clear_sign_in_failures(&user.id).await?;

        let session_token = hex::encode(random_bytes::<32>());
        let csrf_token = hex::encode(random_bytes::<32>());
        self.store
            .insert_session(&token_hash(&session_token), &user.id, &csrf_token, now)
            .await?;
        tracing::info!(staff = %user.id, "staff signed in");
        self.audit(Actor::Staff(&user.id), AuditAction::SignedIn, &user.id, json!({}))
            .await?;
        Ok(LoginOutcome { session_token, user })
    }

    /// Resolves a session token to the signed-in staff member, enforcing the idle and absolute
    /// timeouts.
    pub async fn staff_context(&self, session_token: &str) -> AppResult<StaffContext> {
        if !is_token(session_token) {
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
        self.audit(staff, AuditAction::SignedOut, &staff.user.id, json!({}))
            .await?;
        Ok(())
    }
}

/// Session and pending sign-in tokens are 32 random bytes in hex.
fn is_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}
