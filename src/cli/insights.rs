//! Human-readable conversation intelligence.

use super::clock;
use zapis::insights::Insights;
use zapis::storage::ActionItem;

/// `language` is the call's language tag ("en", "sr-Latn").
pub fn print(insights: &Insights, stored_items: &[ActionItem], language: &str) {
    if !insights.summary.is_empty() {
        println!("\nSummary");
        for b in &insights.summary {
            println!("  • {}", b.text);
        }
    }
    println!("\nAction items");
    if stored_items.is_empty() {
        println!("  (none found)");
    }
    for a in stored_items {
        println!("  {}", item_line(a));
    }
    // The sentence model reads English only, so for other languages installing it changes nothing.
    if !insights.by_meaning && language.starts_with("en") && stored_items.len() > 1 {
        println!("  (found by the rules alone; with the sentence model, `zapis model install minilm`, a task said twice in other words is kept as one: after installing it, `zapis calls index` analyses such calls again)");
    }
    if !insights.keywords.is_empty() {
        println!("\nKeywords");
        let words: Vec<String> = insights
            .keywords
            .iter()
            .map(|k| {
                let mark = if k.tracked { "*" } else { "" };
                format!("{}{mark} ×{}", k.term, k.count)
            })
            .collect();
        println!("  {}", words.join(", "));
    }
    if let Some(s) = &insights.sentiment {
        println!("\nSentiment");
        println!(
            "  customer: {} ({:+.2})",
            s.customer.label, s.customer.score
        );
        println!("  rep:      {} ({:+.2})", s.rep.label, s.rep.score);
        let line: String = s.timeline.iter().map(|p| spark(p.score)).collect();
        println!("  timeline: {line}");
    }
    let m = &insights.metrics;
    println!("\nTalk metrics ({} long)", clock(m.duration_ms));
    for sp in &m.per_speaker {
        println!(
            "  {:<20} {:>5.1}% of talk, talk:listen {:.2}, {} questions",
            format!("{} ({})", sp.speaker, sp.role),
            sp.talk_share * 100.0,
            sp.talk_to_listen,
            sp.questions
        );
    }
    if let Some(mono) = &m.longest_monologue {
        println!(
            "  longest monologue: {} by {}",
            clock(mono.ms),
            mono.speaker
        );
    }
    println!(
        "  speaker switches: {:.1}/min, silence: {:.0}%",
        m.switches_per_minute,
        m.silence_share * 100.0
    );
    for note in &insights.language_notes {
        println!("\nNote: {note}");
    }
}

fn spark(score: f64) -> char {
    const BARS: [char; 7] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇'];
    let i = ((score.clamp(-1.0, 1.0) + 1.0) / 2.0 * 6.0).round() as usize;
    BARS[i.min(6)]
}

/// One action item as a line: done mark, text, owner, due date and the number commands take.
pub fn item_line(a: &ActionItem) -> String {
    let due = a.due.map(|d| format!(", due {d}")).unwrap_or_default();
    let mark = if a.done { "x" } else { " " };
    format!("[{mark}] {} ({}{due})  #{}", a.text, a.owner, a.id)
}
