#![doc = include_str!("../README.md")]

pub mod audit;
pub mod auth;
pub mod duty;
pub mod error;
pub mod fulfilment;
pub mod ids;
pub mod org;
pub mod time;

pub use error::{Collector, DomainError, FieldError};
