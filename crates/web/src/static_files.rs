//! Static files embedded in the binary (no CDN: intranets have none).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

pub async fn serve(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            ([(header::CONTENT_TYPE, mime.as_ref().to_string()), (header::CACHE_CONTROL, "public, max-age=86400".to_string())], file.data)
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn swagger() -> Response {
    match Assets::get("swagger.html") {
        Some(file) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], file.data).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
