//! `errmedic kb links`: checks every link of the knowledge base (curated entries, drafts and the
//! reference tier). HEAD first, GET where HEAD is refused; redirects followed; each request
//! bounded by a timeout; a few requests at a time. Broken links are listed with the entries that
//! hold them.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use tokio::sync::Semaphore;

/// Every link of the knowledge base in `dir`, with the ids of the entries that hold it. Files are
/// read as entries without the other checks (`kb check` does those), so that a broken entry's
/// links are still checked.
pub fn collect(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |url: &str, id: &str| {
        let ids = links.entry(url.to_string()).or_default();
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    };
    for sub in [dir.to_path_buf(), dir.join("drafts")] {
        let Ok(files) = crate::kb::json_files(&sub) else {
            continue;
        };
        for p in files {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            if let Ok(entry) = crate::kb::load_str(&p.display().to_string(), &text) {
                for l in &entry.links {
                    add(&l.url, &entry.id);
                }
            }
        }
    }
    if let Ok(pack) = crate::kb::reference::load_dir(&dir.join("reference")) {
        for e in pack {
            for l in &e.links {
                add(&l.url, &e.id);
            }
        }
    }
    links
}

/// The outcome for one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The final status after redirects.
    Ok(u16),
    Broken(String),
}

/// Checks one URL: HEAD, then GET when HEAD is refused or fails.
async fn check_one(client: &reqwest::Client, url: &str) -> Outcome {
    let status = |r: reqwest::Response| r.status().as_u16();
    match client.head(url).send().await {
        Ok(r) if r.status().is_success() => return Outcome::Ok(status(r)),
        Ok(r)
            if !matches!(r.status().as_u16(), 403 | 405 | 501) && r.status().is_client_error() =>
        {
            return Outcome::Broken(format!("HTTP {}", r.status().as_u16()))
        }
        _ => {}
    }
    match client.get(url).send().await {
        Ok(r) if r.status().is_success() => Outcome::Ok(status(r)),
        Ok(r) => Outcome::Broken(format!("HTTP {}", r.status().as_u16())),
        Err(e) if e.is_timeout() => Outcome::Broken("timed out".into()),
        Err(e) => Outcome::Broken(format!("unreachable ({})", root_cause(&e))),
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Checks every URL, at most `concurrency` at a time, each within `timeout`.
pub async fn check(
    urls: Vec<String>,
    timeout: Duration,
    concurrency: usize,
) -> anyhow::Result<Vec<(String, Outcome)>> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(10))
        .user_agent("errmedic-link-check")
        .build()?;
    let limit = std::sync::Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = Vec::new();
    for url in urls {
        let (client, limit) = (client.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await;
            let outcome = check_one(&client, &url).await;
            (url, outcome)
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await?);
    }
    Ok(out)
}

/// How old a review may be: `180d`, `26w`.
pub fn parse_age(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not an age such as 180d or 26w");
    let (n, per) = match (text.strip_suffix('d'), text.strip_suffix('w')) {
        (Some(n), _) => (n, 1),
        (_, Some(n)) => (n, 7),
        _ => return Err(bad()),
    };
    n.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(per))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("180d"), Ok(180));
        assert_eq!(parse_age("2w"), Ok(14));
        assert!(parse_age("soon").is_err());
        assert!(parse_age("180д").is_err() && parse_age("99999999999999999999w").is_err());
    }
}
