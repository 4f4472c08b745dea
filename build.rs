//! Where the binaries find sherpa-onnx's shared libraries at run time: first `../lib/zapis` from
//! the binary (the Debian package's /usr/bin → /usr/lib/zapis), then the build's own copy
//! (SHERPA_ONNX_LIB_DIR, set by .cargo/config.toml). sherpa-onnx-sys sets a search path for
//! linking only; a dependency's run-time path does not reach the binaries that link it.
fn main() {
    println!("cargo:rerun-if-env-changed=SHERPA_ONNX_LIB_DIR");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/../lib/zapis");
    if let Some(dir) = std::env::var_os("SHERPA_ONNX_LIB_DIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.to_string_lossy());
    }
}
