//! The results as CSV (RFC 4180), one line per request in the order due, no header line:
//! `due_unix_ns,status,latency_ns,url,error,wait_ns`.

use std::path::Path;

use crate::{Outcome, Plan};

pub fn write(
    path: &Path,
    plan: &Plan,
    outcomes: &[Outcome],
    start_unix_ns: u64,
) -> csv::Result<()> {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(path)?;
    for (i, outcome) in outcomes.iter().enumerate() {
        let due_unix_ns = start_unix_ns + plan.offset_ns(i);
        out.write_record([
            due_unix_ns.to_string().as_str(),
            outcome.status.to_string().as_str(),
            outcome.latency_ns.to_string().as_str(),
            plan.target(i).url.as_str(),
            outcome.error.as_deref().unwrap_or(""),
            outcome.wait_ns.to_string().as_str(),
        ])?;
    }
    out.flush()?;
    Ok(())
}
