//! The `drizzle-kit` binary.

fn main() -> std::process::ExitCode {
    drizzle_kit::main()
}
