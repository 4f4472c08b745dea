//! Input level metering for the UI's meters.

/// Floor reported for digital silence, so meters get a finite number.
pub const SILENCE_DBFS: f32 = -120.0;

/// Accumulates RMS and peak over fixed windows of device-rate samples.
pub(crate) struct LevelMeter {
    window: usize,
    count: usize,
    sum_squares: f64,
    peak: f32,
}

/// One meter reading, in dB relative to full scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub rms_dbfs: f32,
    pub peak_dbfs: f32,
}

impl LevelMeter {
    /// `rate / readings_per_second` samples per reading.
    pub(crate) fn new(rate: u32, readings_per_second: u32) -> LevelMeter {
        LevelMeter {
            window: (rate / readings_per_second.max(1)).max(1) as usize,
            count: 0,
            sum_squares: 0.0,
            peak: 0.0,
        }
    }

    /// Feeds samples; `publish` is called once per completed window.
    pub(crate) fn push(&mut self, samples: &[f32], mut publish: impl FnMut(Level)) {
        for &s in samples {
            self.sum_squares += f64::from(s) * f64::from(s);
            self.peak = self.peak.max(s.abs());
            self.count += 1;
            if self.count == self.window {
                let rms = (self.sum_squares / self.count as f64).sqrt() as f32;
                publish(Level {
                    rms_dbfs: to_dbfs(rms),
                    peak_dbfs: to_dbfs(self.peak),
                });
                self.count = 0;
                self.sum_squares = 0.0;
                self.peak = 0.0;
            }
        }
    }
}

pub(crate) fn to_dbfs(amplitude: f32) -> f32 {
    if amplitude <= 0.0 {
        SILENCE_DBFS
    } else {
        (20.0 * amplitude.log10()).max(SILENCE_DBFS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(rate: u32, samples: &[f32]) -> Vec<Level> {
        let mut meter = LevelMeter::new(rate, 20);
        let mut out = Vec::new();
        for block in samples.chunks(333) {
            meter.push(block, |l| out.push(l));
        }
        out
    }

    #[test]
    fn full_scale_sine_reads_minus_three_rms_and_zero_peak() {
        let rate = 48000;
        let sine: Vec<f32> = (0..rate)
            .map(|i| (i as f32 * 1000.0 * std::f32::consts::TAU / rate as f32).sin())
            .collect();
        let levels = readings(rate, &sine);
        assert_eq!(levels.len(), 20, "20 readings per second");
        for l in levels {
            assert!((l.rms_dbfs + 3.01).abs() < 0.05, "rms {}", l.rms_dbfs);
            assert!(l.peak_dbfs.abs() < 0.01, "peak {}", l.peak_dbfs);
        }
    }

    #[test]
    fn silence_reads_the_floor_and_half_scale_reads_minus_six() {
        let levels = readings(16000, &[0.0; 800]);
        assert_eq!(
            levels,
            vec![Level {
                rms_dbfs: SILENCE_DBFS,
                peak_dbfs: SILENCE_DBFS
            }]
        );
        let half = readings(16000, &[0.5; 800]);
        assert!((half[0].rms_dbfs + 6.02).abs() < 0.01);
        assert!((half[0].peak_dbfs + 6.02).abs() < 0.01);
    }
}
