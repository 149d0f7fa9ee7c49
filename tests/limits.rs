//! Every text the store keeps has a length limit: the program's table (`limits::STORE_TEXT`) and
//! the store's triggers agree, no TEXT column is left without one, and a text too long is refused
//! naming its field, in the user's language, with nothing changed.

use crate::common::{new_staff, Fixture};
use bansos::limits::{store_text, STORE_TEXT};
use bansos::locale::Lang;
use bansos::staff::{NewStaff, Role};
use bansos::ErrorKind;

/// (table, column, the table's CREATE statement) for every TEXT column of a new database.
fn text_columns(raw: &rusqlite::Connection) -> Vec<(String, String, String)> {
    let mut tables = raw
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap();
    let tables: Vec<(String, String)> = tables
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for (t, sql) in tables {
        let mut cols = raw.prepare(&format!("PRAGMA table_info({t})")).unwrap();
        let cols: Vec<(String, String)> = cols
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (c, ty) in cols {
            if ty.eq_ignore_ascii_case("TEXT") {
                out.push((t.clone(), c, sql.clone()));
            }
        }
    }
    out
}

/// Whether the table's own CHECK bounds `column` to listed values or a fixed length.
fn bounded_by_check(column: &str, create: &str) -> bool {
    let squeezed = create.split_whitespace().collect::<Vec<_>>().join(" ");
    [
        format!("CHECK ({column} IN ("),
        format!("CHECK ({column} IS NULL OR {column} IN ("),
        format!("CHECK ({column} IS NULL OR length({column}) = "),
    ]
    .iter()
    .any(|p| squeezed.contains(p.as_str()))
}

fn trigger_sql(raw: &rusqlite::Connection, name: &str) -> String {
    raw.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
        [name],
        |r| r.get(0),
    )
    .unwrap_or_else(|_| panic!("trigger {name} is missing"))
}

#[test]
fn every_text_column_has_a_length_limit_in_the_store_and_in_the_table() {
    let (fx, _app) = Fixture::new();
    let raw = fx.raw();
    let columns = text_columns(&raw);
    assert!(columns.len() > 100, "the schema was read");
    let mut unbounded = Vec::new();
    for (table, column, create) in &columns {
        match store_text(table, column) {
            Some(limit) => {
                for op in ["insert", "update"] {
                    let sql = trigger_sql(&raw, &format!("text_limits_{table}_{op}"));
                    let rule = format!("WHERE length(NEW.{column}) > {};", limit.max);
                    assert!(
                        sql.contains(&rule),
                        "{table}.{column}: the store's {op} trigger does not hold `{rule}` \
                         (a changed limit needs a new migration)"
                    );
                }
            }
            None if bounded_by_check(column, create) => {}
            None => unbounded.push(format!("{table}.{column}")),
        }
    }
    assert!(
        unbounded.is_empty(),
        "TEXT columns without a length limit (add them to limits::STORE_TEXT and a migration): {unbounded:?}"
    );
    // And the table names nothing the store does not have.
    for s in STORE_TEXT {
        assert!(
            columns
                .iter()
                .any(|(t, c, _)| t == s.table && c == s.column),
            "limits::STORE_TEXT names {}.{}, which is not a TEXT column",
            s.table,
            s.column
        );
    }
}

#[test]
fn raw_sql_cannot_store_a_text_over_its_limit() {
    let (fx, _app) = Fixture::new();
    let raw = fx.raw();
    let mut tried = 0;
    for s in STORE_TEXT {
        let rows: i64 = raw
            .query_row(&format!("SELECT count(*) FROM {}", s.table), [], |r| {
                r.get(0)
            })
            .unwrap();
        if rows == 0 {
            continue;
        }
        let long = "x".repeat(s.max + 1);
        let err = raw
            .execute(
                &format!(
                    "UPDATE {} SET {} = ?1 WHERE rowid = (SELECT min(rowid) FROM {})",
                    s.table, s.column, s.table
                ),
                [&long],
            )
            .expect_err(&format!(
                "{}.{} took {} characters",
                s.table,
                s.column,
                s.max + 1
            ));
        let text = err.to_string();
        // The audit log refuses every change before its length is looked at.
        assert!(
            text.contains(&format!("text too long: {}.{}", s.table, s.column))
                || s.table == "audit_log",
            "{}.{}: {text}",
            s.table,
            s.column
        );
        tried += 1;
    }
    assert!(
        tried >= 15,
        "the new database's own rows were tried ({tried})"
    );
}

#[test]
fn a_text_only_the_store_bounds_is_refused_naming_its_field() {
    let (_fx, mut app) = Fixture::new();
    let before = app.staff_list().unwrap().len();
    let e = app
        .add_staff(&NewStaff {
            position: "Kepala Subseksi ".repeat(10),
            ..new_staff("budi", Role::Petugas, "kopi-tubruk-hitam-7")
        })
        .expect_err("a 159-character position (trimmed)");
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("position"));
    assert_eq!(
        e.message(Lang::Id),
        "Jabatan terlalu panjang: 159 karakter (paling banyak 100)."
    );
    assert_eq!(
        e.message(Lang::En),
        "The position is too long: 159 characters (at most 100)."
    );
    assert_eq!(app.staff_list().unwrap().len(), before, "nothing was added");
}

#[test]
fn a_text_only_the_store_caught_is_still_refused_in_the_users_words() {
    let (fx, _app) = Fixture::new();
    let raw = fx.raw();
    let e = raw
        .execute(
            "UPDATE facility SET address = ?1",
            ["Jl. Pemuda ".repeat(30)],
        )
        .unwrap_err();
    let e = bansos::Error::from(e);
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("address"));
    assert_eq!(
        e.message(Lang::Id),
        "Alamat UPT terlalu panjang (paling banyak 200 karakter)."
    );
    assert_eq!(
        e.message(Lang::En),
        "The facility's address is too long (at most 200 characters)."
    );
    // A column no person types into is a defect, said as one.
    let e = raw
        .execute("UPDATE facility SET created_at = ?1", ["9".repeat(41)])
        .unwrap_err();
    assert_eq!(bansos::Error::from(e).kind(), ErrorKind::Internal);
}

#[test]
fn names_follow_one_rule_composed_printable_and_refused_naming_the_letter() {
    use bansos::family::model::valid_name;
    // "José" typed with a combining accent is stored composed, as typed with one key.
    let decomposed = "Jose\u{301} Ramli";
    let n = valid_name("name", decomposed, "Nama", "The name").unwrap();
    assert_eq!(n, "José Ramli");
    assert_eq!(n.chars().count(), 10);
    // An emoji, a letter the BAST's font lacks, a digit: refused where typed, naming it.
    for (raw, bad) in [("Siti 😀", "😀"), ("Свет Lana", "С"), ("Budi 2", "2")] {
        let e = valid_name("name", raw, "Nama", "The name").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(
            e.message(Lang::Id).contains(&format!("'{bad}'")),
            "{raw}: {}",
            e.message(Lang::Id)
        );
        assert!(
            e.message(Lang::En).contains(&format!("'{bad}'")),
            "{raw}: {}",
            e.message(Lang::En)
        );
    }
    // The proxy's name goes by the same rule (it used to print "?" on the signed BAST).
    let proxy = bansos::handover::Proxy {
        name: "Rina 🌸".into(),
        nik: "3316014708900003".into(),
        relation: "Tetangga".into(),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2024, 11, 16).unwrap();
    let e = bansos::handover::validate_proxy(&proxy, today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("proxy.name"));
    // So do staff and the head of the facility, whose names are printed on every BAST.
    let (_fx, mut app) = Fixture::new();
    let e = app
        .add_staff(&NewStaff {
            full_name: "Agus ✔".into(),
            ..new_staff("agus", Role::Petugas, "kopi-tubruk-hitam-7")
        })
        .expect_err("a check mark in a name");
    assert_eq!(e.field.as_deref(), Some("full_name"));
}
