//! Row 9 (issue 20): the list page through nginx with TLS — the shipped site
//! (`deploy/nginx-mailboxen.conf`), templated by `scripts/nginx-conf.sh` exactly as the
//! deploy test runs it, in front of one release server — beside a static file through the
//! same nginx: the page's bytes as a file the server sends from `pkg/`, so both take the same
//! way (TLS, nginx, the proxy hop, the app's layers) and only the rendering differs. p99 of
//! each, and the server's RSS idle and under that load (nginx's worker beside it).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::report::Row;
use crate::rows::served::{self, MAILBOXES, PAGE, STATIC_FILE};
use crate::server_process::{free_port, RssSampler};
use crate::stats::{mib, ms};
use crate::wrk::Load;
use crate::{progress, seed, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    9,
    "Through nginx (TLS, the shipped site): list page, 50 mailboxes, signed in, 64 connections",
    "shown beside the static file; no errors",
);

/// The page and the static file alternate this many times.
const ROUNDS: u64 = 3;

pub async fn run(settings: &Settings) -> Result<Row> {
    let dir = settings.work_dir.join("nginx");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let site = dir.join("site");
    served::copy_dir(&settings.site_root, &site)?;
    let (db, url) = seed::fresh_sqlite(&dir.join("mailboxen.db")).await?;
    let (_, cookie) = seed::signed_in(&db).await?;
    seed::list_page_mailboxes(&db, MAILBOXES).await?;
    db.close().await?;

    let https = free_port()?;
    let mut http = free_port()?;
    while http == https {
        http = free_port()?;
    }
    let public = format!("https://127.0.0.1:{https}");
    let server = served::start_server(
        settings,
        &dir,
        &site,
        &url,
        &cookie,
        &[
            ("PUBLIC_BASE_URL", public.clone()),
            ("TRUSTED_PROXIES", "127.0.0.1".to_string()),
        ],
    )
    .await?;
    let port = server
        .base_url
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    // The static copy: the page as the server renders it.
    let html = served::page_bytes(&format!("{}{PAGE}", server.base_url), &cookie).await?;
    std::fs::write(site.join("pkg").join(STATIC_FILE), &html)?;

    let nginx = Nginx::start(settings, &dir, https, http, &port).await?;
    let page_url = format!("{public}{PAGE}");
    let static_url = format!("{public}/pkg/{STATIC_FILE}");
    check_through_nginx(&page_url, &static_url, &cookie).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kib = server.rss_kib();

    let seconds = settings.wrk_seconds;
    progress(&format!(
        "row 9: wrk through nginx, {seconds} s each on the static file and the page, \
         alternating in {ROUNDS} rounds"
    ));
    served::load(&static_url, 2, None).await?;
    served::load(&page_url, 2, Some(&cookie)).await?;
    let server_rss = RssSampler::start(server.pid());
    let worker_rss = nginx.worker().map(RssSampler::start);
    let round_seconds = (seconds / ROUNDS).max(1);
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        let reference = served::load(&static_url, round_seconds, None).await?;
        let page = served::load(&page_url, round_seconds, Some(&cookie)).await?;
        rounds.push((page, reference));
    }
    let loaded_kib = server_rss.finish();
    let worker_kib = worker_rss.map(RssSampler::finish);
    drop(nginx);
    drop(server);

    let p99_ratio =
        |(page, reference): &(Load, Load)| page.p99.as_secs_f64() / reference.p99.as_secs_f64();
    rounds.sort_by(|a, b| p99_ratio(a).total_cmp(&p99_ratio(b)));
    let errors: u64 = rounds.iter().map(|(p, r)| p.errors + r.errors).sum();
    let median = rounds[rounds.len() / 2];
    let describe = |load: &Load| {
        format!(
            "{:.0} req/s, p50 {}, p99 {}",
            load.requests_per_second,
            ms(load.p50),
            ms(load.p99)
        )
    };
    let worker = worker_kib.map_or_else(String::new, |kib| {
        format!("; nginx worker peak RSS {}", mib(kib))
    });
    let error_text = match errors {
        0 => String::new(),
        n => format!(", {n} errors"),
    };
    Ok(Row {
        number: NAME.0,
        name: NAME.1,
        ours: format!(
            "list page: {}; server RSS idle {}, under load {}{error_text}",
            describe(&median.0),
            mib(idle_kib),
            mib(loaded_kib)
        ),
        reference: format!(
            "same bytes as a static file through the same nginx: {}{worker}",
            describe(&median.1)
        ),
        ratio: format!("p99 ×{:.1}", p99_ratio(&median)),
        goal: NAME.2,
        met: Some(errors == 0),
    })
}

/// Both URLs answer 200 through nginx and the page is the list.
async fn check_through_nginx(page_url: &str, static_url: &str, cookie: &str) -> Result<()> {
    // The certificate is nginx-conf.sh's self-signed one, which openssl marks as a CA and
    // rustls therefore refuses as a server's; wrk does not check it either. Loopback only.
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    for (url, cookie) in [(page_url, Some(cookie)), (static_url, None)] {
        let mut request = client.get(url);
        if let Some(cookie) = cookie {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let response = request.send().await?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("{url} through nginx: {}", response.status()).into());
        }
        let body = response.text().await?;
        if !body.contains("Mailbox 49 ledenadministratie") {
            return Err(format!("{url} through nginx is not the seeded list").into());
        }
    }
    Ok(())
}

/// Debian's nginx with the shipped site, in its own prefix; stopped when dropped.
struct Nginx {
    child: Child,
}

impl Nginx {
    async fn start(
        settings: &Settings,
        dir: &Path,
        https: u16,
        http: u16,
        instance_port: &str,
    ) -> Result<Nginx> {
        let configured = Command::new("bash")
            .arg(settings.repo.join("scripts/nginx-conf.sh"))
            .arg(settings.repo.join("deploy/nginx-mailboxen.conf"))
            .arg(dir)
            .args([&https.to_string(), &http.to_string(), instance_port])
            .status()?;
        if !configured.success() {
            return Err("scripts/nginx-conf.sh failed".into());
        }
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|path| Path::new(path).exists())
            .ok_or("nginx is not installed (apt-get install nginx; scripts/bench.sh does)")?;
        let log = std::fs::File::create(dir.join("nginx-start.log"))?;
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let mut nginx = Nginx { child };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", https)).is_ok() {
                return Ok(nginx);
            }
            if let Some(status) = nginx.child.try_wait()? {
                return Err(format!(
                    "nginx exited ({status}); see {}",
                    dir.join("nginx-error.log").display()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err("nginx did not listen within 10 s".into())
    }

    /// The worker process (nginx.conf has one): the master's child.
    fn worker(&self) -> Option<u32> {
        let pid = self.child.id();
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its worker; a kill would leave the worker behind.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}
