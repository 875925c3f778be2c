#![doc = include_str!("../README.md")]

pub mod audit;
pub mod auth;
pub mod campaign;
pub mod duty;
pub mod error;
pub mod fulfilment;
pub mod ids;
pub mod ledger;
pub mod org;
pub mod spot_check;
pub mod time;

pub use error::{Collector, DomainError, FieldError};
