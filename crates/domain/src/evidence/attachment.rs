//! Attachments of activity records (issue 5 item 3: minutes, sign-in sheets, plans, photos):
//! which files are accepted. The content decides, not the name: a file must be what its
//! extension says (a renamed executable is refused), within the size limit.

use crate::FieldError;

/// The largest attachment accepted (a scanned meeting record fits; a video does not).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file an activity may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Pdf,
    /// Word, Excel or PowerPoint (Office Open XML, a zip).
    Docx,
    Xlsx,
    Pptx,
    Jpeg,
    Png,
}

impl AttachmentKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// The file's kind when its name and content agree; otherwise which field is wrong and why.
/// The name is kept for display only (trimmed, at most 200 characters, no path).
pub fn check(name: &str, bytes: &[u8]) -> Result<AttachmentKind, FieldError> {
    let err = |code| FieldError::new("attachment", code);
    if bytes.is_empty() {
        return Err(err("evidence.attachment.empty").with_detail(name.to_string()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(err("evidence.attachment.too_large").with_detail(format!("{} MB", MAX_BYTES / 1024 / 1024)));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let kind = match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => Some(AttachmentKind::Pdf),
        "docx" if zip => Some(AttachmentKind::Docx),
        "xlsx" if zip => Some(AttachmentKind::Xlsx),
        "pptx" if zip => Some(AttachmentKind::Pptx),
        "jpg" | "jpeg" if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => Some(AttachmentKind::Jpeg),
        "png" if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Some(AttachmentKind::Png),
        _ => None,
    };
    kind.ok_or_else(|| err("evidence.attachment.kind").with_detail(name.to_string()))
}

/// The name as shown and offered for download: its last path part, trimmed, at most 200
/// characters; `附件` when nothing is left.
pub fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let short: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if short.is_empty() { "附件".into() } else { short }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_must_be_what_its_name_says() {
        assert_eq!(check("会议纪要.pdf", b"%PDF-1.7\n...").unwrap(), AttachmentKind::Pdf);
        assert_eq!(check("签到表.XLSX", b"PK\x03\x04rest").unwrap(), AttachmentKind::Xlsx);
        assert_eq!(check("现场.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), AttachmentKind::Jpeg);
        assert_eq!(check("纪要.pdf", b"MZ\x90\x00").unwrap_err().code, "evidence.attachment.kind", "a renamed program");
        assert_eq!(check("setup.exe", b"MZ\x90\x00").unwrap_err().code, "evidence.attachment.kind");
        assert_eq!(check("空.pdf", b"").unwrap_err().code, "evidence.attachment.empty");
        assert_eq!(check("大.pdf", &vec![b'%'; MAX_BYTES + 1]).unwrap_err().code, "evidence.attachment.too_large");
    }

    #[test]
    fn the_shown_name_drops_paths_and_quotes() {
        assert_eq!(display_name("C:\\Users\\王\\会议纪要.pdf"), "会议纪要.pdf");
        assert_eq!(display_name("../a\"b.pdf"), "ab.pdf");
        assert_eq!(display_name("  "), "附件");
    }
}
