//! sherpa-onnx's offline diarization (pyannote segmentation, CAM++ embeddings, clustering) behind
//! a small API: audio in, speaker turns out, and a voiceprint per voice for naming on later calls.

use std::path::Path;

use sherpa_onnx::{
    FastClusteringConfig, OfflineSpeakerDiarization, OfflineSpeakerDiarizationConfig,
    OfflineSpeakerSegmentationModelConfig, OfflineSpeakerSegmentationPyannoteModelConfig,
    SpeakerEmbeddingExtractor, SpeakerEmbeddingExtractorConfig,
};

use super::models::DiarizationModels;
use super::DiarizeError;

/// The sample rate both models were trained at; audio reaches them resampled to it.
pub const SAMPLE_RATE: u32 = 16_000;

/// How voices are told apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiarizeSettings {
    /// Threads for the two networks.
    pub threads: usize,
    /// The clustering's merge threshold: higher finds fewer voices. sherpa-onnx's default (0.5)
    /// split every speaker of the HarperValleyBank calls into 3–10 voices with this CAM++ model;
    /// 0.8 was chosen on those calls and on far sides built from them (bench/diarization.sh,
    /// sets "natural" and "built"), before the held-out AMI meetings were run.
    pub threshold: f32,
    /// The segmentation model's 10 s window moves by this share of itself; every window a voice
    /// speaks in costs a CAM++ voiceprint, so this sets most of the time diarization takes.
    pub window_shift: f32,
    /// Speech shorter than this (seconds) is dropped, silence shorter than `min_off` bridged.
    pub min_on: f32,
    pub min_off: f32,
}

impl Default for DiarizeSettings {
    fn default() -> Self {
        DiarizeSettings {
            threads: 2,
            threshold: 0.8,
            window_shift: 0.1,
            min_on: 0.3,
            min_off: 0.5,
        }
    }
}

/// One stretch of one voice. Voices are numbered from 0 in order of first speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub start_ms: i64,
    pub end_ms: i64,
    pub voice: usize,
}

pub struct Diarizer {
    diarization: OfflineSpeakerDiarization,
    embeddings: SpeakerEmbeddingExtractor,
}

fn path_string(path: &Path) -> Result<String, DiarizeError> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| DiarizeError::Load {
            path: path.to_path_buf(),
            reason: "the path is not valid UTF-8, which sherpa-onnx needs".into(),
        })
}

impl Diarizer {
    pub fn load(
        models: &DiarizationModels,
        settings: DiarizeSettings,
    ) -> Result<Self, DiarizeError> {
        let threads = settings.threads.clamp(1, 64) as i32;
        let embedding = SpeakerEmbeddingExtractorConfig {
            model: Some(path_string(&models.embedding)?),
            num_threads: threads,
            ..Default::default()
        };
        let config = OfflineSpeakerDiarizationConfig {
            segmentation: OfflineSpeakerSegmentationModelConfig {
                pyannote: OfflineSpeakerSegmentationPyannoteModelConfig {
                    model: Some(path_string(&models.segmentation)?),
                    window_shift_ratio: settings.window_shift.clamp(0.05, 1.0),
                },
                num_threads: threads,
                ..Default::default()
            },
            embedding: embedding.clone(),
            clustering: FastClusteringConfig {
                num_clusters: -1,
                threshold: settings.threshold,
                compute_confidence: false,
            },
            min_duration_on: settings.min_on,
            min_duration_off: settings.min_off,
        };
        let diarization =
            OfflineSpeakerDiarization::create(&config).ok_or_else(|| DiarizeError::Load {
                path: models.segmentation.clone(),
                reason: "sherpa-onnx could not load the segmentation or embedding model".into(),
            })?;
        let embeddings =
            SpeakerEmbeddingExtractor::create(&embedding).ok_or_else(|| DiarizeError::Load {
                path: models.embedding.clone(),
                reason: "sherpa-onnx could not load the speaker-embedding model".into(),
            })?;
        Ok(Diarizer {
            diarization,
            embeddings,
        })
    }

    /// Who spoke when in 16 kHz mono audio. Silence, or audio too short to hold a voice, gives no
    /// turns.
    pub fn turns(&self, samples: &[f32]) -> Result<Vec<Turn>, DiarizeError> {
        // The C API counts samples in an i32: about 37 hours at 16 kHz.
        if samples.len() > i32::MAX as usize {
            return Err(DiarizeError::TooLong {
                seconds: samples.len() as f64 / f64::from(SAMPLE_RATE),
            });
        }
        // The segmentation model looks at 10 s windows; anything shorter than one second
        // cannot be told apart from another voice.
        if samples.len() < SAMPLE_RATE as usize {
            return Ok(Vec::new());
        }
        let result = self
            .diarization
            .process(samples)
            .ok_or(DiarizeError::Failed)?;
        let mut raw: Vec<(i64, i64, i32)> = result
            .sort_by_start_time()
            .into_iter()
            .filter(|s| s.end > s.start && s.speaker >= 0)
            .map(|s| {
                (
                    (f64::from(s.start) * 1000.0).round() as i64,
                    (f64::from(s.end) * 1000.0).round() as i64,
                    s.speaker,
                )
            })
            .collect();
        raw.sort_by_key(|&(start, end, _)| (start, end));
        // Renumber in order of first speech, so "Speaker 2" is the first far-side voice heard.
        let mut order: Vec<i32> = Vec::new();
        let turns = raw
            .into_iter()
            .map(|(start_ms, end_ms, speaker)| {
                let voice = match order.iter().position(|&s| s == speaker) {
                    Some(i) => i,
                    None => {
                        order.push(speaker);
                        order.len() - 1
                    }
                };
                Turn {
                    start_ms,
                    end_ms,
                    voice,
                }
            })
            .collect();
        Ok(turns)
    }

    /// A unit-length voiceprint of the given speech (at most the first 60 s are used), or
    /// `None` when there is too little of it.
    pub fn voiceprint(&self, samples: &[f32]) -> Option<Vec<f32>> {
        let stream = self.embeddings.create_stream()?;
        let limit = samples.len().min(60 * SAMPLE_RATE as usize);
        stream.accept_waveform(SAMPLE_RATE as i32, &samples[..limit]);
        stream.input_finished();
        if !self.embeddings.is_ready(&stream) {
            return None;
        }
        let mut v = self.embeddings.compute(&stream)?;
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if !norm.is_finite() || norm == 0.0 {
            return None;
        }
        v.iter_mut().for_each(|x| *x /= norm);
        Some(v)
    }
}

/// The cosine similarity of two unit-length voiceprints.
pub fn similarity(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
