//! The server's one error type: every failure answers `{"error": {"code", "path", "message"}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// An HTTP error with a stable machine-readable code and, for bad input, the JSON path.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub path: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> ApiError {
        ApiError { status, code: code.into(), path: String::new(), message: message.into() }
    }

    pub fn at(mut self, path: impl Into<String>) -> ApiError {
        self.path = path.into();
        self
    }

    /// Bad input found by the engine: 400 (413 for its own size limits), with the engine's code and path.
    pub fn input(e: &merchant_credit::Error) -> ApiError {
        let status = if e.code() == "too_large" { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
        ApiError { status, code: Cow::Borrowed(e.code()), path: e.path().to_string(), message: e.message() }
    }

    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("request body over the limit of {limit} bytes (server option --max-body-bytes)"),
        )
    }

    pub fn body_timeout() -> ApiError {
        ApiError::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", "the request body did not arrive within the request timeout")
    }

    pub fn timeout() -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request could not be answered within the request timeout; retry later")
    }

    pub fn overloaded() -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "too many requests in progress; retry later")
    }

    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; the request was not evaluated")
    }

    /// The error as the JSON object `{"code", "path", "message"}` (without the outer `error` key).
    pub fn body_value(&self) -> serde_json::Value {
        serde_json::json!({"code": self.code, "path": self.path, "message": self.message})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.body_value() }).to_string();
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r.extensions_mut().insert(super::LogNote { error: Some((self.code.clone(), self.path.clone())), ..Default::default() });
        r
    }
}
