//! Diarization on real multi-speaker human speech (bench/diarization.sh runs it): DER with a
//! 0.25 s collar, the number of voices found against the truth, and the time per hour of audio.
//!
//! Recordings, each scored on its own and pooled per set:
//! - `natural`: real conversations with their published speaker turns: pyannote.audio 3.3.2's
//!   sample.wav (2 speakers, sample.rttm) and the five HarperValleyBank calls of speech-dev
//!   (agent + caller, segments.tsv).
//! - `built`: far sides of 1, 3 and 4 people made by laying real turns from different
//!   HarperValleyBank calls one after another (0.4–0.9 s apart), as a group on the other end of
//!   a call; and one long single-reader file (LJ Speech) that must stay one voice.
//! - `ami (held out)`: the AMI meeting excerpts (CC BY 4.0) in pyannote.audio 4.0.7's source
//!   package (tests/data: 14 recordings of 30 s, 1–4 speakers, with overlap, RTTM turns). Never
//!   used to choose anything. pyannote's segmentation model was trained on AMI among others, so
//!   this set may flatter the segmentation step (not the CAM++ voiceprints or the clustering).
//! - the rep in a one-channel recording, on the AMI excerpts: every speaker heard in two of them
//!   is enrolled from their reference turns in one (as the rep's voiceprint comes from the
//!   microphone track of an earlier call) and looked for among the voices found in each other
//!   excerpt, with the rule a one-channel call uses; where they do not speak, nobody may be
//!   taken for them.
//! - speed: the far side of a 60-minute call (every speech-dev clip, repeated, with pauses).
//!
//! usage: diarize_bench MODELS_DIR SPEECH_DEV_DIR PYANNOTE_SAMPLE_DIR [--ami AMI_DIR] [--threads 2]
//!        [--threshold T] [--shift S] [--only SET] [--skip-speed]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use zapis::diarize::der::{score, speaker_count, DerScore, Labelled};
use zapis::diarize::{
    voice_matching, DiarizationModels, DiarizeSettings, Diarizer, Turn, SAMPLE_RATE,
};
use zapis::transcribe::audio::{downmix, read_all};

const COLLAR_MS: i64 = 250;

struct Recording {
    set: &'static str,
    name: String,
    samples: Vec<f32>,
    reference: Vec<Labelled>,
}

fn load(path: &Path) -> Result<Vec<f32>> {
    Ok(downmix(
        &read_all(path).with_context(|| format!("reading {}", path.display()))?,
    ))
}

fn ms(seconds: &str) -> Result<i64> {
    Ok((seconds.trim().parse::<f64>()? * 1000.0).round() as i64)
}

/// speech-dev's per-turn times: id → turns.
fn speech_dev_turns(dir: &Path) -> Result<BTreeMap<String, Vec<Labelled>>> {
    let text = std::fs::read_to_string(dir.join("segments.tsv"))?;
    let mut out: BTreeMap<String, Vec<Labelled>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 || !cols[0].starts_with("hvb_") {
            continue;
        }
        out.entry(cols[0].to_string()).or_default().push(Labelled {
            start_ms: ms(cols[1])?,
            end_ms: ms(cols[2])?,
            speaker: format!("{}:{}", cols[0], cols[3]),
        });
    }
    Ok(out)
}

/// An RTTM file's turns, by recording id.
fn rttm(path: &Path) -> Result<BTreeMap<String, Vec<Labelled>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out: BTreeMap<String, Vec<Labelled>> = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("SPEAKER")) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 8 {
            bail!("{}: short RTTM line '{line}'", path.display());
        }
        let start = ms(cols[3])?;
        out.entry(cols[1].to_string()).or_default().push(Labelled {
            start_ms: start,
            end_ms: start + ms(cols[4])?,
            speaker: cols[7].to_string(),
        });
    }
    Ok(out)
}

fn ami(dir: &Path) -> Result<Vec<Recording>> {
    let mut out = Vec::new();
    for split in ["train", "development", "test"] {
        let mut turns = rttm(&dir.join(format!("debug.{split}.rttm")))?;
        let list = dir.join(format!("debug.{split}.lst"));
        let uris = std::fs::read_to_string(&list)
            .with_context(|| format!("reading {}", list.display()))?;
        for uri in uris.lines().map(str::trim).filter(|u| !u.is_empty()) {
            // The fixture names one file "trñ00" in its list and "trn00" in its RTTM (a unicode
            // test of pyannote's): a non-ASCII letter matches any letter.
            let key = turns
                .keys()
                .find(|id| {
                    id.chars().count() == uri.chars().count()
                        && id
                            .chars()
                            .zip(uri.chars())
                            .all(|(a, b)| a == b || !b.is_ascii())
                })
                .cloned();
            let Some(reference) = key.and_then(|k| turns.remove(&k)) else {
                continue; // no speech labelled in this file
            };
            out.push(Recording {
                set: "ami (held out)",
                name: uri.to_string(),
                samples: load(&dir.join(format!("{uri}.wav")))?,
                reference,
            });
        }
    }
    Ok(out)
}

/// A deterministic gap between built turns, 400–900 ms.
fn gap_ms(i: usize) -> i64 {
    400 + ((i * 7919) % 6) as i64 * 100
}

/// Lays the given speakers' turns one after another, taking turns round-robin.
fn build(
    name: String,
    speakers: &[&str],
    turns: &BTreeMap<String, Vec<Labelled>>,
    audio: &BTreeMap<String, Vec<f32>>,
) -> Recording {
    let per_ms = (SAMPLE_RATE / 1000) as i64;
    let queues: Vec<Vec<&Labelled>> = speakers
        .iter()
        .map(|who| {
            let call = who.split(':').next().unwrap_or_default();
            turns
                .get(call)
                .map(|t| t.iter().filter(|t| t.speaker == *who).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut samples = Vec::new();
    let mut reference = Vec::new();
    let longest = queues.iter().map(Vec::len).max().unwrap_or(0);
    let mut n = 0;
    for round in 0..longest {
        for queue in &queues {
            let Some(t) = queue.get(round) else { continue };
            let call = t.speaker.split(':').next().unwrap_or_default();
            let Some(src) = audio.get(call) else { continue };
            let from = ((t.start_ms * per_ms) as usize).min(src.len());
            let to = ((t.end_ms * per_ms) as usize).min(src.len());
            samples.extend(std::iter::repeat_n(0.0, (gap_ms(n) * per_ms) as usize));
            let start_ms = samples.len() as i64 / per_ms;
            samples.extend_from_slice(&src[from..to]);
            reference.push(Labelled {
                start_ms,
                end_ms: samples.len() as i64 / per_ms,
                speaker: t.speaker.clone(),
            });
            n += 1;
        }
    }
    Recording {
        set: "built",
        name,
        samples,
        reference,
    }
}

fn recordings(speech_dev: &Path, sample_dir: &Path) -> Result<Vec<Recording>> {
    let mut out = vec![Recording {
        set: "natural",
        name: "pyannote sample.wav".into(),
        samples: load(&sample_dir.join("sample.wav"))?,
        reference: rttm(&sample_dir.join("sample.rttm"))?
            .remove("sample")
            .context("sample.rttm has no turns of 'sample'")?,
    }];
    let turns = speech_dev_turns(speech_dev)?;
    let mut audio = BTreeMap::new();
    for (id, reference) in &turns {
        let samples = load(&speech_dev.join("audio").join(format!("{id}.wav")))?;
        audio.insert(id.clone(), samples.clone());
        out.push(Recording {
            set: "natural",
            name: id.clone(),
            samples,
            reference: reference.clone(),
        });
    }
    let ids: Vec<&String> = turns.keys().collect();
    if ids.len() < 5 {
        bail!(
            "speech-dev should hold five hvb_ calls, found {}",
            ids.len()
        );
    }
    let who = |i: usize, side: &str| format!("{}:{side}", ids[i % ids.len()]);
    let groups: Vec<Vec<String>> = vec![
        vec![who(2, "caller")],
        vec![who(0, "agent")],
        vec![who(0, "caller"), who(1, "caller"), who(2, "caller")],
        vec![who(1, "agent"), who(3, "caller"), who(4, "agent")],
        vec![who(2, "agent"), who(4, "caller"), who(0, "caller")],
        vec![
            who(0, "agent"),
            who(1, "caller"),
            who(2, "caller"),
            who(3, "agent"),
        ],
        vec![
            who(1, "agent"),
            who(2, "agent"),
            who(3, "caller"),
            who(4, "caller"),
        ],
        vec![
            who(0, "caller"),
            who(2, "caller"),
            who(3, "agent"),
            who(4, "agent"),
        ],
    ];
    for group in &groups {
        let refs: Vec<&str> = group.iter().map(String::as_str).collect();
        let short: Vec<String> = group
            .iter()
            .map(|g| {
                g.trim_start_matches("hvb_")
                    .chars()
                    .take(4)
                    .collect::<String>()
                    + &g[g.len().saturating_sub(6)..]
            })
            .collect();
        out.push(build(
            format!("{} voices: {}", group.len(), short.join(" + ")),
            &refs,
            &turns,
            &audio,
        ));
    }
    let lj = speech_dev
        .join("audio")
        .join("lj_LJ001-0001-0020_longform.wav");
    let samples = load(&lj)?;
    let end_ms = samples.len() as i64 * 1000 / SAMPLE_RATE as i64;
    out.push(Recording {
        set: "built",
        name: "1 voice: LJ long-form reader".into(),
        samples,
        reference: vec![Labelled {
            start_ms: 0,
            end_ms,
            speaker: "reader".into(),
        }],
    });
    Ok(out)
}

/// The samples under some stretches, end to end.
fn under(samples: &[f32], spans: impl Iterator<Item = (i64, i64)>) -> Vec<f32> {
    let per_ms = SAMPLE_RATE as i64 / 1000;
    let mut out = Vec::new();
    for (start, end) in spans {
        let from = ((start * per_ms) as usize).min(samples.len());
        let to = ((end * per_ms) as usize).min(samples.len());
        out.extend_from_slice(&samples[from..to]);
    }
    out
}

fn overlap_ms(a: (i64, i64), b: (i64, i64)) -> i64 {
    (a.1.min(b.1) - a.0.max(b.0)).max(0)
}

/// See the module comment: the one-channel rule for finding the rep, on held-out meetings.
fn rep_identification(diarizer: &Diarizer, found: &[(&Recording, Vec<Turn>)]) {
    // Each recording's voices (as diarized) with their voiceprints.
    let voices: Vec<Vec<Option<Vec<f32>>>> = found
        .iter()
        .map(|(rec, turns)| {
            let n = turns.iter().map(|t| t.voice + 1).max().unwrap_or(0);
            (0..n)
                .map(|v| {
                    let spans = turns
                        .iter()
                        .filter(|t| t.voice == v)
                        .map(|t| (t.start_ms, t.end_ms));
                    diarizer.voiceprint(&under(&rec.samples, spans))
                })
                .collect()
        })
        .collect();
    let speech_of = |rec: &Recording, speaker: &str| -> i64 {
        rec.reference
            .iter()
            .filter(|l| l.speaker == speaker)
            .map(|l| l.end_ms - l.start_ms)
            .sum()
    };
    let (mut present, mut right, mut wrong, mut missed) = (0, 0, 0, 0);
    let (mut absent, mut false_alarms) = (0, 0);
    for (a, (enrol_rec, _)) in found.iter().enumerate() {
        let mut speakers: Vec<&str> = enrol_rec
            .reference
            .iter()
            .map(|l| l.speaker.as_str())
            .collect();
        speakers.sort();
        speakers.dedup();
        for speaker in speakers {
            let spans = enrol_rec
                .reference
                .iter()
                .filter(|l| l.speaker == speaker)
                .map(|l| (l.start_ms, l.end_ms));
            let Some(print) = diarizer.voiceprint(&under(&enrol_rec.samples, spans)) else {
                continue;
            };
            let known = [print];
            for (b, (rec, turns)) in found.iter().enumerate() {
                if a == b {
                    continue;
                }
                let prints: Vec<Option<&[f32]>> = voices[b].iter().map(|p| p.as_deref()).collect();
                let chosen = voice_matching(&prints, &known);
                if speech_of(rec, speaker) < 1000 {
                    absent += 1;
                    false_alarms += usize::from(chosen.is_some());
                    continue;
                }
                present += 1;
                // Their voice: the one found that overlaps their reference turns most.
                let theirs = (0..voices[b].len()).max_by_key(|&v| {
                    turns
                        .iter()
                        .filter(|t| t.voice == v)
                        .map(|t| {
                            rec.reference
                                .iter()
                                .filter(|l| l.speaker == speaker)
                                .map(|l| overlap_ms((t.start_ms, t.end_ms), (l.start_ms, l.end_ms)))
                                .sum::<i64>()
                        })
                        .sum::<i64>()
                });
                match chosen {
                    None => missed += 1,
                    Some(v) if Some(v) == theirs => right += 1,
                    Some(_) => wrong += 1,
                }
            }
        }
    }
    println!(
        "rep in a one-channel recording (AMI, held out): where the enrolled person speaks, {present} tries: found {right}, another voice taken for them {wrong}, not found {missed}; where they do not speak, {absent} tries: someone taken for them {false_alarms}"
    );
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let valued = ["--threads", "--threshold", "--shift", "--ami", "--only"];
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            !a.starts_with("--") && (*i == 0 || !valued.contains(&args[i - 1].as_str()))
        })
        .map(|(_, a)| a)
        .collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    if positional.len() < 3 {
        bail!("usage: diarize_bench MODELS_DIR SPEECH_DEV_DIR PYANNOTE_SAMPLE_DIR [--threads 2] [--threshold T] [--skip-speed]");
    }
    let mut settings = DiarizeSettings::default();
    if let Some(t) = flag("--threads") {
        settings.threads = t.parse()?;
    }
    if let Some(t) = flag("--threshold") {
        settings.threshold = t.parse()?;
    }
    if let Some(t) = flag("--shift") {
        settings.window_shift = t.parse()?;
    }
    let models = DiarizationModels::in_dir(&PathBuf::from(positional[0]))?;
    let diarizer = Diarizer::load(&models, settings)?;
    let speech_dev = PathBuf::from(positional[1]);
    let mut recs = recordings(&speech_dev, Path::new(positional[2]))?;
    if let Some(dir) = flag("--ami") {
        recs.extend(ami(Path::new(dir))?);
    }
    println!(
        "diarization, {} threads, clustering threshold {}, window shift {}, collar {} ms",
        settings.threads, settings.threshold, settings.window_shift, COLLAR_MS
    );
    println!(
        "{:<14} {:<44} {:>7} {:>6} {:>6} {:>6} {:>7} {:>5}",
        "set", "recording", "speech", "miss", "fa", "conf", "DER", "n/ref"
    );
    let mut pooled: BTreeMap<&str, (DerScore, usize, usize)> = BTreeMap::new();
    let mut ami_found: Vec<(&Recording, Vec<Turn>)> = Vec::new();
    let only = flag("--only");
    for rec in recs
        .iter()
        .filter(|r| only.is_none_or(|set| r.set.starts_with(set.as_str())))
    {
        let turns = diarizer.turns(&rec.samples)?;
        let hypothesis: Vec<Labelled> = turns
            .iter()
            .map(|t| Labelled {
                start_ms: t.start_ms,
                end_ms: t.end_ms,
                speaker: format!("v{}", t.voice),
            })
            .collect();
        let s = score(&rec.reference, &hypothesis, COLLAR_MS);
        let found = speaker_count(&hypothesis);
        let truth = speaker_count(&rec.reference);
        println!(
            "{:<14} {:<44} {:>6.1}s {:>5.1}s {:>5.1}s {:>5.1}s {:>6.1}% {:>2}/{:<2}",
            rec.set,
            rec.name,
            s.speech,
            s.missed,
            s.false_alarm,
            s.confusion,
            s.der() * 100.0,
            found,
            truth
        );
        let entry = pooled.entry(rec.set).or_default();
        entry.0.add(&s);
        entry.1 += usize::from(found == truth);
        entry.2 += 1;
        if rec.set.starts_with("ami") {
            ami_found.push((rec, turns));
        }
    }
    for (set, (s, right, n)) in &pooled {
        println!(
            "pooled {set}: DER {:.1} % (missed {:.1} %, false alarm {:.1} %, confusion {:.1} %) over {:.0} s; speaker count right on {right}/{n}",
            s.der() * 100.0,
            s.missed / s.speech * 100.0,
            s.false_alarm / s.speech * 100.0,
            s.confusion / s.speech * 100.0,
            s.speech
        );
    }
    if !ami_found.is_empty() {
        rep_identification(&diarizer, &ami_found);
    }
    if args.iter().any(|a| a == "--skip-speed") {
        return Ok(());
    }
    // A 60-minute far side: every recording above in turn, with 2 s pauses, until an hour.
    let hour = 3600 * SAMPLE_RATE as usize;
    let mut long = Vec::with_capacity(hour);
    'fill: loop {
        for rec in &recs {
            long.extend(std::iter::repeat_n(0.0, 2 * SAMPLE_RATE as usize));
            long.extend_from_slice(&rec.samples);
            if long.len() >= hour {
                break 'fill;
            }
        }
    }
    long.truncate(hour);
    let started = Instant::now();
    let turns = diarizer.turns(&long)?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "speed: a 60-minute far side diarized in {:.0} s on {} threads ({:.1} min per hour of call; {} turns, {} voices)",
        elapsed,
        settings.threads,
        elapsed / 60.0,
        turns.len(),
        turns.iter().map(|t| t.voice + 1).max().unwrap_or(0)
    );
    Ok(())
}
