//! Duty lists (measures 6, 13, 19–22): templates, a list per post tier in each organisation,
//! versions, signatures bound to the exact text, and coverage measured from records.

use crate::coverage::refresh as refresh_coverage;
use crate::scope::{organisation as get, target_of};
use crate::sheet::{self, RowError, read_table};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::duty::{Frequency, ItemText, ListState, text_hash};
use anze_domain::org::PostTier;
use anze_store::entity::{acknowledgement as ack_row, duty_list, duty_list_item, duty_template, duty_template_item};
use anze_store::repo::duty as repo;
use anze_store::repo::person;
use anze_store::{TransactionTrait, is_unique_violation};
use chrono::{DateTime, Utc};
use rust_embed::RustEmbed;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

mod acknowledgement;
pub mod doc;
mod fit;
mod list;
mod template;

/// A unit's coverage is measured in `coverage`; the duty pages show it.
pub use acknowledgement::*;
pub use fit::*;
pub use list::*;
pub use template::*;
