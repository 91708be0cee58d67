//! One-at-a-time work per key: a user message's creation, edits and deletion; the opening of
//! one conversation's escalation. Locks exist only while someone holds or waits for them.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Async locks by key.
#[derive(Debug)]
pub struct KeyedLocks<K> {
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K> Default for KeyedLocks<K> {
    fn default() -> Self {
        KeyedLocks {
            locks: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone> KeyedLocks<K> {
    /// Runs `f` while holding the lock of `key`; work on other keys goes on meanwhile. The
    /// key's entry is dropped when nobody holds or awaits it, also when the caller is cancelled
    /// while waiting or working.
    pub async fn run<T>(&self, key: K, f: impl Future<Output = T>) -> T {
        let lock = self
            .locks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.clone())
            .or_default()
            .clone();
        let _entry = Entry {
            locks: self,
            key: &key,
            lock: &lock,
        };
        let _held = lock.lock().await;
        f.await
    }

    /// Keys with a lock held or awaited.
    pub fn len(&self) -> usize {
        self.locks.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A caller's hold on a key's entry: when it ends (returned or cancelled), the entry goes if
/// nobody else holds or awaits the lock.
struct Entry<'a, K: Eq + Hash + Clone> {
    locks: &'a KeyedLocks<K>,
    key: &'a K,
    lock: &'a Arc<tokio::sync::Mutex<()>>,
}

impl<K: Eq + Hash + Clone> Drop for Entry<'_, K> {
    fn drop(&mut self) {
        let mut locks = self.locks.locks.lock().unwrap_or_else(|e| e.into_inner());
        // The map's and this caller's: nobody else waits for it.
        if locks
            .get(self.key)
            .is_some_and(|l| Arc::ptr_eq(l, self.lock) && Arc::strong_count(l) <= 2)
        {
            locks.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_on_one_key_never_overlaps_and_locks_are_dropped() {
        let locks = Arc::new(KeyedLocks::<u64>::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (locks, inside, most) = (locks.clone(), inside.clone(), most.clone());
                tokio::spawn(async move {
                    locks
                        .run(1, async {
                            let n = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(n, Ordering::SeqCst);
                            tokio::task::yield_now().await;
                            inside.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        assert!(locks.is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_caller_leaves_no_entry_behind() {
        let locks = Arc::new(KeyedLocks::<u64>::default());
        let (started, wait) = tokio::sync::oneshot::channel::<()>();
        // One holds key 1 for ever; one waits for it; both are cancelled.
        let holder = {
            let locks = locks.clone();
            tokio::spawn(async move {
                locks
                    .run(1, async {
                        let _ = started.send(());
                        std::future::pending::<()>().await
                    })
                    .await
            })
        };
        wait.await.unwrap();
        let waiter = {
            let locks = locks.clone();
            tokio::spawn(async move { locks.run(1, async {}).await })
        };
        tokio::task::yield_now().await;
        waiter.abort();
        holder.abort();
        let _ = (waiter.await, holder.await);
        assert!(locks.is_empty(), "{} entries left", locks.len());
        // 100,000 distinct keys, each done: nothing kept.
        for k in 0..100_000u64 {
            locks.run(k, async {}).await;
        }
        assert!(locks.is_empty());
    }
}
