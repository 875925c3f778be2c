use anze_service::Actor;
use anze_store::repo::audit::Verification;
use anze_testkit::*;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn every_write_is_chained_and_tampering_is_found() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let now = chrono::Utc::now();
    let id = anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲公司", &credit_code(9)), now).await.unwrap();
    let mut input = enterprise_input("甲公司（更名）", &credit_code(9));
    input.risk_level = "red".into();
    anze_service::org::update_enterprise(&t.ctx, &sys, id, &input, now).await.unwrap();
    let trail = anze_service::audit::trail(&t.ctx, "organisation", &id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 2);
    assert!(trail[0].changes.contains("甲公司（更名）"), "{}", trail[0].changes);
    let v = anze_service::audit::verify_all(&t.ctx).await.unwrap();
    assert_eq!(v[0].1, Verification::Intact { events: 2 });
    // Someone edits a row behind the application's back.
    t.ctx.db.write.execute_unprepared("UPDATE audit_events SET actor_name = 'nobody', changes = '{}' WHERE seq = 1").await.unwrap();
    let v = anze_service::audit::verify_all(&t.ctx).await.unwrap();
    assert!(matches!(&v[0].1, Verification::Broken { seq: 1, reason: "audit.verify.hash", .. }), "{v:?}");
}

#[tokio::test]
async fn deleting_the_last_event_is_found() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲公司", &credit_code(10)), chrono::Utc::now()).await.unwrap();
    anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("乙公司", &credit_code(11)), chrono::Utc::now()).await.unwrap();
    t.ctx.db.write.execute_unprepared("DELETE FROM audit_events WHERE seq = 2").await.unwrap();
    let v = anze_service::audit::verify_all(&t.ctx).await.unwrap();
    assert!(matches!(&v[0].1, Verification::Broken { reason: "audit.verify.head", .. }), "{v:?}");
}
