//! Builds the Lua 5.1.5 that Ferrodis links: the pristine sources shipped by the `lua-src`
//! crate (a build-dependency, so cargo fetches and unpacks them), copied to OUT_DIR,
//! patched with `patches/*.patch` (in name order), and compiled with `cc` using the defines
//! `lua-src` uses for Lua 5.1 (`LUA_USE_LINUX` on Linux/BSD/macOS, `LUA_USE_POSIX` on
//! other Unixes, `LUA_USE_APICHECK` in debug builds). Emits a static `liblua5.1.a` and the
//! `DEP_LUA5.1_INCLUDE` metadata (`cargo:include`).
//!
//! The sources are found in `lua-src`'s package directory under the cargo registry
//! (`$CARGO_HOME/registry/src/*/lua-src-<LUA_SRC_VERSION>/lua-5.1.5`); set
//! `FERRODIS_LUA_SRC_DIR` to a `lua-5.1.5` directory to use another copy (a vendored tree).
//! A patch that does not apply fails the build with the patch, file and hunk.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/patch.rs"]
mod patch;

// The build-dependency is there so that cargo downloads and unpacks the sources; pinned
// with `=` in Cargo.toml, and this must name the same version.
extern crate lua_src as _;
const LUA_SRC_VERSION: &str = "551.0.2";
const LUA_DIR: &str = "lua-5.1.5";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let target = env::var("TARGET").expect("TARGET");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/patch.rs");
    println!("cargo:rerun-if-changed=patches");
    println!("cargo:rerun-if-env-changed=FERRODIS_LUA_SRC_DIR");

    let source_dir = find_sources();
    let src = out_dir.join(LUA_DIR);
    if src.exists() {
        fs::remove_dir_all(&src).unwrap_or_else(|e| panic!("cannot clear {}: {e}", src.display()));
    }
    fs::create_dir_all(&src).unwrap_or_else(|e| panic!("cannot create {}: {e}", src.display()));
    let mut c_files = Vec::new();
    for entry in fs::read_dir(&source_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source_dir.display()))
    {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().expect("file name").to_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("c") | Some("h") => {
                fs::copy(&path, src.join(&name))
                    .unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
                if path.extension().is_some_and(|e| e == "c") {
                    c_files.push(src.join(&name));
                }
            }
            _ => {}
        }
    }
    // lua.c and luac.c are the stand-alone interpreter and compiler (they define `main`);
    // lua-src's tree does not ship them, but a substituted tree might.
    c_files.retain(|p| !matches!(p.file_name().and_then(|n| n.to_str()), Some("lua.c" | "luac.c")));
    c_files.sort();

    apply_patches(&manifest_dir.join("patches"), &src);

    let mut build = cc::Build::new();
    build.warnings(false).include(&src).flag_if_supported("-fno-common");
    if target.contains("linux")
        || target.contains("apple-darwin")
        || target.ends_with("bsd")
        || target.contains("dragonfly")
    {
        build.define("LUA_USE_LINUX", None);
    } else if target.contains("windows") {
        // Lua 5.1's luaconf.h needs no define on Windows.
    } else {
        build.define("LUA_USE_POSIX", None);
    }
    if env::var("PROFILE").as_deref() == Ok("debug") {
        build.define("LUA_USE_APICHECK", None);
    }
    build.files(&c_files).compile("lua5.1");

    let include = out_dir.join("include");
    fs::create_dir_all(&include).expect("include dir");
    for h in ["lua.h", "luaconf.h", "lualib.h", "lauxlib.h"] {
        fs::copy(src.join(h), include.join(h)).unwrap_or_else(|e| panic!("cannot copy {h}: {e}"));
    }
    println!("cargo:include={}", include.display());
}

/// The pristine `lua-5.1.5` directory of the `lua-src` package.
fn find_sources() -> PathBuf {
    if let Some(dir) = env::var_os("FERRODIS_LUA_SRC_DIR") {
        let dir = PathBuf::from(dir);
        check_sources(&dir);
        return dir;
    }
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("neither CARGO_HOME nor HOME is set");
    let registry = cargo_home.join("registry").join("src");
    let package = format!("lua-src-{LUA_SRC_VERSION}");
    let mut found: Vec<PathBuf> = fs::read_dir(&registry)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join(&package).join(LUA_DIR))
        .filter(|p| p.join("lua.h").is_file())
        .collect();
    found.sort();
    let dir = found.into_iter().next().unwrap_or_else(|| {
        panic!(
            "cannot find the Lua sources of {package} under {}; set FERRODIS_LUA_SRC_DIR to a \
             {LUA_DIR} directory",
            registry.display()
        )
    });
    check_sources(&dir);
    dir
}

/// Refuses a directory that is not Lua 5.1.5 (the patches are written against it).
fn check_sources(dir: &Path) {
    let lua_h = fs::read_to_string(dir.join("lua.h"))
        .unwrap_or_else(|e| panic!("{} is not a Lua source directory: {e}", dir.display()));
    assert!(
        lua_h.contains("#define LUA_RELEASE\t\"Lua 5.1.5\""),
        "{} does not hold Lua 5.1.5",
        dir.display()
    );
}

/// Applies every `*.patch` in `patches` (sorted by name) to the copy in `src`.
fn apply_patches(patches: &Path, src: &Path) {
    let mut names: Vec<PathBuf> = fs::read_dir(patches)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", patches.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "patch"))
        .collect();
    names.sort();
    for path in names {
        // Per file as well as the directory: a removed patch then reruns the build script.
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let files = patch::parse(&text).unwrap_or_else(|e| panic!("patch {name}: {e}"));
        for file in &files {
            let target = src.join(&file.file);
            let source = fs::read_to_string(&target)
                .unwrap_or_else(|e| panic!("patch {name}: cannot read {}: {e}", file.file));
            let patched =
                patch::apply(&source, file).unwrap_or_else(|e| panic!("patch {name}: {e}"));
            fs::write(&target, patched)
                .unwrap_or_else(|e| panic!("patch {name}: cannot write {}: {e}", file.file));
        }
    }
}
