//! Live transcript during a call. A VAD thread cuts each channel's 16 kHz frames into
//! utterances; a worker transcribes them in the order they ended and emits live segments. The
//! recorder hands frames over without ever waiting (its tap drops rather than blocks, and the VAD
//! keeps up with real time by a wide margin); a backlog of utterances only delays live text,
//! and the final pass after the call transcribes everything again.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::echo::{follows_sound, is_echo};
use super::final_pass::{to_segments, Voice};
use super::vad::{Utterance, Vad, VadConfig};
use crate::capture::{AudioFrame, Channel, TARGET_RATE};
use crate::events::{Event, EventSink};
use crate::storage::{Library, NewSegment};
use crate::transcribe::{Engine, Options, TranscribeError};

struct Job {
    channel: Channel,
    utterance: Utterance,
    queued: std::time::Instant,
}

/// Nobody is speaking on the system channel.
const SILENT: u64 = u64::MAX;
/// A microphone line never waits longer than this for the customer side to finish.
const ECHO_WAIT: Duration = Duration::from_secs(4);

pub struct LiveTranscriber {
    vad: Option<JoinHandle<()>>,
    worker: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

impl LiveTranscriber {
    /// Loads the model and starts the threads. Live segments are also appended to the call, so a
    /// crash keeps them until the final pass replaces them.
    #[allow(clippy::too_many_arguments)] // the session's whole context, passed once
    pub fn start(
        model: &Path,
        options: Options,
        frames: Receiver<AudioFrame>,
        data_dir: PathBuf,
        call_id: i64,
        rep: Voice,
        customer: Voice,
        sink: EventSink,
    ) -> Result<LiveTranscriber, TranscribeError> {
        let engine = Engine::load(model)?;
        engine.language_for(&options)?;
        let (jobs_tx, jobs_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let system_speaking = Arc::new(AtomicU64::new(SILENT));
        let speaking = system_speaking.clone();
        let thread_error = |what| move |source| TranscribeError::Thread { what, source };
        let worker_stop = stop.clone();
        let worker_sink = sink.clone();
        let worker = std::thread::Builder::new()
            .name("zapis-live-whisper".into())
            .spawn(move || {
                // Capture and the UI come first: whisper's spinning workers, started from this
                // thread, inherit its lower priority (see transcribe::priority).
                crate::transcribe::priority::lower_this_thread();
                // Without the library the live text is still shown; only its crash copy is lost.
                let mut library = match Library::open(&data_dir) {
                    Ok(library) => Some(library),
                    Err(e) => {
                        not_saved_as_it_comes(&worker_sink, &e.to_string());
                        None
                    }
                };
                let sink = worker_sink;
                let mut worker = Worker {
                    engine,
                    options,
                    rep,
                    customer,
                    sink,
                    recent_system: Vec::new(),
                    recent_system_sound: VecDeque::new(),
                    system_speaking,
                };
                worker.run(jobs_rx, &worker_stop, library.as_mut(), call_id);
            })
            .map_err(thread_error("live transcription"))?;
        // Spawned second: if it cannot start, the worker above ends as its job channel closes.
        let vad = std::thread::Builder::new()
            .name("zapis-live-vad".into())
            .spawn(move || cut_utterances(frames, jobs_tx, &speaking))
            .map_err(thread_error("voice detection"))?;
        Ok(LiveTranscriber {
            vad: Some(vad),
            worker: Some(worker),
            stop,
        })
    }

    /// Waits for the VAD to flush (capture has stopped, so its frames end), then stops the worker
    /// after the utterance it is on: what is still queued goes to the final pass.
    pub fn finish(mut self) {
        if let Some(vad) = self.vad.take() {
            let _ = vad.join();
        }
        self.stop.store(true, Ordering::SeqCst);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl LiveTranscriber {
    /// Like [`finish`](Self::finish), but transcribes every utterance still queued first: for a
    /// caller that has all the audio already (a test, a file) and wants every live line.
    pub fn drain(mut self) {
        if let Some(vad) = self.vad.take() {
            let _ = vad.join();
        }
        // The VAD's end closes the job channel; the worker returns once its queue is empty.
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for LiveTranscriber {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The live transcript cannot be kept in the library as it comes (it is still shown, and the
/// final pass after the call stores the transcript): tell the user and the log.
fn not_saved_as_it_comes(sink: &EventSink, reason: &str) {
    tracing::warn!(error = %crate::logging::redact(reason), "live transcript not saved as it comes");
    sink(Event::Error {
        message: format!(
            "the live transcript is shown but not saved as it comes ({reason}); the transcript is stored after the call"
        ),
        fatal: false,
    });
}

fn cut_utterances(frames: Receiver<AudioFrame>, jobs: Sender<Job>, system_speaking: &AtomicU64) {
    let mut mic = Vad::new(VadConfig::default());
    let mut system = Vad::new(VadConfig::default());
    for frame in frames {
        let vad = match frame.channel {
            Channel::Mic => &mut mic,
            Channel::System => &mut system,
        };
        let ended = vad.push(frame.start_sample, &frame.samples);
        if frame.channel == Channel::System {
            system_speaking.store(vad.speaking_since().unwrap_or(SILENT), Ordering::SeqCst);
        }
        for utterance in ended {
            let job = Job {
                channel: frame.channel,
                utterance,
                queued: std::time::Instant::now(),
            };
            if jobs.send(job).is_err() {
                return;
            }
        }
    }
    system_speaking.store(SILENT, Ordering::SeqCst);
    for (channel, vad) in [(Channel::Mic, &mut mic), (Channel::System, &mut system)] {
        if let Some(utterance) = vad.finish() {
            let _ = jobs.send(Job {
                channel,
                utterance,
                queued: std::time::Instant::now(),
            });
        }
    }
}

struct Worker {
    engine: Engine,
    options: Options,
    rep: Voice,
    customer: Voice,
    sink: EventSink,
    /// The customer side's latest lines, to recognise their echo on the microphone.
    recent_system: Vec<NewSegment>,
    /// And their sound (the last minute of utterances), for an echo whose words Whisper heard
    /// differently on the two channels.
    recent_system_sound: VecDeque<Utterance>,
    /// Start of the customer side's utterance in progress, or `SILENT`.
    system_speaking: Arc<AtomicU64>,
}

impl Worker {
    fn run(
        &mut self,
        jobs: Receiver<Job>,
        stop: &AtomicBool,
        mut library: Option<&mut Library>,
        call_id: i64,
    ) {
        let mut queue: VecDeque<Job> = VecDeque::new();
        loop {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            match jobs.recv_timeout(Duration::from_millis(50)) {
                Ok(job) => queue.push_back(job),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) if queue.is_empty() => return,
                Err(RecvTimeoutError::Disconnected) => {}
            }
            queue.extend(jobs.try_iter());
            queue
                .make_contiguous()
                .sort_by_key(|j| (j.utterance.end_sample(), j.channel == Channel::Mic));
            let Some(job) = self.next_job(&queue).and_then(|i| queue.remove(i)) else {
                continue;
            };
            let segments = self.transcribe(&job);
            if let (Some(store), false) = (library.as_deref_mut(), segments.is_empty()) {
                if let Err(e) = store.append_segments(call_id, &segments) {
                    // Said once; the final pass stores the whole transcript after the call.
                    not_saved_as_it_comes(&self.sink, &e.to_string());
                    library = None;
                }
            }
        }
    }

    /// Oldest utterance first, except that a microphone line waits while the customer side is
    /// still speaking over it: only then can its echo be recognised.
    fn next_job(&self, queue: &VecDeque<Job>) -> Option<usize> {
        let first = queue.front()?;
        if first.channel == Channel::System || first.queued.elapsed() > ECHO_WAIT {
            return Some(0);
        }
        let mic_end = first.utterance.end_sample();
        if let Some(i) = queue
            .iter()
            .position(|j| j.channel == Channel::System && j.utterance.start_sample < mic_end)
        {
            return Some(i);
        }
        let speaking_since = self.system_speaking.load(Ordering::SeqCst);
        (speaking_since == SILENT || speaking_since >= mic_end).then_some(0)
    }

    fn transcribe(&mut self, job: &Job) -> Vec<NewSegment> {
        let offset_ms = (job.utterance.start_sample * 1000 / u64::from(TARGET_RATE)) as i64;
        let raw = match self
            .engine
            .transcribe(&job.utterance.samples, &self.options, &mut |_| {})
        {
            Ok(raw) => raw,
            Err(e) => {
                (self.sink)(Event::Error {
                    message: format!("live transcription: {e}"),
                    fatal: false,
                });
                return Vec::new();
            }
        };
        let voice = match job.channel {
            Channel::Mic => &self.rep,
            Channel::System => &self.customer,
        };
        let mut segments = to_segments(voice, &raw);
        for s in &mut segments {
            s.start_ms += offset_ms;
            s.end_ms += offset_ms;
        }
        match job.channel {
            Channel::System => {
                self.recent_system.extend(segments.iter().cloned());
                let horizon = offset_ms - 60_000;
                self.recent_system.retain(|s| s.end_ms > horizon);
                self.recent_system_sound.push_back(job.utterance.clone());
                let horizon = job.utterance.start_sample.saturating_sub(60 * RATE);
                self.recent_system_sound
                    .retain(|u| u.end_sample() > horizon);
            }
            Channel::Mic => segments.retain(|s| {
                !is_echo(s, &self.recent_system) && !self.sounds_like_system(&job.utterance, s)
            }),
        }
        for s in &segments {
            (self.sink)(Event::segment(s, false));
        }
        segments
    }

    /// Whether the stretch of `mic` under `line` is the system audio of the same moment come
    /// back through the microphone (see [`follows_sound`]).
    fn sounds_like_system(&self, mic: &Utterance, line: &NewSegment) -> bool {
        let per_ms = RATE / 1000;
        let from = (line.start_ms.max(0) as u64 * per_ms).max(mic.start_sample);
        let to = (line.end_ms.max(0) as u64 * per_ms).min(mic.end_sample());
        if to <= from {
            return false;
        }
        let heard =
            &mic.samples[(from - mic.start_sample) as usize..(to - mic.start_sample) as usize];
        // The system audio over the same samples, silence where it had no utterance.
        let mut played = vec![0.0f32; heard.len()];
        for u in &self.recent_system_sound {
            let (a, b) = (u.start_sample.max(from), u.end_sample().min(to));
            if a < b {
                played[(a - from) as usize..(b - from) as usize].copy_from_slice(
                    &u.samples[(a - u.start_sample) as usize..(b - u.start_sample) as usize],
                );
            }
        }
        follows_sound(heard, &played)
    }
}

/// Samples per second of the utterances (16 kHz).
const RATE: u64 = TARGET_RATE as u64;
