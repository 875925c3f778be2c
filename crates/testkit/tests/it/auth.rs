use anze_service::{Actor, ServiceError};
use anze_testkit::*;

#[tokio::test]
async fn admin_signs_in_and_five_failures_lock_the_account() {
    let t = test_db().await;
    let now = chrono::Utc::now();
    let password = anze_service::auth::ensure_admin(&t.ctx, now).await.unwrap().expect("first run creates admin");
    assert!(anze_service::auth::ensure_admin(&t.ctx, now).await.unwrap().is_none(), "only once");
    let s = anze_service::auth::sign_in(&t.ctx, "admin", &password, "127.0.0.1", now).await.unwrap();
    let (actor, csrf) = anze_service::auth::session_actor(&t.ctx, &s.secret, "127.0.0.1", now).await.unwrap().expect("live session");
    assert_eq!(csrf, s.csrf_token);
    assert_eq!(actor.name, "系统管理员");
    // Idle for 31 minutes: the session is gone.
    let later = now + chrono::Duration::minutes(31);
    assert!(anze_service::auth::session_actor(&t.ctx, &s.secret, "127.0.0.1", later).await.unwrap().is_none());
    for _ in 0..4 {
        let e = anze_service::auth::sign_in(&t.ctx, "admin", "wrong", "127.0.0.1", now).await.unwrap_err();
        assert!(matches!(e, ServiceError::Unauthenticated("auth.bad_credentials")));
    }
    let e = anze_service::auth::sign_in(&t.ctx, "admin", "wrong", "127.0.0.1", now).await.unwrap_err();
    assert!(matches!(e, ServiceError::Unauthenticated("auth.locked")));
    // Even the right password is refused while locked, and accepted after 15 minutes.
    assert!(anze_service::auth::sign_in(&t.ctx, "admin", &password, "127.0.0.1", now).await.is_err());
    let after = now + chrono::Duration::minutes(16);
    assert!(anze_service::auth::sign_in(&t.ctx, "admin", &password, "127.0.0.1", after).await.is_ok());
}

#[tokio::test]
async fn temporary_password_must_change_and_policy_applies() {
    let t = test_db().await;
    let now = chrono::Utc::now();
    let u = anze_service::auth::NewUser {
        username: "zhou".into(),
        display_name: "周主任".into(),
        password: "Temp#2024x".into(),
        temporary: true,
        assignments: vec![],
        person_id: None,
        email: None,
    };
    let weak = anze_service::auth::NewUser { password: "abcdefgh".into(), username: "weak".into(), ..u.clone() };
    let e = anze_service::auth::create_user(&t.ctx, &Actor::system("test"), weak, now).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].code == "password.classes"), "{e:?}");
    anze_service::auth::create_user(&t.ctx, &Actor::system("test"), u, now).await.unwrap();
    let s = anze_service::auth::sign_in(&t.ctx, "zhou", "Temp#2024x", "127.0.0.1", now).await.unwrap();
    assert!(s.actor.must_change_password);
    let e = anze_service::auth::change_password(&t.ctx, &s.actor, "Temp#2024x", "short", now).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].code == "password.too_short"), "{e:?}");
    anze_service::auth::change_password(&t.ctx, &s.actor, "Temp#2024x", "Better#Pass2024", now).await.unwrap();
    let s = anze_service::auth::sign_in(&t.ctx, "zhou", "Better#Pass2024", "127.0.0.1", now).await.unwrap();
    assert!(!s.actor.must_change_password);
}

#[tokio::test]
async fn tokens_expire_and_can_be_revoked() {
    let t = test_db().await;
    let now = chrono::Utc::now();
    let password = anze_service::auth::ensure_admin(&t.ctx, now).await.unwrap().unwrap();
    let (token, expires) = anze_service::auth::issue_token(&t.ctx, "admin", &password, "127.0.0.1", now).await.unwrap();
    assert!(anze_service::auth::token_actor(&t.ctx, &token, "x", now).await.is_ok());
    let e = anze_service::auth::token_actor(&t.ctx, &token, "x", expires + chrono::Duration::seconds(1)).await.unwrap_err();
    assert!(matches!(e, ServiceError::Unauthenticated("auth.token_expired")));
    let actor = anze_service::auth::token_actor(&t.ctx, &token, "x", now).await.unwrap();
    anze_service::auth::revoke_token(&t.ctx, &actor, &token, now).await.unwrap();
    let e = anze_service::auth::token_actor(&t.ctx, &token, "x", now).await.unwrap_err();
    assert!(matches!(e, ServiceError::Unauthenticated("auth.token_revoked")));
}
