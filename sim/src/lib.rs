//! `vietqr-sim`: a stand-in for VietQR.vn for tests and demos. It serves
//! VietQR.vn's API under `/vqr` as `docs/protocol.md`
//! describes it (errors and all), calls the shop back with VietQR's retry
//! schedule, pushes N22/N05 over its WebSocket, and lets tests look inside
//! and steer it under `/sim`.
//!
//! It does not use the `vietqr` core: checksums and payloads are computed
//! here from the documented formulas, so the core is checked against an
//! independent implementation.

pub mod auth;
pub mod banks;
pub mod body;
pub mod callback_delivery;
pub mod checksum;
pub mod clock;
pub mod config;
pub mod envelope;
pub mod ids;
pub mod payload;
pub mod payments;
mod routes;
pub mod state;
pub mod ws;

pub use config::{Config, Environment, Options};

use state::{App, Store};
use std::future::Future;
use std::net::SocketAddr;

/// The starting state: the state file's if it exists, else empty.
pub fn initial_store(config: &Config, options: &Options) -> Result<Store, String> {
    match &options.state_file {
        Some(path) if path.exists() => Store::load(path),
        _ => Ok(Store::new(config.seed)),
    }
}

/// Serves on `listener` until `shutdown` completes, then saves the state.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let store = initial_store(&config, &options)?;
    let app = App::new(config, options, store);
    if let Some(path) = app.options.state_file.clone() {
        tokio::spawn(state::autosave(app.clone(), path));
    }
    let router = routes::router(app.clone());
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("server error: {e}"))?;
    if let Some(path) = &app.options.state_file {
        app.read(|s| s.save(path))
            .map_err(|e| format!("cannot save state to {}: {e}", path.display()))?;
    }
    Ok(())
}

/// A simulator running on its own thread, for tests: start it on
/// `127.0.0.1:0` and ask it for its address.
pub struct Sim {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Sim {
    pub fn start(listen: SocketAddr, config: Config, options: Options) -> std::io::Result<Sim> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(listen))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(serve(listener, config, options, async {
                let _ = stopped.await;
            }))
        });
        Ok(Sim {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/vqr`: the plugin's "custom base URL".
    pub fn base_url(&self) -> String {
        format!("http://{}/vqr", self.addr)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the thread.
    pub fn stop(mut self) -> Result<(), String> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), String> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| "simulator thread panicked".to_string())?,
            None => Ok(()),
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
