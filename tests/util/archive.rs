//! Reading results back from an archive: one-column and count queries.

use nianbao::archive::Archive;

/// Rows of a one-column query.
pub fn strings(a: &Archive, sql: &str) -> Vec<String> {
    let mut st = a.conn().prepare(sql).expect("prepare");
    st.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// One integer from a query.
pub fn count(a: &Archive, sql: &str) -> i64 {
    a.conn().query_row(sql, [], |r| r.get(0)).expect("count")
}
