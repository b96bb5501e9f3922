//! SPEC §4 export: one JSON object per unique report (`jsonl`) or one row per cell (`csv`).
