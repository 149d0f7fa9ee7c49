-- 0024: a staff account's credentials have a generation, counted up whenever its password is
-- changed or reset and whenever it is deactivated or activated. A session remembers the
-- generation it signed in under and ends when it moves on: a password reset because it was
-- stolen, or an account deactivated and activated again between two clicks, no longer leaves
-- an open window working under the old credentials until it goes idle.
ALTER TABLE staff ADD COLUMN credentials_gen INTEGER NOT NULL DEFAULT 0 CHECK (credentials_gen >= 0);
