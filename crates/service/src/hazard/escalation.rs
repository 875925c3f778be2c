//! The escalation ladder the daily job climbs for overdue hazards.

use super::*;

/// What one run of the daily escalation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EscalationRun {
    pub overdue: usize,
    pub steps_taken: usize,
    pub notices: usize,
}

/// Who is told, and where: an organisation kind, a township and an industry.
type AudiencePlace = (&'static str, Option<String>, Option<String>);

/// The kind of the daily notice listing hazards escalated to a unit.
pub const ESCALATION_NOTICE: &str = "hazard.escalation";

fn audience_kind(a: Audience) -> Option<&'static str> {
    match a {
        Audience::Township => Some("township_office"),
        Audience::SupervisingDepartment => Some("department"),
        Audience::CityOffice => Some("committee_office"),
        Audience::Enterprise => None,
    }
}

/// Climbs the escalation ladder (DESIGN.md §6, measure 13): for every open hazard past its
/// deadline, the rungs now due and not yet taken are recorded (once each, a unique index
/// guards a second run), leave an event on the hazard, and each unit told gets one notice
/// that day naming its hazards. Idempotent within a day.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn escalate(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<EscalationRun> {
    let today = local_date(now);
    let system = Actor::system("escalation");
    let ladders = &ctx.settings.hazard_ladders;
    let overdue = repo::overdue(&ctx.db.read, &ctx.tenant, today).await?;
    let mut run = EscalationRun { overdue: overdue.len(), ..Default::default() };
    let mut told: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    // Read once per run: the rungs already taken, and each audience's units per place.
    let ids: Vec<String> = overdue.iter().map(|h| h.id.clone()).collect();
    let taken = repo::steps_taken(&ctx.db.read, &ids).await?;
    let mut audiences_of: std::collections::HashMap<AudiencePlace, Vec<String>> = Default::default();
    for h in overdue {
        let f = facts(&h, None)?;
        let days = rules::days_overdue(f.state, h.deadline, today);
        let done = taken.get(&(h.id.clone(), h.grade.clone())).map(Vec::as_slice).unwrap_or_default();
        let due = ladder::due_steps(ladders, f.grade, days, done);
        if due.is_empty() {
            continue;
        }
        let tx = ctx.db.write.begin().await?;
        for step in due {
            let Some(rung) = ladders.ladder(f.grade).steps.get(step) else { continue };
            let audiences: Vec<&str> = rung.notify.iter().map(|a| a.as_str()).collect();
            repo::insert_escalation(
                &tx,
                hazard_escalation::ActiveModel {
                    id: Set(anze_domain::ids::new_id().to_string()),
                    hazard_id: Set(h.id.clone()),
                    grade: Set(h.grade.clone()),
                    step: Set(i32::try_from(step).unwrap_or(i32::MAX)),
                    audiences: Set(audiences.join(",")),
                    days_overdue: Set(i32::try_from(days).unwrap_or(i32::MAX)),
                    taken_at: Set(now),
                },
            )
            .await?;
            let note = format!("{} · {}", audiences.join(","), days);
            insert_event(&tx, &system, Step { hazard_id: &h.id, action: "escalate", from: f.state, to: f.state, note: &note }, now).await?;
            let changes = serde_json::json!({"step": step, "days_overdue": days, "audiences": audiences});
            audit::record(&tx, ctx, &system, now, audit::Event::new("hazard.escalate", "hazard", &h.id, changes)).await?;
            run.steps_taken += 1;
            for a in &rung.notify {
                let units = match audience_kind(*a) {
                    Some(kind) => {
                        let key = (kind, h.township_code.clone(), h.industry_code.clone());
                        if !audiences_of.contains_key(&key) {
                            let found =
                                repo::audience_units(&tx, &ctx.tenant, kind, h.township_code.as_deref(), h.industry_code.as_deref())
                                    .await?;
                            audiences_of.insert(key.clone(), found);
                        }
                        audiences_of.get(&key).cloned().unwrap_or_default()
                    }
                    None => vec![h.organisation_id.clone()],
                };
                for unit in units {
                    told.entry(unit).or_default().push(serde_json::json!({
                        "hazard": h.id, "description": h.description, "grade": h.grade, "days_overdue": days,
                    }));
                }
            }
        }
        tx.commit().await?;
    }
    for (unit, hazards) in told {
        let row = notification::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            organisation_id: Set(unit),
            kind: Set(ESCALATION_NOTICE.into()),
            params: Set(serde_json::json!({"hazards": hazards}).to_string()),
            issued_on: Set(today),
            created_at: Set(now),
            read_at: Set(None),
        };
        if anze_store::repo::notification::issue(&ctx.db.write, row).await? {
            run.notices += 1;
        }
    }
    Ok(run)
}
