#!/usr/bin/env bash
# tests/python/run.sh: the redis-py suite (pytest), RESP2 and RESP3, against Ferrodis or, with
# --reference, against a real redis-server (to prove the tests assert Redis's behaviour).
#
# Usage:
#   tests/python/run.sh [--reference] [--no-build] [PYTEST_ARGS...]
#     e.g. tests/python/run.sh -k resp3 -x
#
# Steps: make/refresh the venv tests/python/.venv from requirements.txt (reinstalled only when
# requirements.txt changed: its sha256 is kept in .venv/.requirements.sha256), build Ferrodis
# (cargo build -p ferrodis, unless FERRODIS_BIN is set, --no-build, or --reference), start two
# servers on free 127.0.0.1 ports (one plain, one with --requirepass), run pytest, stop the
# servers. Exit status is pytest's, except that "no tests collected" (pytest's 5) is a failure.
#
# Environment: FERRODIS_BIN (server binary, default target/debug/ferrodis-server),
# REDIS_SERVER (reference binary, default redis-server), PYTHON (default python3).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VENV=$HERE/.venv
PYTHON=${PYTHON:-python3}

reference=0
build=1
[[ -n ${FERRODIS_BIN:-} ]] && build=0
pytest_args=()
while (($#)); do
    case $1 in
        --reference) reference=1; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) pytest_args+=("$1"); shift ;;
    esac
done
[[ ${FERRODIS_TEST_REFERENCE:-} == 1 ]] && reference=1

die() { echo "tests/python/run.sh: $*" >&2; exit 2; }

# --- venv -------------------------------------------------------------------------------------
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
have=$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)
if [[ ! -x $VENV/bin/python || $want != "$have" ]]; then
    echo "run.sh: creating $VENV from requirements.txt"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" ||
        die "pip install -r requirements.txt failed"
    echo "$want" >"$VENV/.requirements.sha256"
fi
# The suite must use the pure-Python parsers: hiredis is more tolerant.
if "$VENV/bin/python" -c 'import hiredis' 2>/dev/null; then
    die "hiredis is installed in $VENV; remove it (the suite checks the pure-Python parser)"
fi

# --- servers ----------------------------------------------------------------------------------
if ((reference)); then
    BIN=${REDIS_SERVER:-redis-server}
    command -v "$BIN" >/dev/null || die "$BIN is missing (Debian: apt-get install -y redis-server)"
    extra=(--save '' --appendonly no)
    export FERRODIS_TEST_REFERENCE=1
else
    BIN=${FERRODIS_BIN:-$ROOT/target/debug/ferrodis-server}
    if ((build)); then
        echo "run.sh: cargo build -p ferrodis --bin ferrodis-server"
        (cd "$ROOT" && cargo build -q -p ferrodis --bin ferrodis-server) || die "the build failed"
    fi
    [[ -x $BIN ]] || die "no Ferrodis binary at $BIN (cargo build -p ferrodis, or set FERRODIS_BIN)"
    extra=()
    unset FERRODIS_TEST_REFERENCE
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferrodis-pytest.XXXXXX")
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

answers_ping() {
    "$VENV/bin/python" - "$1" <<'EOF'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5)
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(1)[:1] in (b"+", b"-") else 1)
except OSError:
    sys.exit(1)
EOF
}

# start NAME ARGS...: starts $BIN on a free port; sets PORT.
start() {
    local name=$1 pid attempt
    shift
    mkdir -p "$work/$name"
    for attempt in 1 2 3 4 5; do
        PORT=$(free_port)
        (cd "$work/$name" && exec "$BIN" --port "$PORT" --bind 127.0.0.1 "${extra[@]}" "$@" \
            >"$work/$name/server.log" 2>&1) &
        pid=$!
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            if answers_ping "$PORT"; then pids+=("$pid"); return 0; fi
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
        echo "run.sh: $name did not start on port $PORT (attempt $attempt); log:" >&2
        sed 's/^/    /' "$work/$name/server.log" >&2
    done
    die "could not start $BIN"
}

export FERRODIS_TEST_PASSWORD=ferrodis-test-pw
start plain
export FERRODIS_TEST_PORT=$PORT
start protected --requirepass "$FERRODIS_TEST_PASSWORD"
export FERRODIS_TEST_AUTH_PORT=$PORT
echo "run.sh: $( ((reference)) && echo "reference redis-server" || echo "ferrodis") $BIN on ports $FERRODIS_TEST_PORT and $FERRODIS_TEST_AUTH_PORT (requirepass)"

# --- pytest -----------------------------------------------------------------------------------
cd "$HERE" || exit 2
"$VENV/bin/python" -m pytest -p no:cacheprovider -rfE "${pytest_args[@]}"
rc=$?
if ((rc == 5)); then
    echo "run.sh: pytest collected no tests; that is a failure" >&2
    rc=1
fi
for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "run.sh: a server exited during the run; logs:" >&2
        for f in "$work"/*/server.log; do echo "  $f:" >&2; sed 's/^/    /' "$f" >&2; done
        ((rc == 0)) && rc=1
        break
    fi
done
exit $rc
