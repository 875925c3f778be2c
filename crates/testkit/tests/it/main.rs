//! Integration tests of the services against a real database: SQLite by default, PostgreSQL
//! when TEST_DATABASE_URL is set (a schema per test).

mod audit;
mod auth;
// campaigns (issue 5)
mod campaign;
mod coverage;
mod duty;
mod fulfilment;
// grid work (issue 4)
mod grid;
mod hazard;
mod import;
mod inspection;
mod ledger;
mod matrix;
// reminders and outbox (issue 5)
mod notify;
mod org;
mod phone;
mod photo;
mod plans;
mod spot_check;
mod web;
