#!/usr/bin/env bash
# Runs one phase of the test suite with a deadline.
#
#   scripts/test-phase.sh NAME SECONDS [swift-testing options…]
#
# The test bundle runs directly with Swift Testing (there are no XCTest cases), so its output is
# unbuffered and nothing sits between it and the deadline. A phase that is still running at its
# deadline is a failure that says what hung: the process tree and the test process's threads
# (with backtraces where gdb is installed; the toolchain's lldb lacks its libpython here). Then
# the phase is stopped — TERM, KILL 15 s later — instead of silently eating the rest of CI's time.
set -uo pipefail
name=$1
limit=$2
shift 2
bin=$(${SWIFT:-swift} build --show-bin-path)
bundle="$bin/ToolhostPackageTests.xctest"
[ -x "$bundle" ] || { echo "test-phase: $bundle is missing; run swift build --build-tests first" >&2; exit 2; }

echo "test phase $name (deadline ${limit} s): $bundle --testing-library swift-testing $*"
"$bundle" --testing-library swift-testing "$@" &
tests=$!

# Polled rather than a sleeping watchdog: a watchdog's `sleep` would outlive a phase that ends
# early and keep CI's output pipe open.
deadline=$((SECONDS + limit))
while :; do
    case $(ps -o stat= -p "$tests" 2>/dev/null) in "" | Z*) break ;; esac
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "test phase $name: still running after $limit s; what is running:" >&2
        ps -eo pid,ppid,stat,etime,wchan:24,args --forest >&2
        echo "test phase $name: threads of the test process $tests:" >&2
        ps -L -o tid,stat,wchan:32,comm -p "$tests" >&2
        if command -v gdb >/dev/null; then
            timeout 120 gdb -p "$tests" -batch -ex "thread apply all bt 16" </dev/null 2>&1 |
                grep -v -e '^During symbol reading' -e '^\[New LWP' >&2
        fi
        kill -TERM "$tests" 2>/dev/null
        sleep 15
        kill -KILL "$tests" 2>/dev/null
        break
    fi
    sleep 1
done
wait "$tests"
status=$?
if [ "$status" -ne 0 ]; then
    echo "test phase $name failed (exit status $status)" >&2
fi
exit "$status"
