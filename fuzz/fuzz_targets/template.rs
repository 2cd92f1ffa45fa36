//! `maestro_cli::fuzzing::template` under libFuzzer: its invariants are in `src/fuzzing/template.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maestro_cli::fuzzing::template(data);
});
