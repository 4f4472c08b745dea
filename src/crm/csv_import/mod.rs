//! Reads contact exports from Dynamics 365, Salesforce, HubSpot, Pipedrive, Google Contacts,
//! Outlook and LinkedIn (or any CSV with a column map; the shapes are in `columns`).
//! Every problem is reported with its line and column, and nothing is imported unless all rows are
//! good.

mod columns;

use std::collections::{BTreeMap, HashMap};

use columns::{detect_delimiter, detect_source, find_header, known_column, normalise};

use crate::storage::ContactRecord;
use crate::text_encoding::{self, DecodeError, Encoding, TextEncoding};

/// A field of a contact that a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Email,
    Name,
    FirstName,
    LastName,
    Title,
    Phone,
    Account,
    CrmId,
    Ignore,
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        Some(match normalise(name).as_str() {
            "email" => Field::Email,
            "name" | "fullname" => Field::Name,
            "firstname" => Field::FirstName,
            "lastname" => Field::LastName,
            "title" | "jobtitle" => Field::Title,
            "phone" => Field::Phone,
            "account" | "company" => Field::Account,
            "crmid" | "id" => Field::CrmId,
            "ignore" | "skip" => Field::Ignore,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: u64,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column > 0 {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// Longer "column names" mean the first line is not a header, so it is not echoed.
const MAX_HEADER_CHARS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum ContactsCsvError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} has {} problem(s); nothing was imported:\n{}", problems.len(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: String,
        problems: Vec<CsvProblem>,
    },
    #[error("bad --map {0:?}: write it as COLUMN=FIELD, FIELD one of email, name, first_name, last_name, title, phone, account, crm_id, ignore")]
    BadMapping(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedContacts {
    pub records: Vec<ContactRecord>,
    /// Columns that were neither recognised nor mapped; their values were not imported.
    pub unknown_columns: Vec<String>,
    /// Which CRM the header looks like: dynamics365, salesforce, hubspot or csv.
    pub source: &'static str,
    /// The encoding the file was read in.
    pub encoding: TextEncoding,
}

/// Parses `COLUMN=FIELD` mapping arguments.
pub fn parse_mapping(args: &[String]) -> Result<HashMap<String, Field>, ContactsCsvError> {
    args.iter()
        .map(|arg| {
            let (column, field) = arg
                .split_once('=')
                .ok_or_else(|| ContactsCsvError::BadMapping(arg.clone()))?;
            let field =
                Field::parse(field).ok_or_else(|| ContactsCsvError::BadMapping(arg.clone()))?;
            Ok((normalise(column), field))
        })
        .collect()
}

/// Parses a contacts CSV (comma, semicolon or tab; quoted newlines allowed; notes above the
/// header row skipped, see [`find_header`]) in the encoding its bytes
/// show: a byte-order mark, else UTF-8, else the code page Excel saved it in (see
/// [`crate::text_encoding`]).
pub fn parse_contacts(
    path: &str,
    bytes: &[u8],
    mapping: &HashMap<String, Field>,
) -> Result<ParsedContacts, ContactsCsvError> {
    parse_contacts_as(path, bytes, mapping, None)
}

/// Like [`parse_contacts`], in the given encoding when one is given.
pub fn parse_contacts_as(
    path: &str,
    bytes: &[u8],
    mapping: &HashMap<String, Field>,
    encoding: Option<&'static Encoding>,
) -> Result<ParsedContacts, ContactsCsvError> {
    let invalid = |problems| ContactsCsvError::Invalid {
        path: path.to_string(),
        problems,
    };
    let (text, encoding) = text_encoding::decode(bytes, encoding).map_err(|e| {
        invalid(vec![match e {
            DecodeError::Malformed { line, encoding } => CsvProblem {
                line: line as u64,
                column: 0,
                message: format!("is not valid {encoding} text; export the CSV as UTF-8 or name its encoding with --encoding"),
            },
            other => CsvProblem {
                line: 1,
                column: 0,
                message: other.to_string(),
            },
        }])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // One line ending: the csv crate ends a record at the \r of \r\n (Excel's) and counts the
    // \n with the next one, which put every error a line too high.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.as_str();
    if text.contains('\0') {
        // A binary file (or one in an encoding nobody named): nothing in it is worth echoing.
        return Err(invalid(vec![CsvProblem {
            line: 1,
            column: 0,
            message: "is not a text file; choose the CSV your CRM exported".into(),
        }]));
    }
    // Read from the header row on; problems name lines of the whole file.
    let (delimiter, text, lines_above) = match find_header(text, mapping) {
        Some(at) => (at.delimiter, &text[at.byte..], at.line.saturating_sub(1)),
        None => (detect_delimiter(text), text, 0),
    };
    // The csv reader counts lines from the header row; the file's own are further down.
    let file_lines = |mut problems: Vec<CsvProblem>| {
        for p in problems.iter_mut().filter(|p| p.line > 0) {
            p.line += lines_above;
        }
        problems
    };
    if let Some(problem) = check_quotes(text, delimiter, lines_above + 1) {
        return Err(invalid(vec![problem]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| invalid(file_lines(vec![csv_problem(&e)])))?
        .clone();

    let mut columns: Vec<Option<Field>> = Vec::new();
    let mut unknown_columns = Vec::new();
    for h in headers.iter() {
        let field = mapping
            .get(&normalise(h))
            .copied()
            .or_else(|| known_column(h));
        if field.is_none() && !h.trim().is_empty() {
            unknown_columns.push(h.trim().to_string());
        }
        columns.push(field);
    }
    if !columns.contains(&Some(Field::Email)) {
        // The column names help the user write a mapping, but only when the first line really
        // is a CSV header: the first line of some other file (a key, a password file) is not
        // repeated back.
        let looks_like_header = headers.len() >= 2
            && columns.iter().any(Option::is_some)
            && headers
                .iter()
                .all(|h| h.chars().count() <= MAX_HEADER_CHARS && !h.chars().any(char::is_control));
        let message = if looks_like_header {
            format!(
                "no email column among {:?}; name it with --map COLUMN=email",
                headers.iter().collect::<Vec<_>>()
            )
        } else {
            "does not start with a CSV header row (column names separated by commas, \
             semicolons or tabs, one of them an email column); choose the CSV your CRM \
             exported, or name its columns with --map COLUMN=email"
                .to_owned()
        };
        return Err(invalid(file_lines(vec![CsvProblem {
            line: 1,
            column: 0,
            message,
        }])));
    }

    let mut problems = Vec::new();
    let mut by_email: BTreeMap<String, ContactRecord> = BTreeMap::new();
    let mut order = Vec::new();
    let source = detect_source(&headers);
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(&e));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if row.len() != headers.len() {
            problems.push(CsvProblem {
                line,
                column: 0,
                message: format!(
                    "has {} fields but the header has {}",
                    row.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let mut rec = ContactRecord {
            crm_source: Some(source.to_string()),
            ..Default::default()
        };
        let (mut first, mut last) = (String::new(), String::new());
        let mut email_column = 0;
        for (i, value) in row.iter().enumerate() {
            let value = value.trim();
            let set = |slot: &mut Option<String>| {
                if !value.is_empty() {
                    *slot = Some(value.to_string());
                }
            };
            match columns[i] {
                // Two email columns ("Email", "Work email"): the first that holds one counts.
                // Google Contacts lists several in one cell as "a ::: b".
                Some(Field::Email) if rec.email.is_empty() => {
                    email_column = i + 1;
                    let first = value.split(":::").next().unwrap_or_default().trim();
                    rec.email = first.to_lowercase();
                }
                Some(Field::Name) if rec.name.is_empty() => rec.name = value.to_string(),
                Some(Field::FirstName) => first = value.to_string(),
                Some(Field::LastName) => last = value.to_string(),
                Some(Field::Title) => set(&mut rec.title),
                Some(Field::Phone) => set(&mut rec.phone),
                Some(Field::Account) => set(&mut rec.account),
                Some(Field::CrmId) => set(&mut rec.crm_id),
                Some(Field::Email | Field::Name | Field::Ignore) | None => {}
            }
        }
        if !is_plausible_email(&rec.email) {
            problems.push(CsvProblem {
                line,
                column: email_column,
                // Contacts are filed by email, so a row without one cannot be a contact; the
                // user decides what to do with it (LinkedIn leaves out the addresses of
                // connections who hide them).
                message: if rec.email.is_empty() {
                    "email is empty; contacts are filed by email: fill it in or delete the row"
                        .into()
                } else {
                    format!("{:?} is not an email address", rec.email)
                },
            });
            continue;
        }
        if rec.name.is_empty() {
            rec.name = [first.as_str(), last.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
        }
        if rec.name.is_empty() {
            rec.name = rec.email.clone();
        }
        if !by_email.contains_key(&rec.email) {
            order.push(rec.email.clone());
        }
        // A later row for the same person completes or corrects an earlier one.
        let merged = by_email.entry(rec.email.clone()).or_default();
        merge(merged, rec);
    }
    if !problems.is_empty() {
        return Err(invalid(file_lines(problems)));
    }
    let records = order
        .into_iter()
        .filter_map(|e| by_email.remove(&e))
        .collect();
    Ok(ParsedContacts {
        records,
        unknown_columns,
        source,
        encoding,
    })
}

/// Finds a quote that would make rows vanish. The csv crate reads a quoted field that never
/// closes up to the end of the file, and `"a"b` as `ab`; either way every row in between becomes
/// part of one field and the file "imports" with contacts missing. Quotes are followed the way
/// the csv crate follows them: a quote opens a quoted field only at the start of a field, and
/// inside one a doubled quote is a quote. The problem names the line and column where the quote
/// opened.
/// `first_line`: the file's line `text` starts on (after notes above the header).
fn check_quotes(text: &str, delimiter: u8, first_line: u64) -> Option<CsvProblem> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: the end of it, or the first half of `""`.
        QuoteInQuoted,
        /// After the closing quote; only spaces may come before the delimiter or line end.
        AfterQuoted,
    }
    let delimiter = char::from(delimiter);
    let (mut line, mut column) = (first_line, 1usize);
    let mut opened = (first_line, 1usize);
    let mut state = State::FieldStart;
    for c in text.chars() {
        let ends_field = c == delimiter || c == '\n' || c == '\r';
        state = match (state, c) {
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (State::FieldStart, '"') => {
                opened = (line, column);
                State::Quoted
            }
            (State::QuoteInQuoted | State::AfterQuoted, ' ' | '\t') if !ends_field => {
                State::AfterQuoted
            }
            (State::QuoteInQuoted | State::AfterQuoted, _) if !ends_field => {
                let (open_line, open_column) = opened;
                let closes = if line == open_line {
                    String::new()
                } else {
                    format!(" closes only on line {line} and")
                };
                return Some(CsvProblem {
                    line: open_line,
                    column: open_column,
                    message: format!(
                        "the quoted field that starts here{closes} has text after its closing quote; \
                         a quote inside a quoted field must be doubled (\"\"), and every opening quote closed"
                    ),
                });
            }
            (_, _) if ends_field => State::FieldStart,
            (_, _) => State::Unquoted,
        };
        if c == '\n' {
            line += 1;
        }
        if state == State::FieldStart {
            column = if c == delimiter { column + 1 } else { 1 };
        }
    }
    if state == State::Quoted {
        let (line, column) = opened;
        return Some(CsvProblem {
            line,
            column,
            message:
                "this quoted field is never closed, so every row after it would be read into it; \
                      close the quote (a quote inside the text must be doubled: \"\")"
                    .into(),
        });
    }
    None
}

fn merge(into: &mut ContactRecord, from: ContactRecord) {
    into.email = from.email;
    into.name = from.name;
    into.crm_source = from.crm_source;
    for (slot, value) in [
        (&mut into.title, from.title),
        (&mut into.phone, from.phone),
        (&mut into.account, from.account),
        (&mut into.crm_id, from.crm_id),
    ] {
        if value.is_some() {
            *slot = value;
        }
    }
}

fn is_plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn csv_problem(e: &csv::Error) -> CsvProblem {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not UTF-8", err.field() + 1),
        _ => e.to_string(),
    };
    CsvProblem {
        line,
        column: 0,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: impl AsRef<[u8]>) -> Result<ParsedContacts, ContactsCsvError> {
        parse_contacts("t.csv", text.as_ref(), &HashMap::new())
    }

    #[test]
    fn a_file_that_is_not_a_csv_is_refused_without_repeating_it() {
        for secret in [
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n",
            "PK\u{3}\u{4}\0\0binary",
        ] {
            let err = parse(secret).unwrap_err().to_string();
            assert!(err.contains("choose the CSV your CRM exported"), "{err}");
            for line in secret.lines() {
                assert!(!err.contains(line), "{err} repeats {line:?}");
            }
        }
        // A real header without an email column is named, to help with --map.
        let err = parse("Name,Company\nAna,Acme\n").unwrap_err().to_string();
        assert!(err.contains(r#"["Name", "Company"]"#), "{err}");
    }

    #[test]
    fn reads_excels_unicode_text_tab_separated_in_utf16() {
        let text = "First Name\tLast Name\tE-mail Address\tCompany\r\n\
                    Ana\tJović\tana@acme.example\tAcme, d.o.o.\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = parse(bytes).unwrap();
        assert_eq!(parsed.records.len(), 1);
        let ana = &parsed.records[0];
        assert_eq!(ana.name, "Ana Jović");
        assert_eq!(ana.email, "ana@acme.example");
        assert_eq!(ana.account.as_deref(), Some("Acme, d.o.o."));
    }

    #[test]
    fn notes_above_the_header_are_skipped_and_lines_are_the_files() {
        // LinkedIn's Connections.csv, as it downloads.
        let csv = "Notes:\n\
                   \"When exporting your connection data, you may notice that some of the email \
                   addresses are missing. You will only see email addresses for connections who \
                   have allowed it.\"\n\
                   \n\
                   First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
                   Ana,Jović,https://www.linkedin.com/in/ana,ana@acme.example,Acme,CFO,03 Dec 2026\n";
        let parsed = parse(csv).unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].title.as_deref(), Some("CFO"));
        assert_eq!(parsed.unknown_columns, vec!["URL", "Connected On"]);

        let bad = format!("{csv}Marko,Petrović,https://www.linkedin.com/in/marko,marko(at)globex,Globex,CTO,01 Dec 2026\n");
        let err = parse(bad).unwrap_err().to_string();
        assert!(err.contains("line 6, column 4:"), "{err}");
        assert!(!err.contains("When exporting"), "{err}");
    }

    #[test]
    fn tab_separated_quoted_fields_and_crlf_lines_keep_their_line_numbers() {
        let tsv =
            "\"Name\"\tEmail\r\n\"Jović, Ana\"\tana@acme.example\r\nMarko\tmarko(at)globex\r\n";
        let err = parse(tsv).unwrap_err().to_string();
        assert!(err.contains("line 3, column 2:"), "{err}");
        let parsed = parse(&tsv[..tsv.find("Marko").unwrap()]).unwrap();
        assert_eq!(parsed.records[0].name, "Jović, Ana");
    }

    #[test]
    fn the_first_email_column_that_holds_one_counts() {
        let csv = "Name,Email,Work email\nAna,ana@acme.example,\nMarko,,marko@globex.example\n\
                   Lena,lena@initech.example ::: lena.k@initech.example,\n";
        let parsed = parse(csv).unwrap();
        let emails: Vec<&str> = parsed.records.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(
            emails,
            [
                "ana@acme.example",
                "marko@globex.example",
                "lena@initech.example"
            ]
        );
    }

    #[test]
    fn a_row_that_names_email_lower_down_does_not_win_over_the_header() {
        // Read with commas, the note in row 2 splits into as many fields as the header has.
        let csv = "Name;Email;Company;Phone;Note\n\
                   Ana;ana@acme.example;Acme;+381;\"call, email, post, fax, or visit\"\n";
        let parsed = parse(csv).unwrap();
        assert_eq!(parsed.records[0].email, "ana@acme.example");
    }

    #[test]
    fn a_tab_separated_secret_is_not_repeated() {
        let err = parse("machine example.com\tlogin ana\tpassword s3cret\n")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.contains("--map"), "{err}");
    }

    #[test]
    fn a_quote_left_open_below_notes_is_placed_on_the_files_lines() {
        let csv = "Notes:\n\nFirst Name,Email Address\nAna,\"ana@acme.example\nMarko,x\"y\n";
        let err = parse(csv).unwrap_err().to_string();
        assert!(
            err.contains(
                "line 4, column 2: the quoted field that starts here closes only on line 5"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_cell_that_says_email_does_not_make_its_row_the_header() {
        let err = parse("Name,Company,Preferred contact\nAna,Acme,Email\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(r#"["Name", "Company", "Preferred contact"]"#),
            "{err}"
        );
    }

    #[test]
    fn reads_google_contacts_and_pipedrive_headers() {
        let google = "First Name,Middle Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,\
                      Phone 1 - Value,Organization Name,Organization Title\n\
                      Ana,,Jović,* Work,ana@acme.example,+381 11 123,Acme,CFO\n";
        let pipedrive = "Person - Name,Person - Email,Person - Phone,Organization - Name\n\
                         Ana Jović,ana@acme.example,+381 11 123,Acme\n";
        for csv in [google, pipedrive] {
            let parsed = parse(csv).unwrap();
            let ana = &parsed.records[0];
            assert_eq!(
                (ana.name.as_str(), ana.email.as_str(), ana.phone.as_deref()),
                ("Ana Jović", "ana@acme.example", Some("+381 11 123")),
                "{csv}"
            );
            assert_eq!(ana.account.as_deref(), Some("Acme"), "{csv}");
        }
    }

    #[test]
    fn reads_salesforce_with_quoted_newlines() {
        let csv = "Contact ID,First Name,Last Name,Title,Email,Phone,Account Name,Mailing Street\n\
                   003A1,Ana,Jović,CFO,Ana@Acme.example,+381 11 123,Acme d.o.o.,\"Bulevar 1\nSprat 2\"\n";
        let parsed = parse(csv).unwrap();
        assert_eq!(parsed.source, "salesforce");
        let r = &parsed.records[0];
        assert_eq!(
            (r.email.as_str(), r.name.as_str()),
            ("ana@acme.example", "Ana Jović")
        );
        assert_eq!(r.account.as_deref(), Some("Acme d.o.o."));
        assert_eq!(r.crm_id.as_deref(), Some("003A1"));
        assert_eq!(parsed.unknown_columns, ["Mailing Street"]);
    }

    #[test]
    fn reads_semicolons_and_bom_and_dedups() {
        let csv = "\u{feff}Email;Full Name;Company\nx@y.example;X One;Y\nx@y.example;X Uno;\n";
        let parsed = parse(csv).unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].name, "X Uno");
        assert_eq!(parsed.records[0].account.as_deref(), Some("Y"));
    }

    #[test]
    fn reports_every_bad_row_with_line_and_column() {
        let csv = "Name,Email\nGood,g@x.example\nBad,not-an-email\nShort\nEmpty,\n";
        let err = parse(csv).unwrap_err();
        let ContactsCsvError::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        let at: Vec<(u64, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(3, 2), (4, 0), (5, 2)], "{err}");
    }

    #[test]
    fn needs_an_email_column_unless_mapped() {
        let csv = "Who,Mail\nAna,ana@x.example\n";
        assert!(parse(csv).unwrap_err().to_string().contains("--map"));
        let map = parse_mapping(&["Mail=email".into(), "Who=name".into()]).unwrap();
        let parsed = parse_contacts("t.csv", csv.as_bytes(), &map).unwrap();
        assert_eq!(parsed.records[0].name, "Ana");
        assert!(parse_mapping(&["Mail".into()]).is_err());
        assert!(parse_mapping(&["Mail=shoe size".into()]).is_err());
    }

    #[test]
    fn bytes_invalid_in_the_given_encoding_are_rejected_with_their_line() {
        let err = parse_contacts_as(
            "t.csv",
            b"Email\nok@x.example\n\xff@x.example\n",
            &HashMap::new(),
            Some(encoding_rs::UTF_8),
        )
        .unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }

    #[test]
    fn excel_code_pages_are_read() {
        // "José Müller" as Excel saves it on a Western European Windows.
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(
            "First Name;Last Name;Email;Company\nJosé;Müller;jose@acme.example;Café Crème\n",
        );
        let parsed = parse(bytes.as_ref()).unwrap();
        assert_eq!(parsed.records[0].name, "José Müller");
        assert_eq!(parsed.encoding.name(), "windows-1252");
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(
            "Ime,Prezime,Email,Kompanija\nĐorđe,Šćepanović,djordje@firma.example,Žitoprodukt d.o.o.\n",
        );
        let sr = parse_mapping(&[
            "Ime=first_name".into(),
            "Prezime=last_name".into(),
            "Kompanija=account".into(),
        ])
        .unwrap();
        let parsed =
            parse_contacts_as("t.csv", &bytes, &sr, Some(encoding_rs::WINDOWS_1250)).unwrap();
        assert_eq!(parsed.records[0].name, "Đorđe Šćepanović");
        assert_eq!(
            parsed.records[0].account.as_deref(),
            Some("Žitoprodukt d.o.o.")
        );
    }

    #[test]
    fn a_quote_that_never_closes_rejects_the_file_at_its_line() {
        let csv = "Name,Email,Company\nAna,ana@x.example,\"Acme\nBob,bob@x.example,Globex\nCara,cara@x.example,Initech\n";
        let err = parse(csv.as_bytes()).unwrap_err();
        let ContactsCsvError::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.line, p.column))
                .collect::<Vec<_>>(),
            [(2, 3)],
            "{err}"
        );
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn a_quote_closed_rows_later_rejects_the_file_at_its_line() {
        let csv = "Name;Email;Company\nAna;ana@x.example;\"Acme\nBob;bob@x.example;Globex\nCara;cara@x.example;\"Initech\"\n";
        let err = parse(csv.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains("line 2, column 3") && err.contains("line 4"),
            "{err}"
        );
        let err = parse(b"Name,Email\n\"Ana\"Jo,a@x.example\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2, column 1"), "{err}");
    }

    #[test]
    fn doubled_quotes_and_quoted_newlines_are_fine() {
        let csv = "Name,Email,Note\r\n\"Ana \"\"AJ\"\" Jović\",ana@x.example,\"a\r\nb, c\" \r\nBob,bob@x.example,\"\"\r\n";
        let parsed = parse(csv.as_bytes()).unwrap();
        assert_eq!(parsed.records[0].name, "Ana \"AJ\" Jović");
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(check_quotes(csv, b',', 1), None);
    }
}
