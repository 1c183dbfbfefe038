//! Compiles the `long double` shim used by INCRBYFLOAT and HINCRBYFLOAT (see `src/num.rs`).

fn main() {
    println!("cargo:rerun-if-changed=csrc/longdouble.c");
    cc::Build::new().file("csrc/longdouble.c").warnings(true).compile("ferrodis_longdouble");
}
