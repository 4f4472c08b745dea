//! Streaming conversion of one mono channel to 16 kHz, with the resampler's start-up delay
//! trimmed so sample N of the output lines up with time N/16000 s of the input.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::{CaptureError, TARGET_RATE};

/// Input frames per resampler call: about 20 ms at common device rates, so frames reach
/// disk and live consumers promptly without paying FFT set-up per tiny callback.
const CHUNK_FRAMES: usize = 1024;

pub(crate) struct MonoResampler {
    fft: Option<Fft<f32>>,
    input_rate: u32,
    pending: Vec<f32>,
    output: Vec<f32>,
    delay_left: usize,
    frames_in: u64,
    frames_out: u64,
}

impl MonoResampler {
    pub(crate) fn new(input_rate: u32) -> Result<MonoResampler, CaptureError> {
        let fft = if input_rate == TARGET_RATE {
            None
        } else {
            let fft = Fft::<f32>::new(
                input_rate as usize,
                TARGET_RATE as usize,
                CHUNK_FRAMES,
                1,
                FixedSync::Input,
            )
            .map_err(|e| CaptureError::Resampler {
                rate: input_rate,
                message: e.to_string(),
            })?;
            Some(fft)
        };
        let (output_len, delay) = fft
            .as_ref()
            .map(|f| (f.output_frames_max(), f.output_delay()))
            .unwrap_or((0, 0));
        Ok(MonoResampler {
            fft,
            input_rate,
            pending: Vec::with_capacity(CHUNK_FRAMES * 2),
            output: vec![0.0; output_len],
            delay_left: delay,
            frames_in: 0,
            frames_out: 0,
        })
    }

    /// Feeds device-rate samples; `emit` receives each run of 16 kHz samples produced.
    pub(crate) fn push<E>(
        &mut self,
        input: &[f32],
        emit: &mut impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.frames_in += input.len() as u64;
        if self.fft.is_none() {
            self.frames_out += input.len() as u64;
            return emit(input);
        }
        self.pending.extend_from_slice(input);
        while self.pending.len() >= CHUNK_FRAMES {
            self.process_chunk(CHUNK_FRAMES, emit)?;
            self.pending.drain(..CHUNK_FRAMES);
        }
        Ok(())
    }

    /// Flushes what is still buffered, padding with silence only as far as needed to produce
    /// exactly the output length that corresponds to the input received.
    pub(crate) fn finish<E>(
        &mut self,
        emit: &mut impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.fft.is_none() {
            return Ok(());
        }
        let expected = self.frames_in * u64::from(TARGET_RATE) / u64::from(self.input_rate);
        // Each call yields at least one output frame once the delay is consumed; the bound
        // only guards against a resampler that stops producing.
        let mut guard = 0;
        while self.frames_out < expected && guard < 64 {
            let available = self.pending.len().min(CHUNK_FRAMES);
            self.pending.resize(CHUNK_FRAMES, 0.0);
            self.process_chunk_limited(available, expected, emit)?;
            self.pending.clear();
            guard += 1;
        }
        Ok(())
    }

    fn process_chunk<E>(
        &mut self,
        available: usize,
        emit: &mut impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.process_chunk_limited(available, u64::MAX, emit)
    }

    fn process_chunk_limited<E>(
        &mut self,
        available: usize,
        limit: u64,
        emit: &mut impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(fft) = self.fft.as_mut() else {
            return Ok(());
        };
        let capacity = self.output.len();
        let produced = match (
            InterleavedSlice::new(&self.pending[..CHUNK_FRAMES], 1, CHUNK_FRAMES),
            InterleavedSlice::new_mut(&mut self.output, 1, capacity),
        ) {
            (Ok(input), Ok(mut output)) => {
                let indexing = Indexing {
                    input_offset: 0,
                    output_offset: 0,
                    partial_len: (available < CHUNK_FRAMES).then_some(available),
                    active_channels_mask: None,
                };
                // Sizes are fixed at construction and checked above, so a failure here would
                // be a bug in the resampler; treating it as silence keeps the recording going.
                fft.process_into_buffer(&input, &mut output, Some(&indexing))
                    .map(|(_, written)| written)
                    .unwrap_or(0)
            }
            _ => 0,
        };
        let skip = self.delay_left.min(produced);
        self.delay_left -= skip;
        let room = limit.saturating_sub(self.frames_out);
        let end = produced.min(skip.saturating_add(usize::try_from(room).unwrap_or(usize::MAX)));
        if end > skip {
            self.frames_out += (end - skip) as u64;
            emit(&self.output[skip..end])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rate: u32, input: &[f32], piece: usize) -> Vec<f32> {
        let mut r = MonoResampler::new(rate).unwrap();
        let mut out = Vec::new();
        let mut sink = |s: &[f32]| -> Result<(), ()> {
            out.extend_from_slice(s);
            Ok(())
        };
        for block in input.chunks(piece) {
            r.push(block, &mut sink).unwrap();
        }
        r.finish(&mut sink).unwrap();
        out
    }

    fn sine(rate: u32, hz: f32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|i| (i as f32 * hz * std::f32::consts::TAU / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn output_length_matches_duration_for_common_rates_and_block_sizes() {
        for rate in [8000, 16000, 22050, 44100, 48000, 96000] {
            for piece in [1, 441, 960, 4096] {
                let input = sine(rate, 440.0, 1.3);
                let out = run(rate, &input, piece);
                let expected = input.len() as u64 * 16000 / rate as u64;
                assert_eq!(out.len() as u64, expected, "rate {rate} piece {piece}");
            }
        }
    }

    #[test]
    fn a_tone_keeps_its_phase_so_channels_stay_aligned() {
        // A 440 Hz sine resampled from 48 kHz must match the same sine generated at 16 kHz,
        // which fails if the start-up delay were not trimmed.
        let out = run(48000, &sine(48000, 440.0, 1.0), 960);
        let reference = sine(16000, 440.0, 1.0);
        let middle = 4000..12000;
        let err: f32 = middle
            .clone()
            .map(|i| (out[i] - reference[i]).abs())
            .fold(0.0, f32::max);
        assert!(err < 0.01, "max deviation {err}");
    }

    #[test]
    fn sixteen_khz_input_passes_through_untouched() {
        let input = sine(16000, 300.0, 0.5);
        assert_eq!(run(16000, &input, 333), input);
    }
}
