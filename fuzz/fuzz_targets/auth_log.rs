//! `maestro_cli::fuzzing::auth_log` under libFuzzer: its invariants are in `src/fuzzing/auth_log.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maestro_cli::fuzzing::auth_log(data);
});
