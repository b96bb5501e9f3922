//! The `nianbao` binary: a shim over [`nianbao::cli::main`], which parses the command line,
//! runs the command and maps the outcome to a documented exit code.

fn main() -> std::process::ExitCode {
    nianbao::cli::main()
}
