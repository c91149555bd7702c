//! Empty: bench/compile.sh writes the `generate_api!` call into a scratch copy of this crate.
