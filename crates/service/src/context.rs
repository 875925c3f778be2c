//! The service context (database, object store, tenant, settings) and the actor behind each call.

use anze_domain::auth::{Action, Assignment, PasswordPolicy, Scope, Target, can};
use anze_store::Db;
use anze_store::objects::{ObjectError, Objects};
use std::path::PathBuf;
use std::sync::Arc;
use uuid::Uuid;

/// Settings the services need; the app fills them from config.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub password_policy: PasswordPolicy,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub lockout_failures: i32,
    pub lockout_minutes: i64,
    pub token_days: i64,
    /// Threads that hash passwords, so at most this many argon2 hashes (19 MiB each) run at once.
    pub hash_concurrency: usize,
    /// Days a person may hold a post without a signed current list before counting as stale.
    pub stale_after_days: i64,
    /// Who is told when a hazard runs overdue, per grade, and when a major one may be exposed.
    pub hazard_ladders: anze_domain::escalation::Ladders,
    /// The folder of the object store (photo originals); `<data_dir>/objects` when unset.
    pub object_store_root: Option<PathBuf>,
    /// `[notify]`: the reminder window, the webhook and SMTP of the outbox (issue 5).
    pub notify: NotifySettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            password_policy: PasswordPolicy::Dengbao,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 15,
            token_days: 30,
            hash_concurrency: 2,
            stale_after_days: 7,
            hazard_ladders: anze_domain::escalation::Ladders::default(),
            object_store_root: None,
            notify: NotifySettings::default(),
        }
    }
}

/// Everything a use case needs besides its arguments. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    /// Where photo originals are kept (a folder by default).
    pub objects: Objects,
    pub tenant: String,
    pub settings: Arc<Settings>,
    pub(crate) hasher: Arc<crate::hasher::Hasher>,
}

impl Settings {
    /// Where the object store keeps its files.
    pub fn object_root(&self) -> PathBuf {
        self.object_store_root.clone().unwrap_or_else(|| self.data_dir.join("objects"))
    }
}

impl Ctx {
    /// The context over a database; opens (creating when missing) the object store folder.
    pub fn new(db: Db, settings: Settings) -> Result<Self, ObjectError> {
        let permits = settings.hash_concurrency.max(1);
        let objects = Objects::folder(&settings.object_root())?;
        Ok(Self {
            db,
            objects,
            tenant: anze_domain::ids::DEFAULT_TENANT.to_string(),
            settings: Arc::new(settings),
            hasher: Arc::new(crate::hasher::Hasher::new(permits)),
        })
    }
}

/// Who is acting: a signed-in user, or the system (CLI, jobs, demo loader).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub name: String,
    pub assignments: Vec<Assignment>,
    pub address: String,
    pub locale: String,
    pub must_change_password: bool,
}

impl Actor {
    /// The system itself: full scope, audited as "system".
    pub fn system(what: &str) -> Self {
        Self {
            user_id: None,
            name: format!("system:{what}"),
            assignments: vec![Assignment {
                role: anze_domain::auth::Role::CityAdmin,
                region_path: None,
                organisation_id: None,
                industries: vec![],
            }],
            address: "local".into(),
            locale: "zh-CN".into(),
            must_change_password: false,
        }
    }

    pub fn scope(&self) -> Scope {
        Scope::of(&self.assignments)
    }

    /// The scope of the actor's inspecting assignments only: the pool a random draw (spot
    /// checks, 双随机) picks units and inspectors from.
    pub fn inspecting_scope(&self) -> Scope {
        let inspecting: Vec<_> = self.assignments.iter().filter(|a| a.role.inspects()).cloned().collect();
        Scope::of(&inspecting)
    }

    pub fn can(&self, action: Action, target: &Target) -> bool {
        can(&self.assignments, action, target)
    }

    pub fn can_somewhere(&self, action: Action) -> bool {
        anze_domain::auth::can_somewhere(&self.assignments, action)
    }

    pub fn roles(&self) -> Vec<anze_domain::auth::Role> {
        let mut r: Vec<_> = self.assignments.iter().map(|a| a.role).collect();
        r.dedup();
        r
    }
}

/// A period due within this window and not met earns a reminder (days).
pub const DEFAULT_REMINDER_DAYS: i64 = 7;

/// `[notify]` in anze.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifySettings {
    pub reminder_days: i64,
    /// Each notice is also posted there as JSON, with an `Idempotency-Key` header.
    pub webhook_url: Option<String>,
    /// E-mail is sent when set; otherwise e-mail rows wait in the outbox.
    pub smtp: Option<SmtpSettings>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self { reminder_days: DEFAULT_REMINDER_DAYS, webhook_url: None, smtp: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
    /// STARTTLS required (port 587); off only for a relay on a trusted network or a test.
    pub starttls: bool,
}
