//! A spinner on stderr while the catalog is read, shown only on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running spinner; [`Spinner::finish`] clears it.
pub(crate) struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts spinning next to `message` when stderr is a terminal and `enabled`.
    pub(crate) fn start(message: &str, enabled: bool) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (enabled && std::io::stderr().is_terminal()).then(|| {
            let stop = Arc::clone(&stop);
            let message = message.to_owned();
            std::thread::spawn(move || {
                let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let _ = write!(
                        std::io::stderr(),
                        "\r{} {message}",
                        frames[i % frames.len()]
                    );
                    i += 1;
                    std::thread::sleep(Duration::from_millis(80));
                }
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            })
        });
        Spinner { stop, thread }
    }

    /// Stops and clears the spinner.
    pub(crate) fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
