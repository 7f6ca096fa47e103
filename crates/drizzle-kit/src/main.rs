//! The `drizzle-kit` binary.

// The parser and the model allocate many small strings and vectors; mimalloc serves them
// markedly faster than the system allocator, which dominates whole-command time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    drizzle_kit::main()
}
