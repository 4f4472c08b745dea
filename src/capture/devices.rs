//! Finding devices: the microphone and the source of system audio on each platform.

use cpal::traits::{DeviceTrait, HostTrait};
use serde::Serialize;

use super::{CaptureError, SystemSource};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A microphone or other capture device.
    Input,
    /// Captures what an output plays (PulseAudio/PipeWire monitor, WASAPI loopback).
    Monitor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeviceInfo {
    /// Stable name to pass back in `CaptureOptions` (the PulseAudio source name on Linux).
    pub name: String,
    /// Human-readable description.
    pub description: String,
    pub kind: DeviceKind,
    /// The default microphone (Input) or the default system-audio source (Monitor).
    pub is_default: bool,
}

/// Where system audio will come from, or why it cannot be captured.
pub(crate) enum SystemChoice {
    Device(Box<cpal::Device>, String),
    Unavailable(String),
}

pub(crate) fn host() -> cpal::Host {
    // On Linux with the `pulseaudio` feature, cpal prefers a running PulseAudio/PipeWire server.
    cpal::default_host()
}

fn device_name(device: &cpal::Device) -> Option<String> {
    device.id().ok().map(|id| id.id().to_owned())
}

fn description(device: &cpal::Device) -> String {
    device
        .description()
        .map(|d| d.name().to_owned())
        .unwrap_or_default()
}

fn is_pulse(host: &cpal::Host) -> bool {
    host.id().name().eq_ignore_ascii_case("pulseaudio")
}

/// Whether input streams deliver audio without pause, silence included (PulseAudio and
/// PipeWire do; WASAPI loopback goes quiet while nothing plays).
pub(crate) fn streams_continuously(host: &cpal::Host) -> bool {
    is_pulse(host)
}

/// Every device that can be recorded from.
pub fn list_devices() -> Result<Vec<DeviceInfo>, CaptureError> {
    let host = host();
    let list_err = |e: cpal::Error| CaptureError::ListDevices {
        message: e.to_string(),
    };
    let default_mic = host.default_input_device().and_then(|d| device_name(&d));
    let default_system = match default_system_device(&host) {
        SystemChoice::Device(_, name) => Some(name),
        SystemChoice::Unavailable(_) => None,
    };
    let mut found = Vec::new();
    for device in host.input_devices().map_err(list_err)? {
        let Some(name) = device_name(&device) else {
            continue;
        };
        let kind = if is_pulse(&host) && name.ends_with(".monitor") {
            DeviceKind::Monitor
        } else {
            DeviceKind::Input
        };
        let is_default = match kind {
            DeviceKind::Input => default_mic.as_deref() == Some(name.as_str()),
            DeviceKind::Monitor => default_system.as_deref() == Some(name.as_str()),
        };
        found.push(DeviceInfo {
            description: description(&device),
            name,
            kind,
            is_default,
        });
    }
    if cfg!(target_os = "windows") {
        // WASAPI records what an output plays when an input stream is opened on it.
        for device in host.output_devices().map_err(list_err)? {
            let Some(name) = device_name(&device) else {
                continue;
            };
            found.push(DeviceInfo {
                is_default: default_system.as_deref() == Some(name.as_str()),
                description: description(&device),
                name,
                kind: DeviceKind::Monitor,
            });
        }
    }
    Ok(found)
}

pub(crate) fn find_mic(
    host: &cpal::Host,
    wanted: Option<&str>,
) -> Result<(cpal::Device, String), CaptureError> {
    match wanted {
        None => {
            let device = host
                .default_input_device()
                .ok_or(CaptureError::NoMicrophone)?;
            let name = device_name(&device).unwrap_or_else(|| description(&device));
            Ok((device, name))
        }
        Some(wanted) => find_named(host, wanted, false),
    }
}

pub(crate) fn find_system(
    host: &cpal::Host,
    source: &SystemSource,
) -> Result<SystemChoice, CaptureError> {
    match source {
        SystemSource::None => Ok(SystemChoice::Unavailable(
            "system audio was turned off for this recording; only the microphone is recorded"
                .to_owned(),
        )),
        SystemSource::Named(wanted) => {
            let (device, name) = find_named(host, wanted, cfg!(target_os = "windows"))?;
            Ok(SystemChoice::Device(Box::new(device), name))
        }
        SystemSource::Default => Ok(default_system_device(host)),
    }
}

fn default_system_device(host: &cpal::Host) -> SystemChoice {
    if cfg!(target_os = "macos") {
        return SystemChoice::Unavailable(
            "macOS does not let apps record system audio directly; only the microphone is \
             recorded (install a loopback device such as BlackHole and choose it to record both)"
                .to_owned(),
        );
    }
    if cfg!(target_os = "windows") {
        return match host.default_output_device() {
            Some(device) => {
                let name = device_name(&device).unwrap_or_else(|| description(&device));
                SystemChoice::Device(Box::new(device), name)
            }
            None => SystemChoice::Unavailable(
                "no output device found, so there is no system audio to record; only the \
                 microphone is recorded"
                    .to_owned(),
            ),
        };
    }
    if !is_pulse(host) {
        return SystemChoice::Unavailable(format!(
            "system audio needs PulseAudio or PipeWire (pipewire-pulse), but the audio system in \
             use is {}; only the microphone is recorded",
            host.id().name()
        ));
    }
    let Some(sink) = host.default_output_device().and_then(|d| device_name(&d)) else {
        return SystemChoice::Unavailable(
            "no default output device, so there is no system audio to record; only the \
             microphone is recorded"
                .to_owned(),
        );
    };
    let monitor = format!("{sink}.monitor");
    match host.input_devices() {
        Ok(mut devices) => match devices.find(|d| device_name(d).as_deref() == Some(&monitor)) {
            Some(device) => SystemChoice::Device(Box::new(device), monitor),
            None => SystemChoice::Unavailable(format!(
                "the default output {sink:?} has no monitor source {monitor:?}; only the \
                 microphone is recorded"
            )),
        },
        Err(e) => SystemChoice::Unavailable(format!(
            "cannot list audio sources ({e}); only the microphone is recorded"
        )),
    }
}

fn find_named(
    host: &cpal::Host,
    wanted: &str,
    include_outputs: bool,
) -> Result<(cpal::Device, String), CaptureError> {
    let mut candidates: Vec<cpal::Device> = host
        .input_devices()
        .map_err(|e| CaptureError::ListDevices {
            message: e.to_string(),
        })?
        .collect();
    if include_outputs {
        if let Ok(outputs) = host.output_devices() {
            candidates.extend(outputs);
        }
    }
    let by_name = candidates
        .iter()
        .position(|d| device_name(d).as_deref() == Some(wanted));
    let by_description = || candidates.iter().position(|d| description(d) == wanted);
    match by_name.or_else(by_description) {
        Some(index) => {
            let device = candidates.swap_remove(index);
            let name = device_name(&device).unwrap_or_else(|| wanted.to_owned());
            Ok((device, name))
        }
        None => Err(CaptureError::DeviceNotFound {
            name: wanted.to_owned(),
            available: candidates
                .iter()
                .filter_map(device_name)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Watches the recorded devices and flags a stream whose device is no longer listed.
/// PulseAudio moves the stream of a removed source to another source instead of failing it,
/// which would silently record the wrong device; this catches that.
pub(crate) fn watch_presence(
    watched: Vec<(String, std::sync::Arc<super::stream::StreamShared>)>,
    halt: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    use std::sync::atomic::Ordering;
    std::thread::Builder::new()
        .name("zapis-device-watch".to_owned())
        .spawn(move || {
            let host = host();
            let poll = std::time::Duration::from_millis(50);
            let mut since_check = std::time::Duration::ZERO;
            while !halt.load(Ordering::Acquire) {
                std::thread::sleep(poll);
                since_check += poll;
                if since_check < std::time::Duration::from_secs(1) {
                    continue;
                }
                since_check = std::time::Duration::ZERO;
                let Ok(devices) = host.input_devices() else {
                    continue;
                };
                let present: Vec<String> = devices.filter_map(|d| device_name(&d)).collect();
                for (name, shared) in &watched {
                    if !present.iter().any(|p| p == name) && !shared.failed.load(Ordering::Acquire)
                    {
                        if let Ok(mut slot) = shared.failure.lock() {
                            slot.get_or_insert_with(|| {
                                format!("{name} disappeared (unplugged or removed)")
                            });
                        }
                        shared.failed.store(true, Ordering::Release);
                    }
                }
            }
        })
}
