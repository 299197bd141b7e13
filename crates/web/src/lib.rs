//! The HTTP interface: server-rendered pages that need no JavaScript, the JSON API under
//! `/api/v1`, and the headers that keep reporters untracked. Handlers turn requests into calls
//! of `nearmiss_app` functions and render the result; they hold no SQL and no workflow rules.

use std::sync::Arc;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use nearmiss_app::App;

mod error;
mod form;
mod headers;
mod page_cache;
mod review_view;
mod routes;
mod search_views;
mod staff_views;
mod views;

pub use error::{ApiError, PageError};

/// Largest request body accepted on any route but a multipart post to `/submit`.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Largest multipart body accepted on `/submit`: the maximum number of attachments at their
/// maximum size, plus `MAX_BODY_BYTES` for the text fields and the part headers.
pub fn max_submit_body_bytes() -> usize {
    nearmiss_app::attachments::MAX_FILES * nearmiss_app::attachments::limits().max_bytes + MAX_BODY_BYTES
}

/// Settings of the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Adds the `Secure` attribute to the staff session cookie; set it whenever the site is
    /// served over HTTPS, directly or through a proxy.
    pub secure_cookies: bool,
}

pub(crate) struct WebState {
    pub app: App,
    pub config: WebConfig,
    pub report_pages: page_cache::PageCache,
}

pub(crate) type State = Arc<WebState>;

/// Builds the complete router.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = Arc::new(WebState {
        app,
        config,
        report_pages: Default::default(),
    });

    Router::new()
        .route("/", get(routes::public::home))
        .route("/privacy", get(routes::public::privacy))
        .route("/static/style.css", get(routes::public::stylesheet))
        .route("/static/icon.svg", get(routes::public::icon))
        .route("/favicon.ico", get(routes::public::icon))
        .route("/submit", get(routes::submit::form).post(routes::submit::create))
        .route("/status", get(routes::status::form).post(routes::status::check))
        .route("/reports", get(routes::reports::index))
        .route("/reports/{id}", get(routes::reports::show))
        .route("/feeds/reports.atom", get(routes::feeds::reports))
        .route("/feeds/search.atom", get(routes::feeds::search))
        .route("/staff", get(routes::staff::queue))
        .route(
            "/staff/login",
            get(routes::staff::login_form).post(routes::staff::login),
        )
        .route(
            "/staff/login/totp",
            get(routes::staff_totp::totp_form).post(routes::staff_totp::totp),
        )
        .route(
            "/staff/totp/enrol",
            get(routes::staff_totp::enrol_form).post(routes::staff_totp::enrol),
        )
        .route("/staff/logout", post(routes::staff::logout))
        .route(
            "/staff/admin/users",
            get(routes::admin::users).post(routes::admin::add_user),
        )
        .route(
            "/staff/admin/users/{username}/reset-totp",
            post(routes::admin::reset_totp),
        )
        .route(
            "/staff/admin/settings",
            get(routes::admin::settings).post(routes::admin::save_settings),
        )
        .route("/staff/admin/audit", get(routes::admin::audit))
        .route("/staff/submissions/{id}", get(routes::staff::review))
        .route("/staff/submissions/{id}/save", post(routes::staff::save))
        .route("/staff/submissions/{id}/publish", post(routes::staff::publish))
        .route("/staff/submissions/{id}/reject", post(routes::staff::reject))
        .route(
            "/staff/submissions/{id}/attachments/{position}",
            get(routes::attachments::show),
        )
        .route("/healthz", get(routes::api::health))
        .route("/api/v1/openapi.json", get(routes::api::openapi))
        .route("/api/v1/taxonomy", get(routes::api::taxonomy))
        .route("/api/v1/submissions", post(routes::api::create_submission))
        .route("/api/v1/receipts/status", post(routes::status::check_json))
        .route("/api/v1/reports", get(routes::api::list_reports))
        .route("/api/v1/reports/{id}", get(routes::api::show_report))
        .fallback(routes::public::not_found)
        .layer(middleware::from_fn(headers::security_headers))
        .layer(middleware::from_fn(headers::log_request))
        .with_state(state)
}
