//! Staff accounts and the audit log (SPEC §2 item 2). An account lives twice: its row in the
//! database and its wrapped copy of the data key in the key file. Both change in the use case's
//! transaction — the key file last, under its own lock (`keyring::update`), while the database's
//! write lock is held — so two admins at once are serialised (a reset never gives back the key of
//! an account another admin just deactivated) and no session undoes another's change.

use super::{stamp, App, ADMIN, ANYONE, AUDITORS};
use crate::audit::{self, AuditEntry, AuditReport, Entry};
use crate::error::{Error, ErrorKind, Result};
use crate::keyring::{self, Account, Keyring};
use crate::staff::{self, NewStaff, Role, Staff};

fn last_admin() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "Harus tetap ada minimal satu Admin aktif.",
        "There must remain at least one active admin.",
    )
}

impl App {
    fn keys_path(&self) -> std::path::PathBuf {
        keyring::path_for(&self.db_path)
    }

    pub fn staff_list(&mut self) -> Result<Vec<Staff>> {
        self.guard(ADMIN)?;
        let ring = Keyring::load(&self.keys_path())?;
        let now = self.clock.now();
        let mut list = staff::db::list(&self.conn)?;
        for s in &mut list {
            s.locked_until = ring
                .as_ref()
                .and_then(|r| r.accounts.get(&s.username))
                .filter(|a| a.is_locked(now))
                .and_then(|a| a.locked_until)
                .map(stamp);
        }
        Ok(list)
    }

    pub fn add_staff(&mut self, n: &NewStaff) -> Result<Staff> {
        self.guard(ADMIN)?;
        let n = n.validated()?;
        // The key is wrapped (argon2, tens of milliseconds) before any lock is taken.
        let account = Account::wrap(&n.username, &n.password, &self.key)?;
        self.tx_keyed(|tx, at, actor, keys| {
            let id = staff::db::insert(tx, &n, at)?;
            let s = staff::db::by_id(tx, id)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("staff.add", "staff", id).after(&s),
            )?;
            keys.update(|ring| {
                ring.accounts.insert(n.username.clone(), account);
                Ok(())
            })?;
            Ok(s)
        })
    }

    /// Deactivating removes the account's copy of the data key, so the password no longer opens
    /// the database even outside the program. Activating again therefore needs a new password.
    pub fn set_staff_active(
        &mut self,
        id: i64,
        active: bool,
        reason: &str,
        new_password: Option<&str>,
    ) -> Result<Staff> {
        self.guard(ADMIN)?;
        let reason = crate::family::model::tidy(reason);
        crate::limits::check_text(
            "reason",
            &reason,
            crate::limits::NOTE,
            ("Alasan penonaktifan", "The reason for deactivating"),
        )?;
        let me = self.me.id;
        let account = if active {
            let target = staff::db::by_id(&self.conn, id)?;
            let pw = new_password.unwrap_or("");
            staff::validate_password(&target.username, pw)?;
            Some(Account::wrap(&target.username, pw, &self.key)?)
        } else {
            if reason.is_empty() {
                return Err(Error::invalid(
                    "reason",
                    "Alasan penonaktifan wajib diisi.",
                    "A reason for deactivation is required.",
                ));
            }
            if id == me {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Anda tidak dapat menonaktifkan akun sendiri.",
                    "You cannot deactivate your own account.",
                ));
            }
            None
        };
        self.tx_keyed(|tx, at, actor, keys| {
            let target = staff::db::by_id(tx, id)?;
            if !active
                && target.role == Role::Admin
                && target.active
                && staff::db::count_active_admins(tx)? <= 1
            {
                return Err(last_admin());
            }
            staff::db::set_active(tx, id, active, (!active).then_some(reason.as_str()))?;
            staff::db::bump_credentials(tx, id)?;
            let new = staff::db::by_id(tx, id)?;
            let action = if active {
                "staff.activate"
            } else {
                "staff.deactivate"
            };
            App::log(
                tx,
                at,
                actor,
                Entry::new(action, "staff", id)
                    .before(&target)
                    .after(&serde_json::json!({ "active": active, "reason": reason })),
            )?;
            keys.update(|ring| {
                match account {
                    Some(a) => {
                        ring.accounts.insert(target.username.clone(), a);
                    }
                    None => {
                        ring.accounts.remove(&target.username);
                    }
                }
                Ok(())
            })?;
            Ok(new)
        })
    }

    pub fn set_staff_role(&mut self, id: i64, role: Role) -> Result<Staff> {
        self.guard(ADMIN)?;
        let s = self.tx(|tx, at, actor| {
            let target = staff::db::by_id(tx, id)?;
            if target.role == Role::Admin
                && role != Role::Admin
                && target.active
                && staff::db::count_active_admins(tx)? <= 1
            {
                return Err(last_admin());
            }
            staff::db::set_role(tx, id, role)?;
            let new = staff::db::by_id(tx, id)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("staff.role", "staff", id)
                    .before(&target.role)
                    .after(&role),
            )?;
            Ok(new)
        })?;
        if id == self.me.id {
            self.me = s.clone();
        }
        Ok(s)
    }

    pub fn unlock_staff(&mut self, id: i64) -> Result<Staff> {
        self.guard(ADMIN)?;
        self.tx_keyed(|tx, at, actor, keys| {
            let target = staff::db::by_id(tx, id)?;
            let was = keys.update(|ring| {
                Ok(ring.accounts.get_mut(&target.username).and_then(|acc| {
                    acc.failures = 0;
                    acc.locked_until.take()
                }))
            })?;
            let mut e = Entry::new("staff.unlock", "staff", id);
            if let Some(t) = was {
                e = e.before(&serde_json::json!({ "locked_until": stamp(t) }));
            }
            App::log(tx, at, actor, e)?;
            Ok(target)
        })
    }

    pub fn reset_password(&mut self, id: i64, password: &str) -> Result<()> {
        self.guard(ADMIN)?;
        let target = staff::db::by_id(&self.conn, id)?;
        staff::validate_password(&target.username, password)?;
        // Wrapped (argon2, tens of milliseconds) before any lock is taken.
        let account = Account::wrap(&target.username, password, &self.key)?;
        let gen = self.tx_keyed(|tx, at, actor, keys| {
            // Read again here: another admin may have deactivated the account meanwhile, and a
            // reset must not give its key back.
            let target = staff::db::by_id(tx, id)?;
            if !target.active {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Akun ini nonaktif; aktifkan dulu (dengan kata sandi baru).",
                    "This account is inactive; activate it (with a new password) instead.",
                ));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("staff.reset_password", "staff", id),
            )?;
            // A password reset because it was stolen: the thief's open window ends too.
            let gen = staff::db::bump_credentials(tx, id)?;
            keys.update(|ring| {
                ring.accounts.insert(target.username.clone(), account);
                Ok(())
            })?;
            Ok(gen)
        })?;
        if id == self.me.id {
            // An admin resetting their own password goes on in this session.
            self.credentials_gen = gen;
        }
        Ok(())
    }

    pub fn change_password(&mut self, old: &str, new: &str) -> Result<()> {
        self.guard(ANYONE)?;
        let me = self.me.username.clone();
        staff::validate_password(&me, new).map_err(|e| e.with_field("new"))?;
        let wrong_old = || {
            Error::invalid(
                "old",
                "Kata sandi lama salah.",
                "The current password is wrong.",
            )
        };
        // First the current password, tried as at sign-in: under the key file's lock, a wrong
        // one counted toward the lock-out (and kept: a refused change rolls its transaction
        // back), so a desk left signed in is no way to guess it without end.
        let now = self.clock.now();
        keyring::update(&self.keys_path(), |ring| {
            let Some(acc) = ring.accounts.get_mut(&me) else {
                return Ok(Err(wrong_old()));
            };
            if let Some(until) = acc.locked_until.filter(|_| acc.is_locked(now)) {
                return Ok(Err(super::locked(until, None)));
            }
            Ok(match acc.unwrap(&me, old)? {
                Some(_) => Ok(()),
                None => match super::session::count_failure(acc, now) {
                    e if e.kind == ErrorKind::AccountLocked => Err(e),
                    _ => Err(wrong_old()),
                },
            })
        })??;
        let account = Account::wrap(&me, new, &self.key)?;
        let id = self.me.id;
        let gen = self.tx_keyed(|tx, at, actor, keys| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("staff.change_password", "staff", id),
            )?;
            // Other sessions of this account (another desk) end; this one goes on.
            let gen = staff::db::bump_credentials(tx, id)?;
            // The old password is tried against the key file as it is now, under its lock; an
            // account removed meanwhile is not brought back.
            keys.update(|ring| {
                let ok = match ring.accounts.get(&me) {
                    Some(acc) => acc.unwrap(&me, old)?.is_some(),
                    None => false,
                };
                if !ok {
                    return Err(wrong_old());
                }
                ring.accounts.insert(me.clone(), account);
                Ok(())
            })?;
            Ok(gen)
        })?;
        self.credentials_gen = gen;
        Ok(())
    }

    // ----- audit ---------------------------------------------------------------------------

    pub fn audit_list(&mut self, before_seq: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
        self.guard(AUDITORS)?;
        let list = audit::db::list(&self.conn, before_seq, limit.clamp(1, 500))?;
        // NIKs and No. KK stay as masked here as in the lists for the reader's role.
        Ok(if self.sees_nik_in_lists() {
            list
        } else {
            list.into_iter().map(AuditEntry::masked).collect()
        })
    }

    pub fn audit_verify(&mut self) -> Result<AuditReport> {
        self.guard(AUDITORS)?;
        audit::db::verify(&self.conn)
    }
}
