//! Reminders and the delivery outbox (issue 5): a ledger row per reminder sent (unique per
//! unit, campaign, obligation, period and kind, so a second run sends nothing), the outbox of
//! messages to deliver by e-mail or webhook (unique dedupe key, claimed by one replica at a
//! time, retried with backoff), and an optional e-mail address on user accounts.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_notify"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut kind = text("kind");
        kind.check(in_list("kind", "'due_soon','missed'".into()));
        let mut channel = text("channel");
        channel.check(in_list("channel", "'email','webhook'".into()));
        let tables = vec![
            Table::create()
                .table(Alias::new("reminders"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("campaign_code"))
                .col(text("obligation_code"))
                .col(text("period_label"))
                .col(kind)
                .col(date("due_on"))
                .col(text("notification_id"))
                .col(at("created_at"))
                .foreign_key(&mut fk("reminders", "organisation_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("outbox"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(channel)
                .col(text("recipient"))
                .col(long_text("subject"))
                .col(long_text("body"))
                .col(text("dedupe_key"))
                .col(int("attempts"))
                .col(at("next_attempt_at"))
                .col(at_null("claimed_until"))
                .col(at_null("delivered_at"))
                .col(text_null("last_error"))
                .col(at("created_at"))
                .to_owned(),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        for i in [
            index("reminders", "ux_reminders", &["organisation_id", "campaign_code", "obligation_code", "period_label", "kind"], true),
            index("outbox", "ux_outbox_dedupe", &["dedupe_key"], true),
            index("outbox", "ix_outbox_due", &["delivered_at", "next_attempt_at"], false),
            index("notifications", "ix_notifications_issued", &["tenant_id", "issued_on"], false),
        ] {
            m.create_index(i).await?;
        }
        m.alter_table(Table::alter().table(Alias::new("users")).add_column(text_null("email")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("users")).drop_column(Alias::new("email")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_notifications_issued").table(Alias::new("notifications")).to_owned()).await?;
        for t in ["outbox", "reminders"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
