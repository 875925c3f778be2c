//! Photos in the object store (docs/adr/0008-photos-in-an-object-store.md): the row keeps the
//! metadata (where the original is, its dimensions, EXIF capture time and place, and the
//! thumbnail); new originals live in the object store under their SHA-256, so `bytes` is an
//! empty blob for them. Existing rows keep their bytes and are marked `storage = 'db'`.
//! SQLite adds one column per statement.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_photo_objects"
    }
}

fn add(col: ColumnDef) -> TableAlterStatement {
    Table::alter().table(Alias::new("photos")).add_column(col).to_owned()
}

fn nullable(name: &'static str, kind: fn(&mut ColumnDef) -> &mut ColumnDef) -> ColumnDef {
    let mut c = ColumnDef::new(Alias::new(name));
    kind(&mut c).null();
    c
}

const NEW: [&str; 8] = ["storage", "object_key", "width", "height", "taken_at", "gps_lat", "gps_lon", "thumbnail"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut storage = ColumnDef::new(Alias::new("storage"));
        storage.string().not_null().default("db").check(Expr::cust("storage IN ('db','objects')"));
        m.alter_table(add(storage)).await?;
        m.alter_table(add(nullable("object_key", ColumnDef::string))).await?;
        m.alter_table(add(nullable("width", ColumnDef::integer))).await?;
        m.alter_table(add(nullable("height", ColumnDef::integer))).await?;
        m.alter_table(add(nullable("taken_at", ColumnDef::timestamp_with_time_zone))).await?;
        m.alter_table(add(nullable("gps_lat", ColumnDef::double))).await?;
        m.alter_table(add(nullable("gps_lon", ColumnDef::double))).await?;
        m.alter_table(add(nullable("thumbnail", ColumnDef::blob))).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in NEW.iter().rev() {
            m.alter_table(Table::alter().table(Alias::new("photos")).drop_column(Alias::new(*name)).to_owned()).await?;
        }
        Ok(())
    }
}
