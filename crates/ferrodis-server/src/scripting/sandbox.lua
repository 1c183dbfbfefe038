-- Ferrodis's Lua sandbox, run once per interpreter (chunk name "=ferrodis_sandbox").
-- Redis 7 makes the globals table and the library tables read-only inside its patched VM;
-- stock Lua 5.1 has no such flag, so the script sees empty proxy tables instead:
--   * reading a missing global raises "Script attempted to access nonexistent global
--     variable 'x'" (the real globals table's __index);
--   * writing to a proxy raises "Attempt to modify a readonly table";
--   * getmetatable returns a read-only proxy of the metatable, and setmetatable / rawset
--     refuse protected tables with the same error.
-- Errors use level 2, so their position is the script line that caused them.
local G, errval, libs, load_api = ...

local rawset_, rawget_, setmetatable_, type_, error_, tostring_ =
  rawset, rawget, setmetatable, type, error, tostring
local rawpcall = pcall
local loadstring_ = loadstring

local protected = setmetatable_({}, { __mode = 'k' })
-- proxy -> the table it stands for, so that pairs/next/ipairs see through proxies.
local real_of = setmetatable_({}, { __mode = 'k' })

local function readonly_error()
  error_("Attempt to modify a readonly table", 2)
end

-- A read-only view of `real`: reads go to `real`, writes fail.
local function readonly(real)
  local mt = { __index = real, __newindex = readonly_error }
  local mt_view = setmetatable_({}, { __index = mt, __newindex = readonly_error, __metatable = false })
  protected[mt_view] = true
  mt.__metatable = mt_view
  local proxy = setmetatable_({}, mt)
  protected[proxy] = true
  real_of[proxy] = real
  protected[real] = true
  return proxy
end

-- Redis's pcall: an error table with an `err` string is returned as that string.
local function fix(ok, ...)
  if ok then return ok, ... end
  return false, errval((...))
end
rawset_(G, 'pcall', function(...) return fix(rawpcall(...)) end)

-- setmetatable and rawset are replaced from Rust (scripting/mod.rs), refusing the tables in
-- `protected` (returned below) with "Attempt to modify a readonly table".

-- Binary chunks are refused (Redis compiles text only): loadstring returns nil.
rawset_(G, 'loadstring', function(s, name)
  if type_(s) == 'string' and s:byte(1) == 27 then
    return nil, 'binary chunks are not allowed'
  end
  return loadstring_(s, name)
end)
-- load(reader [, chunkname]) as in Lua 5.1, built on the same text-only compiler: the
-- reader's pieces are joined, then compiled like loadstring (default name "=(load)").
local concat_, select_ = table.concat, select
rawset_(G, 'load', function(...)
  local reader, name = ...
  if type_(reader) ~= 'function' then
    local got = select_('#', ...) == 0 and 'no value' or type_(reader)
    error_("bad argument #1 to 'load' (function expected, got " .. got .. ")", 2)
  end
  local parts = {}
  while true do
    local piece = reader()
    if piece == nil or piece == '' then break end
    local kind = type_(piece)
    if kind == 'number' then
      piece = tostring_(piece)
    elseif kind ~= 'string' then
      -- Raised, not returned (as Redis 7.0 does).
      error_('reader function must return a string', 2)
    end
    parts[#parts + 1] = piece
  end
  local s = concat_(parts)
  if s:byte(1) == 27 then
    return nil, 'binary chunks are not allowed'
  end
  return loadstring_(s, name or '=(load)')
end)

-- Iteration over a proxy walks the real table, without handing the real table out.
local next_, pairs_, ipairs_ = next, pairs, ipairs
rawset_(G, 'next', function(t, k)
  return next_(real_of[t] or t, k)
end)
rawset_(G, 'pairs', function(t)
  local r = real_of[t]
  if r == nil then return pairs_(t) end
  return function(_, k) return next_(r, k) end, t, nil
end)
rawset_(G, 'ipairs', function(t)
  local r = real_of[t]
  if r == nil then return ipairs_(t) end
  return function(_, i)
    i = i + 1
    local v = r[i]
    if v ~= nil then return i, v end
  end, t, 0
end)

for i = 1, #libs do
  local name = libs[i]
  local lib = rawget_(G, name)
  if lib ~= nil then rawset_(G, name, readonly(lib)) end
end
rawset_(G, 'server', rawget_(G, 'redis'))

-- String methods go through the read-only string table, and the strings' metatable itself
-- is read-only (getmetatable('') returns a read-only view of it).
local string_mt = getmetatable('')
string_mt.__index = rawget_(G, 'string')
string_mt.__metatable = readonly(string_mt)

-- FUNCTION LOAD: a library body sees only `redis` and `server` (register_function, log, the
-- log levels and the version); any other name, there or in that `redis`, is a nonexistent
-- global (Redis's load-time globals, `luaSetErrorMetatable`).
local function nonexistent(_, k)
  error_("Script attempted to access nonexistent global variable '" .. tostring_(k) .. "'", 2)
end
local function strict(real)
  setmetatable_(real, { __index = nonexistent, __newindex = readonly_error, __metatable = false })
  return readonly(real)
end
local load_redis = strict(load_api)
local load_G = strict({ redis = load_redis, server = load_redis })
-- Library code runs in one environment whose globals are load_G while the body runs and the
-- script globals when its functions are called (Redis swaps the __index of its globals'
-- metatable the same way); it is read-only either way.
local fn_mt = { __index = G, __newindex = readonly_error }
local fn_mt_view = setmetatable_({}, { __index = fn_mt, __newindex = readonly_error, __metatable = false })
protected[fn_mt_view] = true
fn_mt.__metatable = fn_mt_view
local fn_env = setmetatable_({}, fn_mt)
protected[fn_env] = true
real_of[fn_env] = G

local proxy = readonly(G)
rawset_(G, '_G', proxy)
-- Missing globals are an error; new globals cannot be created.
setmetatable_(G, {
  __index = function(_, k)
    error_("Script attempted to access nonexistent global variable '" .. tostring_(k) .. "'", 2)
  end,
  __newindex = readonly_error,
  __metatable = false,
})
return proxy, protected, fn_env, fn_mt, load_G
