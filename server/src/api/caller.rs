//! Finding the caller of a request: the device by its cookie, the person by their session
//! cookie, and the address the request came from. What they may do is `access::can`'s.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};

use crate::auth::{self, Device, Kind, NoDevice, Person};
use crate::error::Failure;
use crate::state::AppState;

/// The peer's IP address (for throttling and the audit trail), or `unknown` when the server
/// runs without connection info (in-process router tests).
pub struct Address(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Address {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Address(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

pub struct Caller;

impl Caller {
    /// The enrolled device sending this request (and marks it seen).
    pub async fn device(
        state: &AppState,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<Device, Failure> {
        if !auth::same_origin(method, headers) {
            return Err(Failure::CrossOrigin);
        }
        let credential = state.cookies.read(Kind::Device, headers);
        let now = state.clock.now();
        let found = state
            .with_db(move |conn| auth::device(conn, credential.as_deref(), now))
            .await
            .map_err(Failure::database)?;
        match found {
            Ok(device) => {
                crate::access_log::record_actor(&format!("device:{}", device.device_id));
                Ok(device)
            }
            Err(NoDevice::NotEnrolled) => Err(Failure::DeviceNotEnrolled),
            Err(NoDevice::Revoked) => Err(Failure::DeviceRevoked),
        }
    }

    /// The person of this request's session, with every factor their roles need.
    pub async fn person(
        state: &AppState,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<Person, Failure> {
        let person = Self::person_any(state, method, headers).await?;
        if !person.complete {
            return Err(Failure::SecondFactorSetupRequired);
        }
        Ok(person)
    }

    /// Like `person`, also while the second factor is still to be set up (only the
    /// endpoints that set it up, show the account and log out use this).
    pub async fn person_any(
        state: &AppState,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<Person, Failure> {
        if !auth::same_origin(method, headers) {
            return Err(Failure::CrossOrigin);
        }
        let token = state.cookies.read(Kind::Session, headers);
        let now = state.clock.now();
        let person = state
            .with_db(move |conn| auth::session(conn, token.as_deref(), now))
            .await
            .map_err(Failure::database)?
            .ok_or(Failure::Unauthorized)?;
        crate::access_log::record_actor(&format!("person:{}", person.id));
        Ok(person)
    }
}
