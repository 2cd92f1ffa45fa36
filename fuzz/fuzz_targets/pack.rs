//! `maestro_cli::fuzzing::pack` under libFuzzer: its invariants are in `src/fuzzing/pack.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maestro_cli::fuzzing::pack(data);
});
