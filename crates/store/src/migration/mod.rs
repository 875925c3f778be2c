//! One migration set for SQLite and PostgreSQL, written with the schema builder so each
//! backend gets its own dialect. States are TEXT with CHECK constraints (DESIGN.md §4).

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_enterprise_filters;
mod m0003_duty;
mod m0004_qr_codes;
mod m0005_coverage;
mod m0006_fulfilment;
mod m0007_spot_checks;
mod m0008_hazards;
// campaigns (issue 5)
mod m0009_campaigns;
// photos (issue 4)
mod m0010_photo_objects;
// inspections and draws (issue 4)
mod m0011_inspections;
// summaries for the city views (issues 4 and 5)
mod m0014_summaries;
// photos per checklist item (issue 4)
mod m0015_inspection_photos;
// checklists imported from .xlsx (issue 4)
mod m0016_checklists;
// attachments of activity records (issue 5)
mod m0017_activity_attachments;
// lists read in order through an index (issue 12)
mod m0020_list_indexes;
// reminders and outbox (issue 5)
mod m0012_notify;
// grid work: patrols, publicity (issue 4)
mod m0013_grid;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_enterprise_filters::Migration),
            Box::new(m0003_duty::Migration),
            Box::new(m0004_qr_codes::Migration),
            Box::new(m0005_coverage::Migration),
            Box::new(m0006_fulfilment::Migration),
            Box::new(m0007_spot_checks::Migration),
            Box::new(m0008_hazards::Migration),
            // campaigns (issue 5)
            Box::new(m0009_campaigns::Migration),
            // photos (issue 4)
            Box::new(m0010_photo_objects::Migration),
            Box::new(m0011_inspections::Migration),
            Box::new(m0014_summaries::Migration),
            Box::new(m0015_inspection_photos::Migration),
            Box::new(m0016_checklists::Migration),
            // reminders and outbox (issue 5)
            Box::new(m0012_notify::Migration),
            // grid work: patrols, publicity (issue 4)
            Box::new(m0013_grid::Migration),
            Box::new(m0017_activity_attachments::Migration),
            Box::new(m0020_list_indexes::Migration),
        ]
    }
}

/// Small builders so each table reads as a list of columns.
pub(crate) mod cols {
    use sea_orm_migration::prelude::*;

    pub fn id(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.string_len(36).not_null().primary_key();
        c
    }
    pub fn text(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.string().not_null();
        c
    }
    pub fn text_null(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.string().null();
        c
    }
    pub fn long_text(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.text().not_null();
        c
    }
    pub fn int(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.integer().not_null().default(0);
        c
    }
    pub fn big(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.big_integer().not_null().default(0);
        c
    }
    pub fn flag(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.boolean().not_null().default(false);
        c
    }
    pub fn at(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.timestamp_with_time_zone().not_null();
        c
    }
    pub fn at_null(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.timestamp_with_time_zone().null();
        c
    }
    pub fn date(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.date().not_null();
        c
    }
    pub fn date_null(name: &'static str) -> ColumnDef {
        let mut c = ColumnDef::new(Alias::new(name));
        c.date().null();
        c
    }
    pub fn check(sql: String) -> Expr {
        Expr::cust(sql)
    }
    /// `col IN ('a','b',…)` for a closed vocabulary.
    pub fn in_list(col: &str, list: String) -> Expr {
        check(format!("{col} IN ({list})"))
    }
    pub fn fk(from_table: &'static str, col: &'static str, to_table: &'static str, to_col: &'static str) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .name(format!("fk_{from_table}_{col}"))
            .from(Alias::new(from_table), Alias::new(col))
            .to(Alias::new(to_table), Alias::new(to_col))
            .to_owned()
    }
    pub fn index(table: &'static str, name: &str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
        let mut i = Index::create();
        i.name(name).table(Alias::new(table));
        for c in columns {
            i.col(Alias::new(*c));
        }
        if unique {
            i.unique();
        }
        i.to_owned()
    }
}
