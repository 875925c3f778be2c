//! SeaORM entities, one per table. Ids and codes are TEXT on both databases (ids are UUIDv7
//! strings), so rows read the same in `sqlite3` and `psql` and order the same everywhere.

pub mod acknowledgement;
pub mod api_token;
pub mod audit_event;
pub mod audit_head;
pub mod checklist;
pub mod committee_member;
pub mod coverage_summary;
pub mod department_industry;
pub mod draw;
pub mod duty_list;
pub mod duty_list_item;
pub mod duty_template;
pub mod duty_template_item;
pub mod employment;
pub mod enterprise;
pub mod fit_dismissal;
pub mod fulfilment_record;
pub mod governance_plan;
pub mod hazard;
pub mod hazard_escalation;
pub mod hazard_event;
pub mod hazard_photo;
pub mod hazard_report;
pub mod hazard_summary;
pub mod import_job;
pub mod inspection;
pub mod inspection_photo;
pub mod inspection_result;
pub mod inspection_target;
pub mod list_spot_check;
pub mod notification;
pub mod organisation;
pub mod person;
pub mod photo;
pub mod qr_code;
pub mod region;
pub mod role_assignment;
pub mod session;
pub mod tenant;
pub mod user_account;
// campaigns (issue 5)
pub mod activity;
pub mod activity_attachment;
pub mod campaign;
pub mod exemption;
pub mod subject_flag;
// reminders and outbox (issue 5)
pub mod outbox;
pub mod reminder;
// grid work: patrols, publicity (issue 4)
pub mod grid_photo;
pub mod patrol;
pub mod patrol_problem;
pub mod publicity_event;
