//! A local imitation of real government portals (TRS, Hanweb, gkmlpt, generic), served on
//! loopback addresses 127.0.0.x, for `nianbao demo`, the end-to-end tests and the benchmarks.

mod http;
mod log;
mod pdf;
mod quirks;
mod report;
mod seeds;
mod tables;
mod util;

pub use log::LoggedRequest;
