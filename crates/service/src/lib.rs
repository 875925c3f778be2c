#![doc = include_str!("../README.md")]

pub mod audit;
pub mod auth;
pub mod context;
pub mod coverage;
pub mod demo;
pub mod duty;
pub mod error;
pub mod evidence;
pub mod export;
pub mod fulfilment;
pub mod hasher;
pub mod hazard;
pub mod import;
pub mod inspection;
pub mod ledger;
pub mod org;
// grid work (issue 4)
pub mod patrol;
pub mod people;
pub mod phone;
pub mod scope;
pub mod sheet;
pub mod spot_check;
// campaigns (issue 5)
pub mod campaign;
// reminders and outbox (issue 5)
pub mod notify;

pub use context::{Actor, Ctx, Settings};
pub use error::{ServiceError, ServiceResult};
