#!/usr/bin/env bash
# tests/ecosystem/run.sh: the ecosystem suite. The job-board example (examples/django_site)
# driven through real processes (Django's test client, a Celery worker, Daphne, WebSocket
# clients, a headless Chromium) against Ferrodis and, to prove the tests assert Redis's
# behaviour, against a real redis-server.
#
# Usage:
#   tests/ecosystem/run.sh [--server ferrodis|redis|both] [--set resp3|resp2|both] [PYTEST_ARGS...]
#     default: --server both --set both (four pytest runs), e.g.
#     tests/ecosystem/run.sh --server ferrodis --set resp3 -k cache -x
#
# Sets: resp3 = requirements-resp3.txt (redis-py 8, RESP3, what a user installs today);
#       resp2 = requirements-resp2.txt (redis-py 7.4, RESP2). Each gets its own venv,
#       tests/ecosystem/.venv-<set>, rebuilt only when its requirements file changes.
# Ferrodis is a release build (cargo build --release -p ferrodis) unless
# FERRODIS_RELEASE_BIN names a binary. The reference server is REDIS_SERVER (redis-server).
# The servers are started by the suite itself (conftest.py) on a free port, so the health
# test can stop and restart them. Exit status: non-zero if any run failed. The last line is
# `ecosystem: N passed, N failed, N skipped` over all runs.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-python3}

servers="ferrodis redis"
sets="resp3 resp2"
pytest_args=()
while (($#)); do
    case $1 in
        --server) servers=$2; [[ $servers == both ]] && servers="ferrodis redis"; shift 2 ;;
        --set) sets=$2; [[ $sets == both ]] && sets="resp3 resp2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) pytest_args+=("$1"); shift ;;
    esac
done

die() { echo "tests/ecosystem/run.sh: $*" >&2; exit 2; }

# --- venvs ------------------------------------------------------------------------------------
make_venv() { # set
    local set=$1 venv=$HERE/.venv-$1 req=$HERE/requirements-$1.txt want have
    want=$(sha256sum "$req" | cut -d' ' -f1)
    have=$(cat "$venv/.requirements.sha256" 2>/dev/null || true)
    if [[ ! -x $venv/bin/python || $want != "$have" ]]; then
        echo "run.sh: creating $venv from ${req#"$ROOT"/}"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" ||
            die "pip install -r $req failed"
        echo "$want" >"$venv/.requirements.sha256"
    fi
}
for set in $sets; do make_venv "$set"; done

# --- servers ----------------------------------------------------------------------------------
case " $servers " in
    *" ferrodis "*)
        if [[ -n ${FERRODIS_RELEASE_BIN:-} ]]; then
            export FERRODIS_RELEASE_BIN
        else
            echo "run.sh: cargo build --release -p ferrodis --bin ferrodis-server"
            (cd "$ROOT" && cargo build --release -q -p ferrodis --bin ferrodis-server) || die "the release build failed"
            export FERRODIS_RELEASE_BIN=$ROOT/target/release/ferrodis-server
        fi
        [[ -x $FERRODIS_RELEASE_BIN ]] || die "no Ferrodis binary at $FERRODIS_RELEASE_BIN" ;;
esac
case " $servers " in
    *" redis "*)
        export REDIS_SERVER=${REDIS_SERVER:-redis-server}
        command -v "$REDIS_SERVER" >/dev/null || die "$REDIS_SERVER is missing (Debian: apt-get install -y redis-server)" ;;
esac

# --- runs -------------------------------------------------------------------------------------
total_p=0 total_f=0 total_s=0 rc_all=0
summary=()
for server in $servers; do
    for set in $sets; do
        work=$(mktemp -d "${TMPDIR:-/tmp}/ferrodis-ecosystem.XXXXXX")
        log=$work/pytest.log
        echo "== ecosystem run: server=$server set=$set (work dir $work)"
        start=$(date +%s)
        (
            cd "$HERE" || exit 2
            export ECOSYSTEM_SERVER=$server ECOSYSTEM_SET=$set ECOSYSTEM_WORK=$work
            export JOBBOARD_SQLITE=$work/db.sqlite3 JOBBOARD_SQLITE_TEST=$work/test-db.sqlite3
            export PYTHONPATH=$ROOT/examples/django_site${PYTHONPATH:+:$PYTHONPATH}
            # Django reads REDIS_PORT when pytest-django loads the settings, before any
            # fixture runs; conftest.py starts the server on it.
            REDIS_PORT=$("$HERE/.venv-$set/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
            export REDIS_PORT REDIS_HOST=127.0.0.1
            "$HERE/.venv-$set/bin/python" -m pytest -p no:cacheprovider -rfE "${pytest_args[@]}"
        ) 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
        ((rc == 5)) && { echo "run.sh: pytest collected no tests; that is a failure" >&2; rc=1; }
        line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped)[ ,]' "$log" | tail -n 1)
        # pytest's last line: `== 3 failed, 10 passed, 1 skipped, 2 errors in 9.1s ==`.
        read -r p f s < <(echo "$line" | awk '{
            for (i = 1; i < NF; i++) {
                w = $(i+1); sub(/,$/, "", w)
                if (w == "passed") p += $i
                if (w == "failed" || w == "error" || w == "errors") f += $i
                if (w == "skipped" || w == "xfailed") s += $i
            } } END { print p+0, f+0, s+0 }')
        p=${p:-0} f=${f:-0} s=${s:-0}
        ((rc != 0 && f == 0)) && f=1
        total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
        ((rc != 0)) && rc_all=1
        summary+=("$(printf '%-9s %-6s %5ss  exit %s  %s' "$server" "$set" "$(( $(date +%s) - start ))" "$rc" "${line//=/}")")
        if ((rc == 0)); then rm -rf "$work"; else echo "run.sh: kept $work (server and worker logs)"; fi
    done
done
echo
echo "== ecosystem summary"
printf '%s\n' "${summary[@]}"
echo "ecosystem: $total_p passed, $total_f failed, $total_s skipped"
exit $rc_all
