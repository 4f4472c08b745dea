//! The mel filter bank whisper.cpp reads from the model file. OpenAI computed it with
//! `librosa.filters.mel(sr=16000, n_fft=400, n_mels=N)`: Slaney mel scale and Slaney
//! area normalisation, evaluated in f64 and stored as f32.

pub const SAMPLE_RATE: f64 = 16_000.0;
pub const N_FFT: usize = 400;

/// Returns `(n_mels, n_fft / 2 + 1, weights)` with weights row-major by mel band.
pub fn filters(n_mels: usize) -> (usize, usize, Vec<f32>) {
    let n_freqs = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_freqs)
        .map(|i| i as f64 * (SAMPLE_RATE / 2.0) / (n_freqs - 1) as f64)
        .collect();
    let max_mel = hz_to_mel(SAMPLE_RATE / 2.0);
    let mel_points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(max_mel * i as f64 / (n_mels + 1) as f64))
        .collect();

    let mut weights = Vec::with_capacity(n_mels * n_freqs);
    for band in 0..n_mels {
        let (lo, mid, hi) = (mel_points[band], mel_points[band + 1], mel_points[band + 2]);
        let norm = 2.0 / (hi - lo);
        for &f in &fft_freqs {
            let rising = (f - lo) / (mid - lo);
            let falling = (hi - f) / (hi - mid);
            weights.push((rising.min(falling).max(0.0) * norm) as f32);
        }
    }
    (n_mels, n_freqs, weights)
}

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        mel * F_SP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slaney_scale_round_trips() {
        for hz in [0.0, 440.0, 999.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
    }

    /// `mel_80.f32` is `mel_80` from OpenAI Whisper's `assets/mel_filters.npz` (MIT).
    #[test]
    fn matches_openai_reference_bank() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mel_80.f32");
        let reference: Vec<f32> = std::fs::read(path)
            .expect("reference mel bank")
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let (n_mels, n_freqs, ours) = filters(80);
        assert_eq!((n_mels, n_freqs), (80, 201));
        assert_eq!(ours.len(), reference.len());
        let worst = ours
            .iter()
            .zip(&reference)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-6, "largest difference {worst}");
    }
}
