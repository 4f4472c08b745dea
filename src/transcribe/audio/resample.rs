//! Streaming conversion of any sample rate to whisper's 16 kHz: one capture resampler per channel,
//! so recorded and imported audio go through the same, tested filter.

use std::convert::Infallible;

use crate::capture::resample::MonoResampler;
use crate::transcribe::AudioError;

pub const TARGET_RATE: u32 = crate::capture::TARGET_RATE;

pub(crate) struct To16k {
    channels: Vec<MonoResampler>,
}

impl To16k {
    pub fn new(rate_in: u32, channels: usize) -> Result<Self, AudioError> {
        let channels = (0..channels.max(1))
            .map(|_| MonoResampler::new(rate_in))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AudioError::Unsupported {
                reason: e.to_string(),
            })?;
        Ok(Self { channels })
    }

    /// Feeds interleaved frames; returns whatever 16 kHz output is ready, per channel.
    pub fn push(&mut self, interleaved: &[f32]) -> Result<Vec<Vec<f32>>, AudioError> {
        let n = self.channels.len();
        let mut out = vec![Vec::new(); n];
        for (ch, (resampler, sink)) in self.channels.iter_mut().zip(out.iter_mut()).enumerate() {
            let samples: Vec<f32> = interleaved.iter().skip(ch).step_by(n).copied().collect();
            let _ = resampler.push(&samples, &mut |s: &[f32]| {
                sink.extend_from_slice(s);
                Ok::<(), Infallible>(())
            });
        }
        Ok(out)
    }

    /// Flushes the tail so the output length matches the input duration.
    pub fn finish(&mut self) -> Result<Vec<Vec<f32>>, AudioError> {
        let mut out = vec![Vec::new(); self.channels.len()];
        for (resampler, sink) in self.channels.iter_mut().zip(out.iter_mut()) {
            let _ = resampler.finish(&mut |s: &[f32]| {
                sink.extend_from_slice(s);
                Ok::<(), Infallible>(())
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::To16k;

    #[test]
    fn stereo_44k1_becomes_two_aligned_16k_channels() {
        let frames = 44_100;
        let interleaved: Vec<f32> = (0..frames)
            .flat_map(|i| {
                let s = (i as f32 * 2.0 * std::f32::consts::PI * 440.0 / 44_100.0).sin();
                [s, -s]
            })
            .collect();
        let mut r = To16k::new(44_100, 2).unwrap();
        let mut out = [Vec::new(), Vec::new()];
        for piece in interleaved.chunks(3000) {
            for (o, p) in out.iter_mut().zip(r.push(piece).unwrap()) {
                o.extend(p);
            }
        }
        for (o, p) in out.iter_mut().zip(r.finish().unwrap()) {
            o.extend(p);
        }
        assert_eq!(out[0].len(), 16_000);
        assert_eq!(out[1].len(), 16_000);
        assert!(out[0]
            .iter()
            .zip(&out[1])
            .all(|(a, b)| (a + b).abs() < 1e-4));
    }
}
