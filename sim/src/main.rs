//! `vietqr-sim --listen 127.0.0.1:PORT --config sim.json [--state state.json]
//! [--token-ttl SECS] [--retry-scale F] [--allow-remote-callbacks] [--quiet]`

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use vietqr_sim::{Config, Options};

const USAGE: &str = "\
vietqr-sim: a stand-in for VietQR.vn (API under /vqr, WebSocket /vqr/socket, controls under /sim)

usage: vietqr-sim --config sim.json [options]

  --listen ADDR             where to listen (default 127.0.0.1:8088)
  --config FILE             accounts, bank accounts and shop callbacks (see sim/sim.example.json)
  --state FILE              load state from FILE at start and save it there on every change
  --token-ttl SECS          lifetime of /api/token_generate tokens (default 300, as VietQR)
  --retry-scale F           multiply the callback retry delays (default 1; 0.001 for tests)
  --allow-remote-callbacks  allow callback URLs that are not on this machine
  --quiet                   no log lines on stderr
  --help, --version
";

struct Args {
    listen: SocketAddr,
    config: PathBuf,
    options: Options,
}

fn parse_args() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut listen: SocketAddr = "127.0.0.1:8088".parse().expect("valid default");
    let mut config = None;
    let mut options = Options {
        log: true,
        ..Options::default()
    };
    let err = |e: lexopt::Error| e.to_string();
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("listen") => {
                let value = parser.value().map_err(err)?.string().map_err(err)?;
                listen = value.parse().map_err(|_| {
                    format!("--listen {value:?} is not an address like 127.0.0.1:8088")
                })?;
            }
            Long("config") => config = Some(PathBuf::from(parser.value().map_err(err)?)),
            Long("state") => options.state_file = Some(PathBuf::from(parser.value().map_err(err)?)),
            Long("token-ttl") => {
                options.token_ttl = parser.value().map_err(err)?.parse().map_err(err)?;
            }
            Long("retry-scale") => {
                let scale: f64 = parser.value().map_err(err)?.parse().map_err(err)?;
                if !scale.is_finite() || scale < 0.0 {
                    return Err("--retry-scale must be 0 or more".into());
                }
                options.retry_scale = scale;
            }
            Long("allow-remote-callbacks") => options.allow_remote_callbacks = true,
            Long("quiet") => options.log = false,
            Long("help") | Short('h') => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            Long("version") => {
                println!("vietqr-sim {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    let config = config.ok_or("--config FILE is required (see sim/sim.example.json)")?;
    Ok(Args {
        listen,
        config,
        options,
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("vietqr-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match Config::load(&args.config, args.options.allow_remote_callbacks) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vietqr-sim: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("vietqr-sim: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.listen);
    // The first line of stdout says where it listens (tests read the port from it).
    println!("vietqr-sim listening on http://{addr}/vqr");
    let _ = std::io::stdout().flush();
    match vietqr_sim::serve(listener, config, args.options, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vietqr-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
