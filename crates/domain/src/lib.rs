#![doc = include_str!("../README.md")]

pub mod audit;
pub mod auth;
pub mod campaign;
pub mod draw;
pub mod duty;
pub mod error;
pub mod escalation;
pub mod evidence;
pub mod fulfilment;
pub mod hazard;
pub mod ids;
pub mod inspection;
pub mod ledger;
pub mod notify;
pub mod org;
// grid work (issue 4)
pub mod patrol;
pub mod spot_check;
pub mod text;
pub mod time;
mod vocabulary;

pub use error::{Collector, DomainError, FieldError};
