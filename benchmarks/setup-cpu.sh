#!/usr/bin/env bash
# Server CPU per allocation while 6,000 allocations are set up: the noise-robust companion of compare.sh's
# setup level, for A/B runs of one change on a shared machine.
#
#   benchmarks/setup-cpu.sh ours LABEL            # SERVER_JAR=... to measure another build
#   benchmarks/setup-cpu.sh coturn LABEL
#   WARM=2 SESSIONS=6000 NICE=-5 benchmarks/setup-cpu.sh ours after   # as root, ahead of other work
#
# One fresh server listening on 127.0.0.1 and 127.0.0.2; WARM setups of WARM_SESSIONS against 127.0.0.2 (so
# that allocations a warm-up leaves behind never hold a 5-tuple the measured run draws); then SESSIONS
# against 127.0.0.1. The server's CPU (utime + stime in /proc/PID/stat, and per thread: event loops, JIT
# compiler, GC) is read when turn-load prints that the setup has ended, before any traffic. One line per
# run is appended to $OUT: setup time and rate, server CPU per allocation, turn-load's CPU per session,
# the load average before and after. Alternate A and B, repeat, compare medians.
set -euo pipefail
KIND=${1:?ours or coturn}; LABEL=${2:?label}
SESSIONS=${SESSIONS:-6000}
WARM=${WARM:-2}; WARM_SESSIONS=${WARM_SESSIONS:-6000}
NICE=${NICE:-0}
RELAY_SIZE=${RELAY_SIZE:-$((SESSIONS + 2000))}   # room for what a warm-up's deletion leaves behind
OUT=${OUT:-/tmp/setup-cpu.txt}
cd "$(dirname "$0")/.."
SERVER_JAR=${SERVER_JAR:-$PWD/turn-server-app/target/turn-server.jar}
LOAD_JAR=${LOAD_JAR:-$PWD/benchmarks/target/turn-load.jar}
CLK=$(getconf CLK_TCK)
W=$(mktemp -d /tmp/setup-cpu.XXXXXX)
SP=""; GP=""
cleanup() {
    local p
    for p in $GP $SP; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$W"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
[[ $(ulimit -n) -ge $((SESSIONS + 1000)) ]] || { echo "setup-cpu.sh: ulimit -n is $(ulimit -n)" >&2; exit 2; }

ticks() { local f; read -ra f < "/proc/$1/stat"; echo $((f[13] + f[14])); }
threads() {   # NAME TICKS per thread name of process $1
    local t line rest f
    for t in /proc/$1/task/*; do
        read -r line < "$t/stat" 2>/dev/null || continue
        local name=${line#*(}; name=${name%%)*}; rest=${line##*) }
        read -ra f <<< "$rest"
        echo "${name// /_} $((f[11] + f[12]))"
    done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
in_use() { [[ -n $(ss -Haun "sport = :$1"; ss -Hatn "sport = :$1") ]]; }
range_free() { ! ss -Haun | awk '{n = split($4, a, ":"); print a[n]}' | awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {f = 1} END {exit !f}'; }

P=""
for _ in $(seq 100); do C=$((40000 + RANDOM % 20000)); in_use $C || { P=$C; break; }; done
[[ -n $P ]] || { echo "setup-cpu.sh: no free listening port found in 100 tries (40000-59999)" >&2; exit 2; }
RANGE=""
for ((A = 10000; A + RELAY_SIZE - 1 < 32768; A += 500)); do
    if range_free $A $((A + RELAY_SIZE - 1)); then RANGE="$A-$((A + RELAY_SIZE - 1))"; break; fi
done
[[ -n $RANGE ]] || { echo "setup-cpu.sh: no free block of $RELAY_SIZE relay ports below 32768" >&2; exit 2; }
if [[ $KIND == ours ]]; then
    nice -n "$NICE" java -jar "$SERVER_JAR" --listen 127.0.0.1 --listen 127.0.0.2 --relay-address 127.0.0.1 --port $P \
        --relay-ports "$RANGE" --no-tls --user compareuser:comparepass --realm turnlab.compare --allow-loopback-peers \
        > "$W/server.log" 2>&1 &
else
    mkdir -p "$W/coturn"
    nice -n "$NICE" turnserver -n --listening-ip 127.0.0.1 --listening-ip 127.0.0.2 --relay-ip 127.0.0.1 --listening-port $P \
        --min-port "${RANGE%-*}" --max-port "${RANGE#*-}" --lt-cred-mech --user compareuser:comparepass \
        --realm turnlab.compare --user-quota 0 --total-quota 0 --no-cli --no-tls --no-dtls --no-rfc5780 \
        --allow-loopback-peers --userdb "$W/coturn/turndb" --pidfile "$W/coturn/pid" --log-file "$W/coturn/log" \
        --simple-log --no-stdout-log > "$W/server.log" 2>&1 &
fi
SP=$!
for _ in $(seq 300); do [[ -n $(ss -Hltn "sport = :$P") ]] && break; sleep 0.1; done
[[ -n $(ss -Hltn "sport = :$P") ]] || { echo "setup-cpu.sh: the $KIND server is not listening on 127.0.0.1:$P after 30 s; its output:" >&2; tail -n 20 "$W/server.log" >&2; exit 2; }
load() {   # load SERVER_ADDRESS SESSIONS: one run, allocations deleted at its end
    nice -n "$NICE" java -jar "$LOAD_JAR" --server "$1:$P" --user compareuser --password comparepass \
        --realm turnlab.compare --format json --rate 1 --payload 100 --warmup 0s --duration 1s --setup-timeout 120s \
        --sessions "$2"
}
for _ in $(seq "$WARM"); do load 127.0.0.2 "$WARM_SESSIONS" > /dev/null 2>&1 || true; done
sleep 1
L0=$(cut -d' ' -f1 /proc/loadavg)
load 127.0.0.1 "$SESSIONS" > "$W/out.json" 2> "$W/err" &
GP=$!
C0=""; C1=""
for _ in $(seq 12000); do   # at most 120 s, turn-load's --setup-timeout
    # From turn-load's "setting up" line, after its rehearsal against its own stand-in: the server's CPU
    # before that line is its idle time while turn-load warms itself, no part of the set-up.
    if [[ -z $C0 ]] && grep -q "setting up" "$W/err" 2>/dev/null; then C0=$(ticks $SP); threads $SP > "$W/t0"; fi
    if [[ -n $C0 ]] && grep -q "set up [0-9]" "$W/err" 2>/dev/null; then C1=$(ticks $SP); threads $SP > "$W/t1"; break; fi
    kill -0 $GP 2>/dev/null || break
    sleep 0.01
done
wait $GP || true; GP=""
[[ -n $C1 ]] || { echo "setup-cpu.sh: turn-load ended without a setup line: $(tail -n 2 "$W/err")" >&2; exit 1; }
READY=$(grep -o 'set up [0-9]*' "$W/err" | awk '{print $3}')
SECONDS_=$(grep -o 'in [0-9.]* s' "$W/err" | awk '{print $2}')
LOAD_CPU=$(grep -o "CPU: [0-9.]* s" "$W/err" | awk '{print $2}')
BY_THREAD=$(join -a2 -e0 -o 0,1.2,2.2 "$W/t0" "$W/t1" | awk -v n="$READY" -v k="$CLK" \
    '$3 - $2 > 0 {printf " %s %.0f", $1, ($3 - $2) * 1e6 / k / n}')
awk -v l="$LABEL" -v n="$READY" -v s="$SECONDS_" -v c=$((C1 - C0)) -v g="$LOAD_CPU" -v k="$CLK" -v l0="$L0" \
    -v l1="$(cut -d' ' -f1 /proc/loadavg)" -v t="$BY_THREAD" 'BEGIN {
    printf "%-10s %5d set up in %6.3f s (%5.0f/s)  server %5.0f us/alloc [by thread, us:%s]  turn-load %5.0f us/session  load %s-%s\n",
        l, n, s, n / s, c * 1e6 / k / n, t, g * 1e6 / n, l0, l1 }' | tee -a "$OUT"
