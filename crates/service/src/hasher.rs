//! Password hashing on a small fixed set of threads. Each argon2id hash takes 19 MiB; on
//! tokio's blocking pool every hash could land on a new thread whose allocator arena keeps
//! that memory, so a login storm grew the process past 450 MiB. A fixed pool bounds it to
//! `threads × 19 MiB`, and requests beyond it wait in the queue instead of failing.

use crate::{ServiceError, ServiceResult};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

pub struct Hasher {
    jobs: Sender<Job>,
}

impl Hasher {
    pub fn new(threads: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("anze-hash-{i}")).spawn(move || {
                loop {
                    // The lock is held only while waiting for the next job.
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // the Hasher was dropped
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Self { jobs }
    }

    /// Runs `work` on a hashing thread and waits for its result without blocking the runtime.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| ServiceError::Internal("password hashing threads are gone".into()))?;
        result.await.map_err(|_| ServiceError::Internal("password hashing thread failed".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_work_on_named_threads_and_queues_beyond_them() {
        let h = Arc::new(Hasher::new(2));
        let mut handles = vec![];
        for i in 0..20 {
            let h = h.clone();
            handles.push(tokio::spawn(async move { h.run(move || (i * 2, std::thread::current().name().map(String::from))).await }));
        }
        for (i, handle) in handles.into_iter().enumerate() {
            let (v, name) = handle.await.unwrap().unwrap();
            assert_eq!(v, i * 2);
            assert!(name.unwrap().starts_with("anze-hash-"));
        }
    }
}
