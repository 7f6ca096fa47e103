//! Durations as PostgreSQL writes them (`5s`, `500ms`, `1min`), shared by `--lock-timeout`
//! and `drizzle.toml`'s `[migrations]` timeouts so both accept the same spellings.

use std::time::Duration;

/// The units accepted after the number, with their length in microseconds.
const UNITS: &[(&str, u64)] = &[
    ("us", 1),
    ("ms", 1_000),
    ("s", 1_000_000),
    ("min", 60_000_000),
    ("h", 3_600_000_000),
    ("d", 86_400_000_000),
];

/// What to write instead, for messages.
pub const EXPECTED: &str = "a whole number with a unit, such as \"30s\", \"500ms\" or \"2min\" (no unit means milliseconds)";

/// Parses a whole number followed by an optional unit; no unit means milliseconds, as in
/// PostgreSQL's `lock_timeout`.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let unit = text[digits..].trim_start();
    let micros_per = if unit.is_empty() {
        Some(1_000)
    } else {
        UNITS.iter().find(|(u, _)| *u == unit).map(|(_, m)| *m)
    };
    let (Some(micros_per), Ok(n)) = (micros_per, text[..digits].parse::<u64>()) else {
        return Err(format!("`{text}` is not a duration: expected {EXPECTED}"));
    };
    n.checked_mul(micros_per)
        .map(Duration::from_micros)
        .ok_or_else(|| format!("`{text}` is too long a duration"))
}

/// `1.5 s`, `12 ms`: short enough for a progress line, precise enough to compare.
pub fn human(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 10_000.0 {
        format!("{:.0} s", ms / 1e3)
    } else if ms >= 1_000.0 {
        format!("{:.1} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spellings_are_accepted() {
        let ok = [
            ("30s", Duration::from_secs(30)),
            ("500ms", Duration::from_millis(500)),
            ("2min", Duration::from_secs(120)),
            ("1h", Duration::from_secs(3600)),
            ("1d", Duration::from_secs(86_400)),
            ("250", Duration::from_millis(250)),
            ("3 s", Duration::from_secs(3)),
            ("0", Duration::ZERO),
            ("10us", Duration::from_micros(10)),
        ];
        for (text, expected) in ok {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
        for bad in [
            "",
            "s",
            "5 seconds",
            "-1s",
            "1.5s",
            "5m",
            "99999999999999999999d",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("5m").unwrap_err(),
            format!("`5m` is not a duration: expected {EXPECTED}")
        );
    }

    #[test]
    fn human_durations_keep_a_few_digits() {
        assert_eq!(human(Duration::from_micros(1_234)), "1.2 ms");
        assert_eq!(human(Duration::from_millis(42)), "42 ms");
        assert_eq!(human(Duration::from_millis(1_500)), "1.5 s");
        assert_eq!(human(Duration::from_secs(75)), "75 s");
    }
}
