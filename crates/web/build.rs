//! Templates, translations and static files are compiled into the binary; tell Cargo to
//! rebuild when any of them changes (a template-only edit was otherwise missed by one of the
//! two feature variants of this crate that a workspace build makes).

fn main() {
    for dir in ["templates", "locales", "assets"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
