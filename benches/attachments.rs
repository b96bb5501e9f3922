//! Benchmarks of attachment text extraction (PDF pages/s, DOCX reports/s).

fn main() {}
