//! pacer: an open-loop HTTP/1.1 load generator that sends each request with its own headers.
//!
//! Request i is due at t0 + i / rate, and its latency counts from that due time, not from
//! when it was sent: a request that had to wait for a free connection (all `--connections`
//! busy) shows the wait as latency, so a slow server can never hide behind a slower send
//! rate (no coordinated omission; like wrk2, or oha's `--latency-correction`).
//!
//! Each of the `--connections` workers owns one keep-alive connection per host; the next due
//! request goes to the first worker free. Results stay in memory and are written as CSV at
//! the end, one line per request in the order due:
//! `due_unix_ns,status,latency_ns,url,error,wait_ns` (status 0 when no answer came: `timeout`,
//! or the connection error; `wait_ns` from the due time to the send, pacer's own lateness).

mod output;
mod targets;
mod timer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{SendRequest, handshake};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use targets::{Target, Targets};
use timer::Timer;

/// Open-loop HTTP/1.1 load generator: round(rate * duration) requests, request i due at
/// t0 + i / rate, latency counted from the due time; one CSV line per request.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Targets, one JSON object a line: {"method", "url", "header": {name: [values]}};
    /// used in order, from the first again if there are fewer than requests
    #[arg(long)]
    targets: PathBuf,
    /// Requests per second
    #[arg(long)]
    rate: f64,
    /// Seconds of requests
    #[arg(long)]
    duration: f64,
    /// Requests in flight at most (workers, each with its keep-alive connection per host)
    #[arg(long, default_value_t = 50)]
    connections: usize,
    /// Seconds a request may take from when it is sent (connect included); then status 0,
    /// error "timeout"
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
    /// Seconds a keep-alive connection may sit unused before a request opens a new one
    /// instead (below the server's own keep-alive timeout, uvicorn's 5 s: a request sent as
    /// the server closes an idle connection would be reset, and no request is retried)
    #[arg(long, default_value_t = 4.0)]
    idle: f64,
    /// CSV file: due_unix_ns,status,latency_ns,url,error,wait_ns
    #[arg(long)]
    output: PathBuf,
}

/// What one request got: the status (0 when no answer came) and its latency from the due time.
pub struct Outcome {
    pub status: u16,
    pub latency_ns: u64,
    pub wait_ns: u64, // due time to send: no free worker, or the timer late
    pub error: Option<String>,
}

/// The schedule, shared by the workers.
pub struct Plan {
    pub targets: Targets,
    pub count: usize,
    interval_ns: f64,
    start: Instant,
    timeout: Duration,
    idle: Duration,
    next: AtomicUsize, // the next request no worker has taken yet
}

impl Plan {
    pub fn offset_ns(&self, i: usize) -> u64 {
        (i as f64 * self.interval_ns).round() as u64
    }

    pub fn target(&self, i: usize) -> &Target {
        &self.targets.list[i % self.targets.list.len()]
    }
}

type Connection = SendRequest<Full<Bytes>>;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pacer: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    let duration_ok = args.duration.is_finite() && args.duration >= 0.0;
    if !positive(args.rate) || !positive(args.timeout) || !positive(args.idle) || !duration_ok {
        return Err("need --rate > 0, --timeout > 0, --idle > 0 and --duration >= 0".into());
    }
    if args.connections == 0 {
        return Err("need --connections >= 1".into());
    }
    let targets = targets::load(&args.targets)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH);
    let start = Instant::now(); // request 0 is due now
    let start_unix_ns = since_epoch.map_err(|e| e.to_string())?.as_nanos() as u64;
    let plan = Arc::new(Plan {
        targets,
        count: (args.rate * args.duration).round() as usize,
        interval_ns: 1e9 / args.rate,
        start,
        timeout: Duration::from_secs_f64(args.timeout),
        idle: Duration::from_secs_f64(args.idle),
        next: AtomicUsize::new(0),
    });
    let outcomes = runtime.block_on(attack(&plan, args.connections))?;
    let seconds = plan.start.elapsed().as_secs_f64();
    output::write(&args.output, &plan, &outcomes, start_unix_ns)
        .map_err(|e| format!("{}: {e}", args.output.display()))?;
    let failed = outcomes.iter().filter(|o| o.status == 0).count();
    eprintln!(
        "pacer: {} requests in {seconds:.1} s, {failed} without an answer",
        plan.count
    );
    Ok(())
}

async fn attack(plan: &Arc<Plan>, connections: usize) -> Result<Vec<Outcome>, String> {
    let workers: Vec<_> = (0..connections.min(plan.count))
        .map(|_| tokio::spawn(worker(Arc::clone(plan))))
        .collect();
    let mut outcomes: Vec<Option<Outcome>> = (0..plan.count).map(|_| None).collect();
    for handle in workers {
        let done = handle.await.map_err(|e| e.to_string())?;
        for (i, outcome) in done.map_err(|e| format!("timer: {e}"))? {
            outcomes[i] = Some(outcome);
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.expect("every request was taken"))
        .collect())
}

/// Takes the next request, waits until it is due, sends it; until none is left.
async fn worker(plan: Arc<Plan>) -> std::io::Result<Vec<(usize, Outcome)>> {
    let mut timer = Timer::new()?;
    let mut connections: Vec<Option<Connection>> =
        plan.targets.hosts.iter().map(|_| None).collect();
    let mut last_used: Vec<Instant> = plan.targets.hosts.iter().map(|_| Instant::now()).collect();
    let mut done = Vec::new();
    loop {
        let i = plan.next.fetch_add(1, Ordering::Relaxed);
        if i >= plan.count {
            return Ok(done);
        }
        let due = plan.start + Duration::from_nanos(plan.offset_ns(i));
        timer.sleep_until(due).await?;
        let wait_ns = due.elapsed().as_nanos() as u64;
        let target = plan.target(i);
        let connection = &mut connections[target.host];
        if last_used[target.host].elapsed() > plan.idle {
            *connection = None; // the server may be closing it: open another
        }
        let sent = exchange(connection, target, plan.targets.hosts[target.host]);
        let (status, error) = match tokio::time::timeout(plan.timeout, sent).await {
            Ok(Ok(status)) => (status, None),
            Ok(Err(error)) => (0, Some(error)),
            Err(_) => (0, Some("timeout".to_owned())),
        };
        if error.is_some() {
            *connection = None; // its state is unknown: the next request opens another
        }
        last_used[target.host] = Instant::now();
        let latency_ns = due.elapsed().as_nanos() as u64;
        done.push((
            i,
            Outcome {
                status,
                latency_ns,
                wait_ns,
                error,
            },
        ));
    }
}

/// One request and its whole response over `connection` (opened first if need be): the status.
async fn exchange(
    connection: &mut Option<Connection>,
    target: &Target,
    addr: SocketAddr,
) -> Result<u16, String> {
    if connection.as_ref().is_none_or(|c| c.is_closed()) {
        *connection = Some(connect(addr).await?);
    }
    let sender = connection.as_mut().expect("connected above");
    sender.ready().await.map_err(|e| describe(&e))?;
    let response = sender
        .send_request(target.request())
        .await
        .map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    let mut body = response.into_body();
    while let Some(frame) = body.frame().await {
        frame.map_err(|e| describe(&e))?;
    }
    Ok(status)
}

async fn connect(addr: SocketAddr) -> Result<Connection, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_nodelay(true)
        .map_err(|e| format!("connect {addr}: {e}"))?;
    let (sender, connection) = handshake(TokioIo::new(stream))
        .await
        .map_err(|e| describe(&e))?;
    tokio::spawn(connection); // drives the connection; ends when it closes or `sender` is dropped
    Ok(sender)
}

/// An error with its causes: `connection error: Connection reset by peer (os error 104)`.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
