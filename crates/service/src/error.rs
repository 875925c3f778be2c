//! Service errors: a stable code per kind of failure; the web edge maps them to HTTP status
//! and translated sentences. Database errors are logged with context, never shown raw.

use anze_domain::{DomainError, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Absent, or outside the caller's scope (the two are indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// In scope but the role does not allow the action.
    #[error("forbidden")]
    Forbidden,
    /// One or more fields are invalid.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A business rule refused the request; the code names which.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// Sign-in or token problems (`auth.*`).
    #[error("unauthenticated: {0}")]
    Unauthenticated(&'static str),
    #[error("database error: {0}")]
    Db(#[from] anze_store::DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn field(field: &'static str, code: &'static str) -> Self {
        ServiceError::Invalid(vec![FieldError::new(field, code)])
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(v) => ServiceError::Invalid(v),
        }
    }
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        ServiceError::Invalid(vec![e])
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
