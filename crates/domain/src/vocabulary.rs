//! Closed vocabularies: every state, kind and grade the domain names is an enum declared with
//! this one macro, stored as TEXT with a CHECK constraint (`sql_list`). `as_str` is the one
//! spelling used in the database, the API and campaign files; `parse` reads it back; screens
//! translate it through the locale files (`<vocab>-<value>`). Variants may carry doc comments
//! that say what each value means.

/// Declares a closed vocabulary: the enum, `ALL`, `as_str`, `parse` and `sql_list`.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }

            /// `'a','b',…` for a CHECK constraint.
            pub fn sql_list() -> String {
                Self::ALL.iter().map(|v| format!("'{}'", v.as_str())).collect::<Vec<_>>().join(",")
            }
        }
    };
}
pub(crate) use vocabulary;
