//! Keyspace notifications: `notify-keyspace-events`, published as pub/sub messages on
//! `__keyspace@<db>__:<key>` (message: the event name) and `__keyevent@<db>__:<event>`
//! (message: the key). Follows Redis's `notify.c` and the keyspace-notifications page
//! (<https://redis.io/docs/latest/develop/use/keyspace-notifications/>).
//!
//! Command handlers call [`crate::context::Ctx::notify`] with the event's class (`g`, `$`,
//! `l`, ...) and Redis's event name, right after the write it describes. Events that happen
//! inside the keyspace crate (a key reclaimed because its TTL passed: `expired`; a key
//! added: `new`; a read of a missing key: `keymiss`) are recorded by the databases
//! ([`ferrodis_keyspace::db::events`]) only while their class is enabled, and published by
//! [`publish_recorded`] before the command's own events and when the command ends, and by the
//! active expire cycle.

use crate::server::Shared;
use bytes::Bytes;
pub use ferrodis_config::notify::*;
use ferrodis_keyspace::db::events;
use ferrodis_keyspace::{Keyspace, Shard};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, Ordering};

/// The enabled classes, read on every write without a lock.
#[derive(Debug, Default)]
pub struct Notifier {
    flags: AtomicU32,
    /// Some client tracks keys (CLIENT TRACKING): expired keys must be reported to
    /// `crate::tracking` whatever the notification classes.
    tracking: AtomicBool,
    /// The event mask the databases were last given.
    mask: AtomicU8,
}

impl Notifier {
    /// The current `notify-keyspace-events` bits.
    #[inline]
    pub fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    /// True when some event would be published (K or E, and at least one class).
    #[inline]
    pub fn enabled(&self) -> bool {
        let f = self.flags();
        f & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT) != 0
            && f & !(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT) != 0
    }

    /// True when the databases record events that must be handled when a command ends
    /// (notifications enabled, or a client tracking keys).
    #[inline]
    pub fn wants_recorded(&self) -> bool {
        self.mask.load(Ordering::Relaxed) != 0
    }

    /// Applies a new `notify-keyspace-events` value: stores the bits and tells the
    /// databases which keyspace-side events to record from now on.
    pub fn configure(&self, keyspace: &Keyspace, flags: u32) {
        self.flags.store(flags, Ordering::Relaxed);
        self.apply(keyspace);
    }

    /// Whether some client tracks keys (expired keys then invalidate caches).
    pub fn set_tracking(&self, keyspace: &Keyspace, on: bool) {
        if self.tracking.swap(on, Ordering::Relaxed) != on {
            self.apply(keyspace);
        }
    }

    fn apply(&self, keyspace: &Keyspace) {
        let flags = self.flags();
        let mut mask = 0;
        if self.tracking.load(Ordering::Relaxed) {
            mask |= events::EXPIRED;
        }
        if flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT) != 0 {
            if flags & NOTIFY_EXPIRED != 0 {
                mask |= events::EXPIRED;
            }
            if flags & NOTIFY_NEW != 0 {
                mask |= events::NEW;
            }
            if flags & NOTIFY_KEY_MISS != 0 {
                mask |= events::KEY_MISS;
            }
        }
        if self.mask.swap(mask, Ordering::Relaxed) != mask {
            keyspace.set_event_log(mask);
        }
    }
}

/// Publishes one event (Redis's `notifyKeyspaceEvent`): `class` is one `NOTIFY_*` class
/// bit, `event` Redis's event name (`set`, `lpush`, `expired` ...), `db` the database index.
/// Does nothing unless the class and K or E are enabled.
pub fn notify(shared: &Shared, class: u32, event: &str, key: &[u8], db: usize) {
    let flags = shared.notify.flags();
    if flags & class == 0 {
        return;
    }
    let mut prefix = itoa::Buffer::new();
    let db_text = prefix.format(db);
    if flags & NOTIFY_KEYSPACE != 0 {
        let mut channel = Vec::with_capacity(16 + db_text.len() + key.len());
        channel.extend_from_slice(b"__keyspace@");
        channel.extend_from_slice(db_text.as_bytes());
        channel.extend_from_slice(b"__:");
        channel.extend_from_slice(key);
        crate::pubsub::publish(
            shared,
            &Bytes::from(channel),
            &Bytes::copy_from_slice(event.as_bytes()),
        );
    }
    if flags & NOTIFY_KEYEVENT != 0 {
        let mut channel = Vec::with_capacity(16 + db_text.len() + event.len());
        channel.extend_from_slice(b"__keyevent@");
        channel.extend_from_slice(db_text.as_bytes());
        channel.extend_from_slice(b"__:");
        channel.extend_from_slice(event.as_bytes());
        crate::pubsub::publish(shared, &Bytes::from(channel), &Bytes::copy_from_slice(key));
    }
}

/// Publishes the events the databases of `shard` recorded (`expired`, `new`, `keymiss`), in
/// the order they happened within each database.
pub fn publish_recorded(shared: &Shared, shard: &mut Shard) {
    for (index, db) in shard.dbs.iter_mut().enumerate() {
        if !db.has_events() {
            continue;
        }
        for (event, key) in db.take_events() {
            if event == events::EXPIRED {
                // Redis's `deleteExpiredKeyAndPropagate` signals the key as modified: caches
                // of it are invalidated (no writer, so NOLOOP filters nothing).
                shared.tracking.invalidate_key(shared, &key, None);
            }
            let (class, name) = match event {
                events::EXPIRED => (NOTIFY_EXPIRED, "expired"),
                events::NEW => (NOTIFY_NEW, "new"),
                _ => (NOTIFY_KEY_MISS, "keymiss"),
            };
            notify(shared, class, name, &key, index);
        }
    }
}
