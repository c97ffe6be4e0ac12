//! Targets, one JSON object a line, in vegeta's `-format=json` (what bench/loadgen.py
//! writes): `{"method": "GET", "url": "http://host:port/path", "header": {"Name": ["value"]},
//! "body": "<base64>"}` (`body` optional). Everything a request needs is parsed here once, so
//! that sending one only clones reference-counted parts.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{Method, Request, Uri};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    method: String,
    url: String,
    #[serde(default)]
    header: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    body: Option<String>,
}

pub struct Target {
    pub url: String,
    pub host: usize, // index into Targets::hosts: the connection this request goes over
    method: Method,
    path: Uri,                               // origin form: /path?query
    headers: Vec<(HeaderName, HeaderValue)>, // Host first
    body: Bytes,                             // empty: no body
}

pub struct Targets {
    pub list: Vec<Target>,
    pub hosts: Vec<SocketAddr>,
}

impl Target {
    pub fn request(&self) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.path.clone();
        let headers = request.headers_mut();
        headers.reserve(self.headers.len());
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        request
    }
}

pub fn load(path: &Path) -> Result<Targets, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut targets = Targets {
        list: Vec::new(),
        hosts: Vec::new(),
    };
    let mut authorities: Vec<String> = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let target = parse(&line, &mut authorities, &mut targets.hosts)
            .map_err(|e| format!("{} line {}: {e}", path.display(), n + 1))?;
        targets.list.push(target);
    }
    if targets.list.is_empty() {
        return Err(format!("{}: no targets", path.display()));
    }
    Ok(targets)
}

fn parse(
    line: &str,
    authorities: &mut Vec<String>,
    hosts: &mut Vec<SocketAddr>,
) -> Result<Target, String> {
    let line: Line = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let body = match line.body.as_deref() {
        None | Some("") => Bytes::new(),
        Some(text) => Bytes::from(STANDARD.decode(text).map_err(|e| format!("body: {e}"))?),
    };
    let uri: Uri = line
        .url
        .parse()
        .map_err(|e| format!("url {:?}: {e}", line.url))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("url {:?}: only http:// is supported", line.url));
    }
    let authority = uri.authority().ok_or("url without a host")?.as_str();
    let host = match authorities.iter().position(|a| a == authority) {
        Some(index) => index,
        None => {
            let port = uri.port_u16().unwrap_or(80);
            let host = uri
                .host()
                .unwrap_or_default()
                .trim_matches(|c| c == '[' || c == ']');
            let addr = (host, port)
                .to_socket_addrs()
                .map_err(|e| format!("{authority}: {e}"))?;
            hosts.push(
                addr.into_iter()
                    .next()
                    .ok_or(format!("{authority}: no address"))?,
            );
            authorities.push(authority.to_owned());
            hosts.len() - 1
        }
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut headers = vec![(HOST, value(authority)?)];
    for (name, values) in &line.header {
        let name: HeaderName = name.parse().map_err(|e| format!("header {name:?}: {e}"))?;
        if name == HOST {
            headers.remove(0);
        }
        for v in values {
            headers.push((name.clone(), value(v)?));
        }
    }
    Ok(Target {
        method: line
            .method
            .parse()
            .map_err(|e| format!("method {:?}: {e}", line.method))?,
        path: path.parse().map_err(|e| format!("path {path:?}: {e}"))?,
        headers,
        body,
        host,
        url: line.url,
    })
}

fn value(text: &str) -> Result<HeaderValue, String> {
    // from Bytes, so that each request's copy is a reference count, not an allocation
    HeaderValue::from_maybe_shared(Bytes::copy_from_slice(text.as_bytes()))
        .map_err(|e| format!("header value {text:?}: {e}"))
}
