//! Decoding a file's windows on several whisper states at once.
//!
//! ggml parallelises inside each matrix product and its workers spin at every barrier:
//! two threads on one window reach about 1.6x one thread, and collapse when another
//! process takes a core. Windows are independent (each is decoded without the previous
//! text), so giving each core its own window and one thread reaches nearly 2x and
//! degrades gracefully under load: a busy core slows only its own window. Results come
//! back in window order, and at most two windows per worker are in flight, so memory
//! stays bounded on hours-long files.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Mutex;

use crate::transcribe::audio::Chunk;
use crate::transcribe::engine::{decode_window, Engine, Options, Segment};
use crate::transcribe::TranscribeError;

/// Each worker's state holds its own encoder buffers (tens of MB); past four workers,
/// more threads per window is the better use of extra cores.
const MAX_WORKERS: usize = 4;
/// Decoded windows waiting to be handed back: bounds how far reading runs ahead through
/// silence (never sent to whisper), so progress keeps moving on long quiet stretches.
const MAX_WAITING: usize = 8;

/// One window read from the audio, with how far decoding had got when it was cut.
pub(crate) struct Window {
    pub chunk: Chunk,
    pub decoded_seconds: f64,
}

/// A decoded window, handed back in the order the windows were read.
pub(crate) struct Decoded {
    pub channel: usize,
    pub segments: Vec<Segment>,
    /// The language whisper used (detected, for `auto`); `None` for skipped silence.
    pub language: Option<&'static str>,
    pub decoded_seconds: f64,
}

/// How many windows run at once and with how many threads each, for a thread budget
/// and the number of windows expected (`None`: unknown, assume many).
pub(crate) fn plan(budget: usize, expected_windows: Option<usize>) -> (usize, usize) {
    let budget = budget.max(1);
    let workers = budget
        .min(MAX_WORKERS)
        .min(expected_windows.unwrap_or(usize::MAX))
        .max(1);
    (workers, (budget / workers).max(1))
}

struct Job {
    index: usize,
    window: Window,
}

struct Done {
    index: usize,
    result: Result<Decoded, TranscribeError>,
}

/// Decodes every window from `windows` and calls `on_decoded` for each, in order. The
/// first error (from the audio or from whisper) stops reading and is returned once the
/// windows already running have finished.
pub(crate) fn decode_windows(
    engine: &mut Engine,
    windows: impl Iterator<Item = Result<Window, TranscribeError>>,
    options: &Options,
    expected_windows: Option<usize>,
    on_decoded: &mut dyn FnMut(Decoded),
) -> Result<(), TranscribeError> {
    let language = engine.language_for(options)?;
    let (workers, threads) = plan(engine.max_threads(options), expected_windows);
    let (ctx, states) = engine.worker_states(workers)?;
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for state in states {
            let (job_rx, done_tx, language) = (&job_rx, done_tx.clone(), &language);
            scope.spawn(move || loop {
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(Job { index, window }) = job else {
                    return;
                };
                let result = decode_window(ctx, state, &window.chunk, options, language, threads)
                    .map(|segments| Decoded {
                        channel: window.chunk.channel,
                        segments,
                        language: whisper_rs::get_lang_str(state.full_lang_id_from_state()),
                        decoded_seconds: window.decoded_seconds,
                    });
                if done_tx.send(Done { index, result }).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut feeder = Feeder::new(windows, job_tx, 2 * workers);
        feeder.run(&done_rx, on_decoded);
        // Dropping the job sender (with the feeder) lets idle workers return.
        feeder.failure.map_or(Ok(()), Err)
    })
}

/// The reading side: keeps the workers supplied and puts results back in order.
struct Feeder<I> {
    windows: I,
    job_tx: mpsc::Sender<Job>,
    max_in_flight: usize,
    in_flight: usize,
    read: usize,
    emitted: usize,
    ready: BTreeMap<usize, Result<Decoded, TranscribeError>>,
    failure: Option<TranscribeError>,
    exhausted: bool,
}

impl<I: Iterator<Item = Result<Window, TranscribeError>>> Feeder<I> {
    fn new(windows: I, job_tx: mpsc::Sender<Job>, max_in_flight: usize) -> Self {
        Self {
            windows,
            job_tx,
            max_in_flight,
            in_flight: 0,
            read: 0,
            emitted: 0,
            ready: BTreeMap::new(),
            failure: None,
            exhausted: false,
        }
    }

    fn run(&mut self, done_rx: &mpsc::Receiver<Done>, on_decoded: &mut dyn FnMut(Decoded)) {
        loop {
            self.top_up();
            self.emit_ready(on_decoded);
            if self.in_flight == 0 {
                if self.exhausted || self.failure.is_some() {
                    return;
                }
                // Only silence so far, all handed back: read on.
                continue;
            }
            match done_rx.recv() {
                Ok(done) => {
                    self.in_flight -= 1;
                    self.ready.insert(done.index, done.result);
                }
                // Every worker is gone; a panic among them surfaces when the scope joins.
                Err(_) => return,
            }
        }
    }

    fn top_up(&mut self) {
        while self.failure.is_none()
            && !self.exhausted
            && self.in_flight < self.max_in_flight
            && self.ready.len() < MAX_WAITING
        {
            match self.windows.next() {
                None => self.exhausted = true,
                Some(Err(e)) => self.failure = Some(e),
                Some(Ok(window)) => {
                    let index = self.read;
                    self.read += 1;
                    if window.chunk.has_speech && !window.chunk.samples.is_empty() {
                        if self.job_tx.send(Job { index, window }).is_err() {
                            self.exhausted = true;
                        } else {
                            self.in_flight += 1;
                        }
                    } else {
                        // Silence is never worth a whisper call (it invites hallucinated text).
                        self.ready.insert(
                            index,
                            Ok(Decoded {
                                channel: window.chunk.channel,
                                segments: Vec::new(),
                                language: None,
                                decoded_seconds: window.decoded_seconds,
                            }),
                        );
                    }
                }
            }
        }
    }

    fn emit_ready(&mut self, on_decoded: &mut dyn FnMut(Decoded)) {
        while let Some(result) = self.ready.remove(&self.emitted) {
            self.emitted += 1;
            match result {
                Ok(decoded) if self.failure.is_none() => on_decoded(decoded),
                Ok(_) => {}
                Err(e) => {
                    self.failure.get_or_insert(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_budget_becomes_one_thread_per_window_up_to_four_workers() {
        assert_eq!(plan(2, None), (2, 1));
        assert_eq!(plan(1, None), (1, 1));
        assert_eq!(plan(4, Some(100)), (4, 1));
        assert_eq!(plan(8, None), (4, 2));
        assert_eq!(plan(0, None), (1, 1));
    }

    #[test]
    fn a_single_window_gets_the_whole_budget() {
        assert_eq!(plan(2, Some(1)), (1, 2));
        assert_eq!(plan(4, Some(2)), (2, 2));
    }

    fn silent_window(i: u64) -> Window {
        Window {
            chunk: Chunk {
                channel: 0,
                start_sample: i * 16_000,
                samples: vec![0.0; 16_000],
                has_speech: false,
                cuts: Vec::new(),
                span: 16_000,
            },
            decoded_seconds: (i + 1) as f64,
        }
    }

    #[test]
    fn silence_is_handed_back_in_order_while_reading_goes_on() {
        let read = Cell::new(0u64);
        let windows = std::iter::from_fn(|| {
            let i = read.get();
            read.set(i + 1);
            (i < 100).then(|| Ok::<_, TranscribeError>(silent_window(i)))
        });
        let (job_tx, _job_rx) = mpsc::channel();
        let (_done_tx, done_rx) = mpsc::channel();
        let mut feeder = Feeder::new(windows, job_tx, 4);
        let mut seen = Vec::new();
        feeder.run(&done_rx, &mut |d| {
            // Progress follows reading closely instead of arriving all at the end.
            assert!(read.get() as usize <= seen.len() + MAX_WAITING + 1);
            seen.push(d.decoded_seconds);
        });
        assert!(feeder.failure.is_none());
        assert_eq!(seen, (1..=100).map(f64::from).collect::<Vec<_>>());
    }
}
