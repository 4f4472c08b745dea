//! Transcription during a call must never starve capture. ggml's workers spin at every barrier,
//! so on a 2-core laptop a live whisper decode with the full encoder context kept both cores
//! busy and the audio server's callbacks arrived late (the CI machine lost 81 ms of system audio).
//! The live transcript's thread therefore runs at a lower scheduling priority: the capture and
//! UI threads preempt it whenever they wake, and the live text only comes a little later.

/// The nice value of a background transcription thread: low enough that normal threads win
/// about nine tenths of a contended core (CFS weights 1024 against 110), not so low that it
/// waits behind every other program on the desktop.
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: libc::c_int = 10;

/// Lowers the calling thread's priority; the threads it starts afterwards (ggml's workers)
/// inherit it. On Linux the nice value belongs to each thread, not the process, so capture
/// threads keep theirs. Returns whether the priority was lowered; where the platform has no
/// per-thread nice value this does nothing and says so.
pub fn lower_this_thread() -> bool {
    #[cfg(target_os = "linux")]
    {
        // A thread already nicer than that (Zapis started with `nice`) stays as it is: raising a
        // priority needs privilege.
        let target = this_thread_nice().unwrap_or(0).max(BACKGROUND_NICE);
        // SAFETY: gettid and setpriority take plain integers and only touch this thread's
        // scheduling attributes; lowering one's own priority needs no privilege.
        let done = unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, target) == 0
        };
        if !done {
            tracing::warn!("could not lower the live transcription thread's priority");
        }
        done
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// The calling thread's nice value (Linux), for tests and logs.
pub fn this_thread_nice() -> Option<i32> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: as above; getpriority only reads. -1 is a valid nice value, so errno
        // tells an error apart.
        unsafe {
            let tid = libc::gettid();
            *libc::__errno_location() = 0;
            let nice = libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t);
            (*libc::__errno_location() == 0).then_some(nice)
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn lowers_only_the_calling_thread_and_the_threads_it_starts() {
        let before = this_thread_nice();
        let (own, child) = std::thread::spawn(|| {
            assert!(lower_this_thread());
            let own = this_thread_nice();
            let child = std::thread::spawn(this_thread_nice).join().ok().flatten();
            (own, child)
        })
        .join()
        .unwrap_or((None, None));
        let expected = before.map(|n| n.max(BACKGROUND_NICE));
        assert_eq!(own, expected);
        assert_eq!(child, expected, "a thread it starts inherits the priority");
        assert_eq!(this_thread_nice(), before, "other threads keep theirs");
    }
}
