//! The Lua 5.1.5 that Ferrodis's scripting engine runs, built from source with security
//! fixes that stock Lua 5.1.5 (and so mlua's `vendored` build) lacks.
//!
//! This crate has no Rust API: its build script (`build.rs`) compiles Lua's C sources and
//! emits a static `lua5.1` library; mlua-sys, built with its `external` feature, declares
//! the C API and links against it. A crate that uses mlua must depend on this one and name
//! it (`use ferrodis_lua_sys as _;`) so that the library is part of the link.
//!
//! Where the sources come from and what is changed:
//! - the pristine Lua 5.1.5 tree shipped inside the `lua-src` crate (pinned version, a
//!   build-dependency; nothing of Lua is copied into this repository);
//! - `patches/*.patch`, applied in name order by a small unified-diff applier (`patch.rs`;
//!   a hunk must match exactly once or the build fails), one patch per CVE, each starting
//!   with a comment naming the CVE, what it fixes and the Redis commit it follows:
//!   - `0001` CVE-2025-49844 (parser use-after-free of the chunk name, "RediShell"),
//!   - `0002` CVE-2025-46817 (`unpack` integer overflow),
//!   - `0003` CVE-2025-46819 (lexer out-of-bounds reads).
//!
//! The tests below drive the patched library through the C API, reproducing each bug
//! where a script sent through EVAL cannot reach it (see `crates/ferrodis/tests/it/lua_cves.rs`
//! for the EVAL-level tests).

#[cfg(test)]
mod patch;

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use mlua_sys as ffi;
    use std::ffi::{c_char, c_int, c_void, CString};

    /// A fresh state with the standard libraries.
    struct State(*mut ffi::lua_State);

    impl State {
        fn new() -> State {
            // SAFETY: plain C API calls on a state we own.
            unsafe {
                let l = ffi::luaL_newstate();
                assert!(!l.is_null());
                ffi::luaL_openlibs(l);
                State(l)
            }
        }

        /// Runs `code` and returns its first result as a string, or the error message.
        fn run(&self, code: &str) -> Result<String, String> {
            let code = CString::new(code).unwrap();
            // SAFETY: the state is valid; the stack is reset before returning.
            unsafe {
                let l = self.0;
                let status = ffi::luaL_loadstring(l, code.as_ptr());
                let status = if status == 0 { ffi::lua_pcall(l, 0, 1, 0) } else { status };
                let out = top_string(l);
                ffi::lua_settop(l, 0);
                if status == 0 {
                    Ok(out)
                } else {
                    Err(out)
                }
            }
        }
    }

    impl Drop for State {
        fn drop(&mut self) {
            // SAFETY: closing the state we created.
            unsafe { ffi::lua_close(self.0) }
        }
    }

    /// The value on top of the stack as a string (`"nil"` if it is not one).
    unsafe fn top_string(l: *mut ffi::lua_State) -> String {
        let mut len = 0usize;
        // SAFETY: the caller passes a valid state.
        let p = unsafe { ffi::lua_tolstring(l, -1, &mut len) };
        if p.is_null() {
            return "nil".to_string();
        }
        // SAFETY: lua_tolstring returned `len` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
        String::from_utf8_lossy(bytes).into_owned()
    }

    // CVE-2025-46817: `unpack` with ranges wider than INT_MAX (the cases of Redis's and
    // Valkey's regression tests, plus the extreme ones). Before the patch the signed
    // `e - i + 1` overflowed; at -O2 the compiler drops the `n <= 0` check and the loop
    // writes past the stack.
    #[test]
    fn cve_2025_46817_unpack_ranges_wider_than_int_max_are_refused() {
        let lua = State::new();
        for (i, e) in [
            ("-2", "2147483647"),
            ("0", "2147483647"),
            ("-2147483648", "-2"),
            ("-2147483648", "2147483647"),
            ("1", "2147483647"),
            ("-1", "2147483646"),
        ] {
            let err = lua.run(&format!("return unpack({{1,2,3}}, {i}, {e})")).unwrap_err();
            assert!(err.ends_with("too many results to unpack"), "unpack({i}, {e}): {err}");
        }
        // Valid ranges still work, including empty and negative ones.
        assert_eq!(lua.run("return select('#', unpack({1,2,3}, -1, -2))"), Ok("0".into()));
        assert_eq!(lua.run("return select('#', unpack({1,2,3}, 1, -1))"), Ok("0".into()));
        assert_eq!(lua.run("return select('#', unpack({1,2,3}, -1, 1))"), Ok("3".into()));
        assert_eq!(lua.run("return table.concat({unpack({1,2,3})}, ',')"), Ok("1,2,3".into()));
        assert_eq!(
            lua.run("return select('#', unpack({}, 2147483647, 2147483647))"),
            Ok("1".into())
        );
    }

    /// Reader for `lua_load` (what `load(function)` gives a script). Its first answer is an
    /// empty piece, which ends f_parser's look-ahead; the parser then asks again from
    /// luaX_setinput, after interning the chunk name and before open_func stores it in the
    /// main prototype. That second call runs a full collection and allocates strings the
    /// size of the name (so freed memory is reused) before handing out the source.
    struct GcReader {
        source: &'static [u8],
        name_len: usize,
        calls: u32,
    }

    unsafe extern "C-unwind" fn gc_reader(
        l: *mut ffi::lua_State,
        ud: *mut c_void,
        size: *mut usize,
    ) -> *const c_char {
        // SAFETY: `ud` is the GcReader passed to lua_load below.
        let reader = unsafe { &mut *ud.cast::<GcReader>() };
        reader.calls += 1;
        if reader.calls != 2 {
            // SAFETY: `size` is lua_load's out-parameter.
            unsafe { *size = 0 };
            return std::ptr::null();
        }
        // SAFETY: the reader runs inside lua_load on a valid state; it leaves the stack as
        // it found it (the strings are stored in the registry, keeping them alive).
        unsafe {
            ffi::lua_gc(l, ffi::LUA_GCCOLLECT, 0);
            for k in 0..64 {
                let filler = format!("{:X<width$}", k, width = reader.name_len);
                ffi::lua_pushlstring(l, filler.as_ptr().cast(), filler.len());
                ffi::luaL_ref(l, ffi::LUA_REGISTRYINDEX);
            }
            *size = reader.source.len();
        }
        reader.source.as_ptr().cast()
    }

    // CVE-2025-49844: the chunk name must stay alive while the chunk is parsed. The reader
    // runs a full collection after luaY_parser interned the name and before the parser
    // stored it anywhere; unpatched, the name is freed and the function's `source` dangles
    // (it reads back as one of the filler strings, or garbage).
    #[test]
    fn cve_2025_49844_chunk_name_survives_a_collection_during_parsing() {
        let lua = State::new();
        let name = "=cve-2025-49844 chunk name that nothing else interns";
        let cname = CString::new(name).unwrap();
        let mut reader = GcReader { source: b"return 42", name_len: name.len(), calls: 0 };
        // SAFETY: valid state, reader and name outlive the call.
        unsafe {
            let l = lua.0;
            let status =
                ffi::lua_load(l, gc_reader, (&mut reader as *mut GcReader).cast(), cname.as_ptr());
            assert_eq!(status, 0, "load failed: {}", top_string(l));
            ffi::lua_setfield(l, ffi::LUA_GLOBALSINDEX, c"loaded_chunk".as_ptr());
        }
        assert!(reader.calls >= 2, "the reader ran during parsing");
        assert_eq!(lua.run("return loaded_chunk()"), Ok("42".into()));
        assert_eq!(lua.run("return debug.getinfo(loaded_chunk, 'S').source"), Ok(name.into()));
        // The same shape from Lua: `load` with a reader function that collects garbage
        // (Ferrodis's sandbox removes `load`; the raw library still has it).
        let script = "local n = 0; local f = assert(load(function() n = n + 1; \
             if n == 1 then return nil end; if n == 2 then collectgarbage('collect'); \
             for i = 1, 64 do local _ = string.rep('Y', 8) .. i end; return 'return 7' end end)); \
             return f() .. ' ' .. debug.getinfo(f, 'S').source";
        assert_eq!(lua.run(script), Ok("7 =(load)".into()));
    }

    /// Reader for `lua_load` that streams `remaining` newlines without allocating them.
    struct Newlines {
        remaining: u64,
    }

    static NEWLINES: [u8; 1 << 20] = [b'\n'; 1 << 20];

    unsafe extern "C-unwind" fn newline_reader(
        _l: *mut ffi::lua_State,
        ud: *mut c_void,
        size: *mut usize,
    ) -> *const c_char {
        // SAFETY: `ud` is the Newlines passed to lua_load below.
        let reader = unsafe { &mut *ud.cast::<Newlines>() };
        let n = reader.remaining.min(NEWLINES.len() as u64);
        reader.remaining -= n;
        // SAFETY: `size` is lua_load's out-parameter.
        unsafe { *size = n as usize };
        NEWLINES.as_ptr().cast()
    }

    /// Fills the stack below the caller with a non-zero pattern, so that an uninitialised
    /// local of a function called next (the parser's LexState) holds garbage, not zero.
    #[inline(never)]
    fn poison_stack() {
        let mut area = [0u8; 256 * 1024];
        for b in area.iter_mut() {
            // SAFETY: writing to our own local array (volatile so it is not optimised out).
            unsafe { std::ptr::write_volatile(b, 0x41) };
        }
        std::hint::black_box(&area);
    }

    // CVE-2025-46819: an error before the first token (here "chunk has too many lines",
    // raised when the line count reaches MAX_INT = INT_MAX - 2) used to print the uninitialised current token:
    // luaX_token2str indexed luaX_tokens[] with stack garbage. Patched, the token is 0 and
    // the message has no "near ..." part.
    #[test]
    fn cve_2025_46819_error_before_the_first_token_names_no_token() {
        let lua = State::new();
        let mut reader = Newlines { remaining: i32::MAX as u64 };
        poison_stack();
        // SAFETY: valid state; reader outlives the call.
        let (status, msg) = unsafe {
            let l = lua.0;
            let status = ffi::lua_load(
                l,
                newline_reader,
                (&mut reader as *mut Newlines).cast(),
                c"=cve".as_ptr(),
            );
            let msg = top_string(l);
            ffi::lua_settop(l, 0);
            (status, msg)
        };
        assert_eq!(status, ffi::LUA_ERRSYNTAX as c_int);
        assert_eq!(msg, "cve:2147483645: chunk has too many lines");
    }

    // CVE-2025-46819: long brackets are now measured in size_t with Lua 5.4's encoding;
    // every form of bracket behaves as before, except that a nested '[[' is accepted.
    #[test]
    fn cve_2025_46819_long_brackets_keep_lua_5_1_behaviour() {
        let lua = State::new();
        assert_eq!(lua.run("return [[a]]"), Ok("a".into()));
        assert_eq!(lua.run("return [==[a]]b]=]c]==]"), Ok("a]]b]=]c".into()));
        assert_eq!(
            lua.run("return [=[\nfirst newline skipped]=]"),
            Ok("first newline skipped".into())
        );
        assert_eq!(lua.run("--[==[ long\ncomment ]==] return 'after'"), Ok("after".into()));
        assert_eq!(lua.run("--[ short comment\nreturn 'x'"), Ok("x".into()));
        assert_eq!(lua.run("local t = {5}; return t[1]"), Ok("5".into()));
        assert_eq!(
            lua.run("return [==x").unwrap_err(),
            "[string \"return [==x\"]:1: invalid long string delimiter near '[=='"
        );
        // As in Redis (its fix leaves the LUA_COMPAT_LSTR nesting error unreachable).
        assert_eq!(lua.run("return [[a [[ b]]"), Ok("a [[ b".into()));
        assert_eq!(
            lua.run("return [==[a]=]").unwrap_err(),
            "[string \"return [==[a]=]\"]:1: unfinished long string near '<eof>'"
        );
        // A separator of 100k '=' (well within the old int range, exercising the new count).
        let eq = "=".repeat(100_000);
        assert_eq!(lua.run(&format!("return #[{eq}[xyz]{eq}]")), Ok("3".into()));
    }

    #[test]
    fn the_library_is_lua_5_1() {
        let lua = State::new();
        assert_eq!(lua.run("return _VERSION"), Ok("Lua 5.1".into()));
    }
}
