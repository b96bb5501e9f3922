//! Reading CSV back (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes), to
//! check what `export --format csv` writes.

/// The records of a CSV document, each a list of fields; panics on a malformed document.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), None | Some(',' | '\n' | '\r')),
                        "text after a closing quote in {field:?}"
                    );
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => panic!("a quote inside an unquoted field: {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[test]
fn csv_reader_reads_rfc_4180() {
    let r = parse_csv("a,\"b,c\",\"say \"\"x\"\"\"\n\"two\nlines\",,3\n");
    assert_eq!(
        r,
        [vec!["a", "b,c", "say \"x\""], vec!["two\nlines", "", "3"]]
    );
}
