//! `maestro_cli::fuzzing::config` under libFuzzer: its invariants are in `src/fuzzing/config.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maestro_cli::fuzzing::config(data);
});
