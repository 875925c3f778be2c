//! Grid work in the demo (issue 4): the demo grid worker's last few patrols and a publicity
//! event, recorded through the same use cases as the phone pages.

use crate::patrol::{NewPatrol, NewPublicity, create, create_publicity};
use crate::{Actor, Ctx, ServiceResult};
use anze_domain::auth::Assignment;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

const NOTES: [&str; 3] = [
    "沿网格主干道巡查，查看沿街门店消防器材配置情况，未发现明显问题。",
    "走访村内小作坊，提醒电动车不得在楼道内充电，已现场劝离一处。",
    "巡查建筑工地周边，围挡完好，提醒夜间施工做好警示。",
];

/// Three patrols on the three days before `now` and one publicity event, for the grid worker.
#[tracing::instrument(level = "debug", skip_all, fields(user_id = %user_id))]
pub async fn record(ctx: &Ctx, user_id: &str, name: &str, assignment: &Assignment, now: DateTime<Utc>) -> ServiceResult<()> {
    let worker = Actor {
        user_id: Uuid::parse_str(user_id).ok(),
        name: name.into(),
        assignments: vec![assignment.clone()],
        address: "demo".into(),
        locale: "zh-CN".into(),
        must_change_password: false,
    };
    let local = now.with_timezone(&anze_domain::time::shanghai());
    for (days, notes) in (1..=3).zip(NOTES) {
        let day = (local - Duration::days(days)).format("%Y-%m-%d");
        let p = NewPatrol {
            started_at: format!("{day}T09:00"),
            ended_at: format!("{day}T10:30"),
            place: "本网格".into(),
            notes: notes.into(),
            ..Default::default()
        };
        create(ctx, &worker, &p, now).await?;
    }
    let event = NewPublicity {
        held_on: (local - Duration::days(2)).format("%Y-%m-%d").to_string(),
        place: "村委会广场".into(),
        kind: "leaflets".into(),
        audience: "60".into(),
        notes: "发放燃气安全、电动车充电安全宣传资料。".into(),
        ..Default::default()
    };
    create_publicity(ctx, &worker, &event, now).await?;
    Ok(())
}
