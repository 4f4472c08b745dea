//! Which shape an export has: the column names CRMs and address books write, the delimiter,
//! where the header row is, and which CRM made the file.

use std::collections::HashMap;

use super::Field;

/// Header names the big CRMs use, normalised (lowercase, letters and digits only).
pub(super) fn known_column(header: &str) -> Option<Field> {
    let h = normalise(header);
    if h.starts_with("donotmodify") {
        // Dynamics 365 bookkeeping columns; the record id one is worth keeping.
        return Some(if h == "donotmodifycontact" {
            Field::CrmId
        } else {
            Field::Ignore
        });
    }
    Some(match h.as_str() {
        // Google Contacts writes "E-mail 1 - Value", Pipedrive "Person - Email" or "Email - Work".
        "email" | "emailaddress" | "emailaddress1" | "primaryemail" | "email1" | "workemail"
        | "businessemail" | "email1value" | "personemail" | "emailwork" => Field::Email,
        "fullname" | "name" | "contactname" | "contact" | "personname" => Field::Name,
        "firstname" | "givenname" => Field::FirstName,
        "lastname" | "surname" | "familyname" => Field::LastName,
        "title" | "jobtitle" | "position" | "organization1title" | "organizationtitle" => {
            Field::Title
        }
        "phone" | "phonenumber" | "businessphone" | "telephone1" | "mobilephone" | "workphone"
        | "mobile" | "phone1value" | "personphone" | "phonework" => Field::Phone,
        "accountname" | "companyname" | "company" | "account" | "organization" | "organisation"
        | "parentcustomerid" | "organization1name" | "organizationname" => Field::Account,
        "contactid" | "recordid" | "id" | "crmid" => Field::CrmId,
        _ => return None,
    })
}

pub(super) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The delimiters exports use: comma; semicolon where the comma is the decimal mark (Excel in
/// most of Europe); tab (Excel's "Unicode Text", many CRMs' TSV).
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter the first line uses most outside quotes (comma on a tie).
pub(super) fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for c in header.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = DELIMITERS.iter().position(|&d| d == c) {
                counts[i] += 1;
            }
        }
    }
    let mut best = 0;
    for (i, &n) in counts.iter().enumerate() {
        if n > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// Where a file's header row starts, and the delimiter it uses.
pub(super) struct HeaderAt {
    pub(super) delimiter: u8,
    /// Byte offset of the row in the decoded text.
    pub(super) byte: usize,
    /// Its line, from 1.
    pub(super) line: u64,
}

/// Records looked at for the header row: exports with notes above it have a few lines of them.
const HEADER_SEARCH_RECORDS: usize = 10;

/// The header row: the first record that names an email column (recognised or mapped), read
/// with the delimiter that gives it the most fields (the earliest such record, whatever the
/// delimiter). Usually the first line; some exports put
/// notes above it (LinkedIn's Connections.csv opens with "Notes:" and a quoted paragraph), so a
/// later record counts when every record above it has fewer fields (a row of the table above
/// it would have as many: then the first line is the header, whatever a cell says).
/// None when no record near the top names one: the file is then read from its first line, and
/// the error says what is missing.
pub(super) fn find_header(text: &str, mapping: &HashMap<String, Field>) -> Option<HeaderAt> {
    let is_email = |h: &str| {
        mapping
            .get(&normalise(h))
            .copied()
            .or_else(|| known_column(h))
            == Some(Field::Email)
    };
    let mut best: Option<(usize, HeaderAt)> = None;
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut widest_above = 0;
        for record in reader.records().take(HEADER_SEARCH_RECORDS) {
            let Ok(record) = record else { break };
            if !record.iter().any(is_email) {
                widest_above = widest_above.max(record.len());
                continue;
            }
            if widest_above >= record.len() {
                break;
            }
            if let Some(at) = record.position() {
                let at = HeaderAt {
                    delimiter,
                    byte: usize::try_from(at.byte()).ok()?,
                    line: at.line(),
                };
                // The earliest header wins (a row of the table, read with the wrong delimiter,
                // can name an email too, lower down); on the same row, the delimiter that
                // splits it into the most fields.
                let key = |at: &HeaderAt, fields: usize| (at.byte, std::cmp::Reverse(fields));
                if best
                    .as_ref()
                    .is_none_or(|(fields, b)| key(&at, record.len()) < key(b, *fields))
                {
                    best = Some((record.len(), at));
                }
            }
            break;
        }
    }
    best.map(|(_, at)| at)
}

pub(super) fn detect_source(headers: &csv::StringRecord) -> &'static str {
    let names: Vec<String> = headers.iter().map(normalise).collect();
    let has = |n: &str| names.iter().any(|h| h == n);
    if names.iter().any(|h| h.starts_with("donotmodify")) {
        "dynamics365"
    } else if has("recordid") {
        "hubspot"
    } else if has("contactid") || has("accountname") {
        "salesforce"
    } else {
        "csv"
    }
}
