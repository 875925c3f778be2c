//! Evidence (现场照片, 会议纪要 …): what the platform accepts as proof that something was done.
//! Photos are checked by content and pixel count before they are decoded; attachments must be
//! what their extension says. Every context that keeps evidence (fulfilment records, hazards,
//! inspections, patrols, activities) uses these rules and these codes (`evidence.*`).

pub mod attachment;
pub mod photo;
