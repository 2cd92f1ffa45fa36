//! `maestro_cli::fuzzing::focus` under libFuzzer: its invariants are in `src/fuzzing/focus.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maestro_cli::fuzzing::focus(data);
});
