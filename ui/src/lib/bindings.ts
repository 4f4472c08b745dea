// Generated from the Rust types by src-tauri/src/bindings.rs (scripts/gen-bindings.sh).
// Do not edit: change the Rust type and regenerate.

/** The stable codes of `zapis::app::ErrorCode`, and `failed` for the rest. */
export type ErrorCode = "consent.no_participants" | "consent.declined" | "consent.unknown_decision" | "consent.unknown_method" | "consent.invalid" | "recording.already_recording" | "recording.not_recording" | "capture.no_microphone" | "capture.device_not_found" | "capture.failed" | "storage.disk_full" | "storage.read_only" | "storage.busy" | "storage.damaged" | "storage.not_found" | "storage.failed" | "model.not_installed" | "model.failed" | "transcribe.failed" | "import.consent_required" | "import.bad_file" | "contacts.bad_csv" | "export.failed" | "team.unreachable" | "team.refused" | "team.untrusted" | "team.failed" | "diarize.failed" | "search.failed" | "invalid_input" | "failed";

export type ActionItem = { id: number, call_id: number, text: string, owner: string, due: string | null, segment: number | null, done: boolean, };

/**
 * A call with what was derived from it: the unit a CRM export is made of.
 */
export type CallExport = { 
/**
 * Stored as the analysis wrote it (`Insights`); null until the call is analysed.
 */
insights: Insights | null, action_items: Array<ActionItem>, 
/**
 * The far side's voices, when diarization told them apart (see `zapis calls voices`).
 */
voices: Array<CallVoice>, ended_at: string | null, audio_dir: string | null, 
/**
 * Everyone was recorded on one channel (a mono import): no track is the rep's, so every
 * line's speaker comes from telling the voices apart, the rep's included.
 */
one_channel: boolean, 
/**
 * The participants with email and role (the flattened summary has just their names).
 */
people: Array<Participant>, consent: Array<ConsentReceipt>, transcript: Array<Segment>, 
/**
 * What went wrong while this call was captured (audio the server dropped, a device that
 * disappeared), oldest first, from the call's audit trail. Empty for a clean recording.
 */
capture_notes: Array<string>, id: number, title: string, started_at: string, duration_ms: number, language: string, source: CallSource, status: CallStatus, participants: Array<string>, segments: number, sentiment: string | null, 
/**
 * The Whisper model that made the transcript on this computer (`tiny.en`, `base`, …);
 * null for an imported transcript or a call not transcribed yet.
 */
transcribed_with: string | null, };

/**
 * The call a command started, stopped or imported.
 */
export type CallRef = { call_id: number, };

export type CallSentiment = { customer: SentimentScore, rep: SentimentScore, per_speaker: Array<SpeakerSentiment>, timeline: Array<TimelinePoint>, per_segment: Array<SegmentSentiment>, };

/**
 * Where one call stands with the team, for the call view's switch.
 */
export type CallSharing = { 
/**
 * Whether the rep's choices (or the policy) send this call to the team.
 */
chosen: boolean, decided_by: ShareChoice, 
/**
 * The default for calls the rep has not chosen about.
 */
policy: SharePolicy, 
/**
 * Why the call stays on this computer; `None` when it goes to the team.
 */
held_back: NotShared | null, 
/**
 * A change to the call waits for the next sync.
 */
waiting: boolean, };

export type CallSource = "recorded" | "imported-audio" | "imported-transcript";

export type CallStatus = "recording" | "processing" | "ready" | "failed" | "interrupted";

/**
 * One row of `zapis calls list`.
 */
export type CallSummary = { id: number, title: string, started_at: string, duration_ms: number, language: string, source: CallSource, status: CallStatus, participants: Array<string>, segments: number, sentiment: string | null, 
/**
 * The Whisper model that made the transcript on this computer (`tiny.en`, `base`, …);
 * null for an imported transcript or a call not transcribed yet.
 */
transcribed_with: string | null, };

/**
 * A far-side voice as the call view shows it.
 */
export type CallVoice = { voice: number, label: string, named_by: Naming, speech_ms: number, 
/**
 * How many transcript lines it spoke.
 */
lines: number, 
/**
 * Whether its voiceprint is kept (for recognising the person on later calls).
 */
has_voiceprint: boolean, 
/**
 * The ids of the transcript lines it spoke, in time order.
 */
segments: Array<number>, };

/**
 * An error as the UI receives it: a stable `code` its catalogue translates (en, sr-Latn), the
 * core's English `message` (shown when the UI has no sentence for the code, and logged), and
 * the `details` a translation fills in (names, paths).
 */
export type CommandError = { 
/**
 * One of `zapis::app::ErrorCode`, or `failed` for what the core does not classify.
 */
code: ErrorCode, message: string, details: { [key in string]: string }, };

export type ConsentMethod = "on-screen" | "verbal" | "imported";

export type ConsentReceipt = { id: number, participant_name: string, participant_email: string | null, decision: Decision, decided_at: string, notice_version: string, language: string, method: ConsentMethod, };

/**
 * A contact with their call history (`zapis contacts show`). Its `open_action_items` are the
 * items themselves, where a [`ContactSummary`] has only their number.
 */
export type ContactDetail = { calls: number, last_call_at: string | null, history: Array<CallSummary>, open_action_items: Array<ActionItem>, id: number, email: string, name: string, title: string | null, phone: string | null, account: string | null, crm_source: string | null, crm_id: string | null, };

export type ContactSummary = { id: number, email: string, name: string, title: string | null, phone: string | null, account: string | null, crm_source: string | null, crm_id: string | null, calls: number, open_action_items: number, last_call_at: string | null, };

/**
 * What a contacts import did; `unknown_columns` were neither recognised nor mapped.
 */
export type ContactsImported = { imported: number, updated: number, unknown_columns: Array<string>, };

export type Decision = "granted" | "declined" | "withdrawn";

export type DeviceInfo = { 
/**
 * Stable name to pass back in `CaptureOptions` (the PulseAudio source name on Linux).
 */
name: string, 
/**
 * Human-readable description.
 */
description: string, kind: DeviceKind, 
/**
 * The default microphone (Input) or the default system-audio source (Monitor).
 */
is_default: boolean, };

export type DeviceKind = "input" | "monitor";

export type Erasure = { calls_deleted: number, segments_deleted: number, contact_deleted: boolean, };

export type Event = { "type": "state", state: SessionState, call_id: number, detail?: string, } | { "type": "level", mic: number, system: number | null, } | { "type": "segment", final: boolean, speaker: Role, 
/**
 * Seconds from the start of the recording.
 */
start: number, end: number, text: string, 
/**
 * With milliseconds, so scripts can measure live latency.
 */
emitted_at: string, } | { "type": "progress", stage: string, percent: number, eta_seconds: number | null, } | { "type": "error", message: string, fatal: boolean, };

/**
 * In TypeScript `FoundActionItem`: the stored, editable ones are `ActionItem`.
 */
export type FoundActionItem = { text: string, 
/**
 * "rep", "customer", or the name of the person said to own it.
 */
owner: string, due: string | null, segment: number, done: boolean, };

export type ImportKind = "transcript" | "recording";

/**
 * `zapis://import-progress`: how far an import is, 0–100.
 */
export type ImportProgress = { id: number, percent: number, };

export type Insights = { summary: Array<SummaryBullet>, action_items: Array<FoundActionItem>, keywords: Array<Keyword>, 
/**
 * Always computed today; `None` is kept for a language without a sentiment model.
 */
sentiment: CallSentiment | null, metrics: TalkMetrics, 
/**
 * Plain statements of what was not computed for this language, and why.
 */
language_notes: Array<string>, 
/**
 * Whether the sentence model took part (tasks said twice in other words kept once); without
 * it the rules alone made the list. Insights stored before the model could take part read as
 * `false`.
 */
by_meaning: boolean, };

/**
 * One model file in the data dir. `kind` is `None` and `problem` says why when the
 * file is not a loadable ggml Whisper model.
 */
export type InstalledModel = { name: string, path: string, bytes: number, sha256: string, kind: WeightKind | null, multilingual: boolean, problem: string | null, };

export type Keyword = { term: string, count: number, tracked: boolean, category?: string | null, first_mention_ms: number, 
/**
 * TF-IDF weight for distinctive terms; 0 for tracked keywords.
 */
score: number, segments: Array<number>, };

/**
 * A language Zapis writes in: the recording notice, the insights' word lists, the interface.
 * (What whisper transcribes is wider: see `transcribe::SpokenLanguage`.)
 */
export type Language = "en" | "sr-Latn";

/**
 * A transcript line found by a search, with its call, as a results list shows it.
 */
export type LineMatch = { call_id: number, call_title: string, call_started_at: string, segment_id: number, speaker: string, start_ms: number, text: string, 
/**
 * It contains the words asked for.
 */
by_words: boolean, 
/**
 * How close its meaning is (cosine, 0–1), when it was found by meaning.
 */
similarity: number | null, };

/**
 * What a search found, and how it searched.
 */
export type LineSearch = { lines: Array<LineMatch>, 
/**
 * Lines were also ranked by meaning. False when the sentence model is not installed: the
 * search then matched words only.
 */
by_meaning: boolean, 
/**
 * Transcript lines that have no sentence vector yet: found by words only until
 * `zapis calls index` gives them one.
 */
lines_not_indexed: number, };

/**
 * Why a team search could not rank by meaning.
 */
export type MeaningOff = "model_not_installed" | "not_on_server";

/**
 * The team a library is joined to (`zapis team join`).
 */
export type Membership = { 
/**
 * The server's address without a password.
 */
server: string, 
/**
 * The rep's PostgreSQL role on that server.
 */
rep: string, joined_at: string, policy: SharePolicy, last_sync_at: string | null, last_error: string | null, 
/**
 * The newest teammate edit already applied here (server time).
 */
pulled_until: string | null, 
/**
 * The newest team erasure already applied here.
 */
erasures_seen: number, };

/**
 * `zapis://model-progress`: where a model install is.
 */
export type ModelProgress = { name: string, stage: ModelStage, done: number, total: number | null, };

export type ModelStage = "resolving" | "downloading" | "verified" | "converting" | "installed";

export type Monologue = { speaker: string, ms: number, start_ms: number, segments: Array<number>, };

/**
 * How a voice got its label.
 */
export type Naming = "anonymous" | "only-remote" | "introduction" | "earlier-call" | "user";

/**
 * Why a call stays on this machine.
 */
export type NotShared = "not-ready" | "consent-missing" | "not-chosen";

/**
 * Custom notice text per language; `None` uses Zapis's built-in notice.
 */
export type NoticeTexts = { en: string | null, "sr-Latn": string | null, };

/**
 * The recording notice as the consent screen shows it: to read, to read aloud, to paste in chat.
 */
export type NoticeView = { version: string, language: Language, text: string, script: string, chat_line: string, };

export type Participant = { id: number, name: string, email: string | null, role: Role, };

/**
 * One person's answer on the consent screen; `decision` is `granted` or `declined`, and
 * anything else refuses the recording.
 */
export type ParticipantDecision = { name: string, email: string | null, decision: string, };

/**
 * A file the user picked or dropped, waiting for their consent confirmation.
 */
export type PendingImport = { id: number, 
/**
 * The file's name, without its folder.
 */
name: string, kind: ImportKind, };

export type RecordingStatus = "idle" | "recording";

export type RecordingView = { state: RecordingStatus, call_id: number | null, 
/**
 * RFC 3339, UTC.
 */
started_at: string | null, participants: Array<string>, };

/**
 * One rep's calls in a period.
 */
export type RepOverview = { rep: string, name: string, calls: number, 
/**
 * Averages over the calls that have them; None without calls.
 */
talk_share: number | null, questions_per_call: number | null, longest_customer_monologue_ms: number | null, open_action_items: number, };

/**
 * How long recordings and transcripts are kept. `None` keeps them forever.
 */
export type Retention = { audio_days: number | null, transcript_days: number | null, };

/**
 * Which side of the call a voice belongs to: the rep's microphone or the customer's side.
 */
export type Role = "rep" | "customer";

/**
 * Where the tray sends the window (`zapis://navigate`).
 */
export type Screen = "consent" | "live" | "calls";

export type Segment = { id: number, speaker: string, role: Role, start_ms: number, end_ms: number, text: string, confidence: number | null, };

export type SegmentSentiment = { segment: number, speaker: string, score: number, };

export type SentimentLabel = "positive" | "neutral" | "negative";

export type SentimentScore = { score: number, label: SentimentLabel, };

export type SessionState = "recording" | "processing" | "ready" | "purged" | "failed";

/**
 * Everything the settings screen edits.
 */
export type Settings = { retention: Retention, tracked_keywords: Array<TrackedKeyword>, 
/**
 * The app's own language: `en` or `sr-Latn`.
 */
language: string, 
/**
 * What the transcriber listens for: `en`, `sr` or `auto`.
 */
transcription_language: string, 
/**
 * Installed model for the live transcript (and for the final pass when `final_model` is
 * not set).
 */
model: string, 
/**
 * Installed model for the transcript made after the call and for imported recordings,
 * where accuracy matters more than speed; `None` uses `model`.
 */
final_model: string | null, 
/**
 * Microphone device name; `None` is the system default.
 */
mic: string | null, 
/**
 * System-audio (monitor) device name; `None` is the default output's monitor.
 */
system: string | null, notice_text: NoticeTexts, };

/**
 * Which of the rep's choices decides whether a call goes to the team.
 */
export type ShareChoice = "call" | "contact" | "policy";

/**
 * Which calls go to the team when the rep has not chosen for a call or its contact.
 */
export type SharePolicy = "chosen-calls" | "all-calls";

/**
 * A shared call in a list (an account's history, a search hit's call).
 */
export type SharedCall = { global_id: string, rep: string, title: string, started_at: string, duration_ms: number, account: string | null, sentiment: string | null, open_action_items: number, };

export type SpeakerSentiment = { speaker: string, role: Role, score: number, label: SentimentLabel, };

export type SpeakerTalk = { speaker: string, role: Role, talk_ms: number, 
/**
 * Share of all speech time, 0..1.
 */
talk_share: number, 
/**
 * Own talk time divided by everyone else's (talk-to-listen ratio).
 */
talk_to_listen: number, questions: number, };

export type SummaryBullet = { text: string, segments: Array<number>, 
/**
 * Summaries stored before sections existed read as topic lines.
 */
section: SummarySection, 
/**
 * The topic's heading, shared by the lines of one topic; `None` outside topics, or for a
 * topic with no term worth naming.
 */
heading: string | null, };

export type SummarySection = "topic" | "next_step" | "concern";

/**
 * What a sync did.
 */
export type SyncReport = { 
/**
 * Calls pushed (new or changed).
 */
pushed: number, 
/**
 * Calls removed from the team library (erased here, consent withdrawn, unshared).
 */
removed: number, 
/**
 * Queued calls that stay on this machine (not shared, not ready, consent missing).
 */
kept_here: number, 
/**
 * Teammates' edits to action items applied here.
 */
edits_pulled: number, 
/**
 * People a manager erased from the team, erased here too.
 */
people_erased: number, 
/**
 * Changes still queued (a call that changed again during the sync).
 */
queued: number, 
/**
 * Transcript lines whose sentence vectors went to the team library.
 */
meanings_pushed: number, 
/**
 * Lines (this rep's or teammates') whose vectors this sync moved into the team library's
 * search graph; found by meaning before that too, by an exact comparison.
 */
meanings_indexed: number, };

export type TalkMetrics = { duration_ms: number, per_speaker: Array<SpeakerTalk>, longest_monologue: Monologue | null, switches_per_minute: number, 
/**
 * Share of the call (first word to last word) where nobody speaks, 0..1.
 */
silence_share: number, };

/**
 * One segment that matched a team search.
 */
export type TeamHit = { global_id: string, rep: string, title: string, started_at: string, speaker: string, start_ms: number, text: string, 
/**
 * Full-text rank (0 for a line found by meaning only).
 */
rank: number, 
/**
 * It contains the words asked for.
 */
by_words: boolean, 
/**
 * How close its meaning is (cosine, 0–1), when it was found by meaning.
 */
similarity: number | null, };

/**
 * The team view: every rep the caller may see, with the benchmark bands.
 */
export type TeamOverview = { from: string, to: string, reps: Array<RepOverview>, talk_share_band: [number, number], questions_band: [number, number], };

/**
 * What a team search found, and whether it also ranked by meaning.
 */
export type TeamSearch = { hits: Array<TeamHit>, 
/**
 * Why lines were matched by their words only; None when meaning counted too.
 */
meaning_off: MeaningOff | null, };

/**
 * What `zapis team status` and the app's settings show.
 */
export type TeamStatus = { membership: Membership | null, 
/**
 * Calls whose changes wait to be pushed.
 */
queued: number, 
/**
 * Pushed calls whose lines' sentence vectors wait to go (the team searches by meaning);
 * until then the team finds those lines by their words only.
 */
meanings_queued: number, };

export type TimelinePoint = { start_ms: number, 
/**
 * Mean compound score of the window's opinionated segments (0 when there are none).
 */
score: number, 
/**
 * First segment of the window.
 */
segment: number, };

/**
 * A term the team wants flagged wherever it is said, with the category it is reported under.
 */
export type TrackedKeyword = { term: string, category: string, };

/**
 * The weight format of a whole model file, from its header's `ftype`.
 */
export type WeightKind = "f32" | "f16" | "q4_0" | "q4_1" | "q5_0" | "q5_1" | "q8_0" | "q2_k" | "q3_k" | "q4_k" | "q5_k" | "q6_k";
