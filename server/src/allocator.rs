//! glibc's allocator, told at start-up to give large blocks back.
//!
//! Attachments move through the server in 1 MiB chunks (`backend::mail::content`): our
//! buffer, sqlx's bind, SQLite's copy. glibc serves blocks that size from `mmap` at first,
//! but each `free` of one raises its dynamic mmap threshold, after which such blocks come
//! from per-thread arenas and stay there when freed: 100 attachments of 30 MiB left the
//! process at 196 MiB with 2 MiB live (bench row 7). A fixed threshold keeps every block
//! of 128 KiB and more on `mmap`, returned at `free`; two arenas keep the many SQLite and
//! Tokio threads from each holding their own. Row 7 with both: 110 MiB; row 2 and row 6
//! are measured with them too (bench/RESULTS.md §7).
//!
//! An operator's own `MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_` wins: glibc read it at
//! start, and we leave that setting alone.

/// Blocks from this size on are mapped and unmapped on their own.
const MMAP_THRESHOLD_BYTES: i32 = 128 * 1024;
/// Arenas for all threads together (glibc's default: 8 per core).
const ARENA_MAX: i32 = 2;

/// Sets the allocator's limits; call first in `main`, before any thread starts.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            glibc::set(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        }
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            glibc::set(libc::M_ARENA_MAX, ARENA_MAX);
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod glibc {
    /// `mallopt` through the libc crate: no crate offers it safely. A refused setting
    /// leaves glibc's default, which is correct, only larger.
    pub(super) fn set(parameter: libc::c_int, value: libc::c_int) {
        // SAFETY: `mallopt` takes two integers and touches only the allocator's own
        // settings; both parameters are ones glibc documents, with values in range.
        let accepted = unsafe { libc::mallopt(parameter, value) };
        if accepted != 1 {
            eprintln!("mallopt({parameter}, {value}) was refused; glibc's default stays");
        }
    }
}
