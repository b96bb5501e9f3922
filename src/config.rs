//! Configuration: `config.toml` and command-line overrides, validated once.
