//! The deadline of an attempt, kept on timers a client reuses.
//!
//! A tokio timer is cheap to wait on but dear to start and stop on a busy runtime: both
//! take the time driver's lock, and a timer that would expire before any other wakes
//! the driver's thread (a system call, and a thread woken for nothing). Most attempts
//! end long before their deadline, so the timer of one that is done is kept, still
//! armed, and the next attempt on the same runtime moves it later, which tokio does
//! without its lock (the timer then comes due at its old time once, and is filed again
//! for the new one).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use tokio::runtime::{Handle, Id};
use tokio::time::Sleep;

/// Timers kept at most: as many as attempts were in flight at once, up to this.
const MAX_KEPT: usize = 256;

/// The timers a client's attempts are done with, each with the runtime it belongs to.
#[derive(Default)]
pub(crate) struct Timers {
    kept: Mutex<Vec<(Id, Pin<Box<Sleep>>)>>,
}

impl Timers {
    /// `work` until `deadline`: its output, or `None` once the deadline has passed.
    /// A timer is taken only if `work` waits.
    pub(crate) fn within<'a, F: Future>(
        &'a self,
        deadline: Instant,
        work: Pin<&'a mut F>,
    ) -> Within<'a, F> {
        Within {
            timers: self,
            deadline,
            work,
            timer: None,
        }
    }

    fn kept(&self) -> MutexGuard<'_, Vec<(Id, Pin<Box<Sleep>>)>> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A timer for `deadline` on the current runtime: a kept one moved to it, or a new
    /// one; with the runtime's id.
    fn take(&self, deadline: Instant) -> (Option<Id>, Pin<Box<Sleep>>) {
        let runtime = Handle::try_current().ok().map(|handle| handle.id());
        if let Some(id) = runtime {
            let mut kept = self.kept();
            if let Some(at) = kept.iter().rposition(|(of, _)| *of == id) {
                let (_, mut timer) = kept.swap_remove(at);
                drop(kept);
                timer.as_mut().reset(deadline.into());
                return (runtime, timer);
            }
        }
        (runtime, Box::pin(tokio::time::sleep_until(deadline.into())))
    }

    /// Keeps `timer` (of runtime `id`) for another attempt, still armed.
    fn keep(&self, id: Id, mut timer: Pin<Box<Sleep>>) {
        // Polled once with a waker that does nothing, which replaces the task's: a kept
        // timer coming due wakes no one, and holds no finished task in memory.
        let mut idle = Context::from_waker(Waker::noop());
        let _ = Pin::new(&mut tokio::task::unconstrained(timer.as_mut())).poll(&mut idle);
        let mut kept = self.kept();
        if kept.len() == MAX_KEPT {
            // The oldest first: it may belong to a runtime that is gone.
            drop(kept.remove(0));
        }
        kept.push((id, timer));
    }
}

/// `work` until a deadline (see [`Timers::within`]).
pub(crate) struct Within<'a, F> {
    timers: &'a Timers,
    deadline: Instant,
    work: Pin<&'a mut F>,
    /// Taken from `timers` at the first wait, with the runtime it belongs to.
    timer: Option<(Option<Id>, Pin<Box<Sleep>>)>,
}

impl<F: Future> Future for Within<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Poll::Ready(output) = this.work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        let (timers, deadline) = (this.timers, this.deadline);
        let (_, timer) = this.timer.get_or_insert_with(|| timers.take(deadline));
        // Outside the task's budget, as tokio's own timeout: work that spends the whole
        // budget cannot keep its deadline from passing.
        match Pin::new(&mut tokio::task::unconstrained(timer.as_mut())).poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<F> Drop for Within<'_, F> {
    fn drop(&mut self) {
        if let Some((Some(id), timer)) = self.timer.take() {
            self.timers.keep(id, timer);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn after(wait: Duration) -> Instant {
        Instant::now() + wait
    }

    /// Work that never ends, given 30 ms: it ends by then, and its timer is kept.
    async fn stuck_work_ends_on_time(timers: &Timers) {
        let mut stuck = std::pin::pin!(std::future::pending::<()>());
        let started = Instant::now();
        let deadline = after(Duration::from_millis(30));
        assert_eq!(timers.within(deadline, stuck.as_mut()).await, None);
        assert!(Instant::now() >= deadline && started.elapsed() < Duration::from_secs(10));
        assert_eq!(timers.kept().len(), 1);
    }

    #[tokio::test]
    async fn work_ends_by_its_deadline_or_with_its_output() {
        let timers = Timers::default();
        let mut quick = std::pin::pin!(async { 7 });
        let deadline = after(Duration::from_secs(60));
        assert_eq!(timers.within(deadline, quick.as_mut()).await, Some(7));
        // Work that never waits takes no timer.
        assert!(timers.kept().is_empty());
        stuck_work_ends_on_time(&timers).await;
    }

    #[tokio::test]
    async fn a_kept_timer_serves_the_next_deadline() {
        let timers = Timers::default();
        for round in 1..=3 {
            let mut work = std::pin::pin!(tokio::time::sleep(Duration::from_millis(2)));
            let deadline = after(Duration::from_secs(60));
            assert_eq!(timers.within(deadline, work.as_mut()).await, Some(()));
            // One timer, moved to each new deadline.
            assert_eq!(timers.kept().len(), 1, "round {round}");
        }
        // Moved earlier than it was, it still ends stuck work on time.
        stuck_work_ends_on_time(&timers).await;
    }

    #[test]
    fn timers_of_another_runtime_are_not_used() {
        let timers = Timers::default();
        let wait = |timers: &Timers| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut work = std::pin::pin!(tokio::time::sleep(Duration::from_millis(1)));
                let deadline = after(Duration::from_secs(60));
                timers.within(deadline, work.as_mut()).await
            })
        };
        assert_eq!(wait(&timers), Some(()));
        // The first runtime is gone: its timer is not reused (using it would fail).
        assert_eq!(wait(&timers), Some(()));
        assert_eq!(timers.kept().len(), 2);
    }
}
