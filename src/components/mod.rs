//! Widgets, one folder each with its CSS (`ds-` prefixed BEM classes reading theme variables).

mod bottom_nav;
mod error_note;
mod job_card;
mod later;
mod offline_banner;
mod progress_strip;
mod signature_pad;
mod status_chip;
mod stepper;
mod update_banner;

pub use bottom_nav::BottomNav;
pub use error_note::{not_loaded, ErrorNote};
pub use job_card::JobCard;
pub use later::Later;
pub use offline_banner::OfflineBanner;
pub use progress_strip::ProgressStrip;
pub use signature_pad::{SignatureInk, SignaturePad};
pub use status_chip::StatusChip;
pub use stepper::Stepper;
pub use update_banner::UpdateBanner;
