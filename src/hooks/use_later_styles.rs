//! The second style sheet (a job, its visit, settings: `@later` CSS files): the page links
//! only the first screen's styles, and the boot script adds the rest (`window.
//! doorstepLaterStyles`, idempotent): at once when the app opens on a later screen, after
//! today's list is painted, or when a later screen asks (each lazy screen does, in case it
//! opens before the list has shown). In tests without the boot script, nothing.

/// Has the boot script add the later screens' style sheet (once; later calls do nothing).
pub fn request_later_styles() {
    super::call_boot("doorstepLaterStyles");
}
