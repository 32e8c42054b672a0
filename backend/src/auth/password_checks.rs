//! At most a few password checks at once, on threads of their own. One argon2 check costs
//! about 19 MiB and tens of milliseconds of CPU; run unbounded on the blocking pool (up to
//! 512 threads), a flood of sign-in posts takes all memory and every core. Checks beyond
//! the bound wait a short while for a free slot, then the sign-in is refused with "probeer
//! het zo opnieuw" — a waiting request holds no argon2 memory.
//!
//! Why threads of their own rather than the blocking pool: glibc's allocator keeps a freed
//! 19 MiB block in the arena of the thread that freed it (its mmap threshold grows to fit
//! such blocks), and the blocking pool runs each check on whichever of its many threads is
//! free — bench row 8 measured 584 MiB after 250 checks, two at a time. A fixed set of
//! threads holds at most one block each.

use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

/// A password check for a worker thread.
type Job = Box<dyn FnOnce() + Send>;

/// The bound on concurrent password checks (`SIGN_IN_CONCURRENT_CHECKS`).
#[derive(Clone, Debug)]
pub struct PasswordChecks {
    slots: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
    capacity: usize,
    wait: Duration,
}

impl PasswordChecks {
    /// How long a sign-in waits for a free slot before it is asked to try again.
    pub const DEFAULT_WAIT: Duration = Duration::from_secs(2);

    /// `capacity` checks at once (at least one), each on one of `capacity` threads; a check
    /// waits at most `wait` for a slot. The threads end when the last clone is dropped.
    pub fn new(capacity: usize, wait: Duration) -> Self {
        let capacity = capacity.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..capacity {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || loop {
                    // The lock is held only while taking a job, not while running it.
                    let next = queue.lock().map(|queue| queue.recv());
                    match next {
                        Ok(Ok(job)) => job(),
                        _ => return,
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "a password-check thread could not start");
            }
        }
        PasswordChecks {
            slots: Arc::new(Semaphore::new(capacity)),
            jobs,
            capacity,
            wait,
        }
    }

    /// Runs `check` on a password-check thread once a slot is free; None when none became
    /// free within the wait (or the check could not run).
    pub async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let slot = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()?;
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(check());
            drop(slot);
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }
}

impl Default for PasswordChecks {
    /// One check per core: argon2 is CPU-bound, more at once only queue inside the kernel.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordChecks::new(cores, Self::DEFAULT_WAIT)
    }
}

/// Two bounds are equal when they allow the same; the slots in use do not matter.
impl PartialEq for PasswordChecks {
    fn eq(&self, other: &Self) -> bool {
        self.capacity == other.capacity && self.wait == other.wait
    }
}

impl Eq for PasswordChecks {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[tokio::test]
    async fn no_more_than_capacity_run_at_once_and_the_rest_are_refused_after_the_wait() {
        let checks = PasswordChecks::new(2, Duration::from_millis(50));
        let running = Arc::new(AtomicUsize::new(0));
        // The running checks hold their slots until every other sign-in has given up.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Arc::new(Mutex::new(held));
        let start = |checks: &PasswordChecks| {
            let checks = checks.clone();
            let (running, held) = (running.clone(), held.clone());
            tokio::spawn(async move {
                checks
                    .run(move || {
                        running.fetch_add(1, Ordering::SeqCst);
                        let _ = held.lock().unwrap().recv();
                    })
                    .await
            })
        };
        let first = [start(&checks), start(&checks)];
        while running.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        let refused: Vec<_> = (0..4).map(|_| start(&checks)).collect();
        for task in refused {
            assert_eq!(task.await.unwrap(), None, "no slot within the wait");
        }
        assert_eq!(running.load(Ordering::SeqCst), 2, "never more than two");
        for _ in 0..2 {
            release.send(()).unwrap();
        }
        for task in first {
            assert_eq!(task.await.unwrap(), Some(()));
        }
        assert_eq!(checks.run(|| 7).await, Some(7), "the slots are free again");
    }
}
