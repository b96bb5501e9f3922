//! A local imitation of real government portals (TRS, Hanweb, gkmlpt, generic), served on
//! loopback addresses 127.0.0.x, for `nianbao demo`, the end-to-end tests and the benchmarks.
