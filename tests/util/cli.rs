//! Running any subcommand of the built binary against a workdir's archive and config.

use std::process::{Command, Output};

use super::{bin, Workdir};

/// `nianbao --config … --db … ARGS…`, waited for.
pub fn nianbao(w: &Workdir, args: &[&str]) -> Output {
    Command::new(bin())
        .args(w.base_args())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run nianbao {args:?}: {e}"))
}

/// As [`nianbao`]; the command must succeed. Its standard output.
pub fn nianbao_ok(w: &Workdir, args: &[&str]) -> String {
    let out = nianbao(w, args);
    assert!(
        out.status.success(),
        "nianbao {args:?} failed ({:?}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("nianbao {args:?}: not UTF-8: {e}"))
}
