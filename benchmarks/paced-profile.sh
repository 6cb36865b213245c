#!/usr/bin/env bash
# What one server spends per echoed packet at compare.sh's paced level, and on what: CPU by thread kind
# (event loops, JIT compilers, GC), the share of it in user space, system calls and context switches per
# echoed packet (perf stat on the socket, epoll and io_uring system-call tracepoints), goodput, loss and round trips.
#
#   benchmarks/paced-profile.sh LABEL ours [turn-server options...]    # our turn-server.jar
#   benchmarks/paced-profile.sh LABEL coturn                           # coturn's turnserver
#
# e.g. benchmarks/paced-profile.sh uring ours --io-transport io_uring. Needs perf and root (or
# perf_event_paranoid <= 1) for the tracepoints. Prints one JSON line; raw files go to $OUT/LABEL.*.
# One server at a time, started afresh: a 5 s closed-loop burst, then turn-load's paced level for
# SETTLE + 13 s; CPU is read over 8 s after SETTLE (late enough for our JIT to have settled when SETTLE is
# 20 s or more), then perf counts for 5 s. Run servers alternately (A B A B): the machine is shared.
set -euo pipefail

LABEL=${1:?label}; KIND=${2:?ours or coturn}; shift 2
SETTLE=${SETTLE:-20}                  # seconds of paced traffic before the CPU window
NICE=${NICE:-0}
OUT=${OUT:-/tmp/turnlab-paced}
cd "$(dirname "$0")/.."
SERVER_JAR=${SERVER_JAR:-$PWD/turn-server-app/target/turn-server.jar}
LOAD_JAR=${LOAD_JAR:-$PWD/benchmarks/target/turn-load.jar}
mkdir -p "$OUT"

in_use() { [[ -n $(ss -Haun "sport = :$1"; ss -Hatn "sport = :$1") ]]; }
for _ in $(seq 50); do PORT=$((20000 + RANDOM % 9000)); in_use "$PORT" || break; done
# Relays below the ephemeral range and away from the listening ports: a peer whose port is inside the
# relay range is refused as one of the server's own sockets.
RELAY=$((3000 + (RANDOM % 6) * 1000))
if [[ $KIND == ours ]]; then
    nice -n "$NICE" java -jar "$SERVER_JAR" --listen 127.0.0.1 --port "$PORT" --relay-ports "$RELAY-$((RELAY + 800))" \
        --no-tls --user u:p --realm r --allow-loopback-peers "$@" > "$OUT/$LABEL.server.log" 2>&1 &
else
    DIR=$(mktemp -d)
    nice -n "$NICE" turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port "$PORT" \
        --min-port "$RELAY" --max-port $((RELAY + 800)) --lt-cred-mech --user u:p --realm r --user-quota 0 \
        --total-quota 0 --no-cli --no-tls --no-dtls --no-rfc5780 --allow-loopback-peers --userdb "$DIR/db" \
        --pidfile "$DIR/pid" --log-file "$DIR/log" --simple-log --no-stdout-log > "$OUT/$LABEL.server.log" 2>&1 &
fi
SERVER=$!
LOAD=""
stop() {
    [[ -z $LOAD ]] || kill "$LOAD" 2>/dev/null || true
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 300); do [[ -n $(ss -Hltn "sport = :$PORT") ]] && break; sleep 0.1; done
load() { nice -n "$NICE" java -jar "$LOAD_JAR" --server "127.0.0.1:$PORT" --user u --password p --realm r "$@"; }
load --sessions 10 --rate max --payload 100 --warmup 1s --duration 4s > /dev/null 2>&1 || true
load --format json --warmup 3s --duration "$((SETTLE + 13))s" --sessions 100 --rate 50 --payload 160 \
    > "$OUT/$LABEL.load.json" 2> "$OUT/$LABEL.load.err" &
LOAD=$!
sleep "$((SETTLE + 5))"   # set-up (a few seconds) and the 3 s before turn-load's window, then SETTLE

threads() {   # tid ticks kind, for every thread of the server
    local t s f
    for t in /proc/"$SERVER"/task/*; do
        # The name in stat's parentheses may hold spaces ("C2 CompilerThre"): split only what follows it.
        s=$(< "$t/stat") 2>/dev/null || continue
        read -ra f <<< "${s##*) }"
        echo "$(basename "$t") $((f[11] + f[12])) $(tr ' ' _ < "$t/comm")"
    done
}
stat_field() { local f; read -ra f < "/proc/$SERVER/stat"; echo "${f[$1]}"; }
threads > "$OUT/$LABEL.threads1"
u1=$(stat_field 13); s1=$(stat_field 14); t1=$(date +%s%N)
sleep 8
u2=$(stat_field 13); s2=$(stat_field 14); t2=$(date +%s%N)
threads > "$OUT/$LABEL.threads2"
# A few tracepoints, not syscalls:sys_enter_*: opening hundreds on every thread takes perf seconds of its
# window, and the counts then fall short of the packets.
CALLS="sendto sendmsg sendmmsg recvfrom recvmsg recvmmsg getsockopt epoll_wait epoll_pwait epoll_pwait2 epoll_ctl
    io_uring_enter futex read write timerfd_settime"
EVENTS=$(printf 'syscalls:sys_enter_%s,' $CALLS)
perf stat -x, -e "${EVENTS%,}" -e context-switches,cpu-migrations -p "$SERVER" -- sleep 5 \
    2> "$OUT/$LABEL.perf" || true
wait "$LOAD" || true
LOAD=""

python3 - "$LABEL" "$OUT" "$((u2 - u1))" "$((s2 - s1))" "$t1" "$t2" "$(getconf CLK_TCK)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
label, out, du, ds, t1, t2, hz, load = sys.argv[1:]
r = json.load(open(f"{out}/{label}.load.json"))
window = (int(t2) - int(t1)) / 1e9
echoed = r["echoed"] / r["durationSeconds"]          # echoed packets per second over turn-load's window
def us(ticks, seconds=window):
    return round(ticks / int(hz) / seconds / echoed * 1e6, 2)
before = {l.split()[0]: int(l.split()[1]) for l in open(f"{out}/{label}.threads1")}
kinds = {}
for line in open(f"{out}/{label}.threads2"):
    tid, ticks, comm = line.split()
    kind = ("event loops" if comm.startswith("multiThreadIoEv") else "jit" if "Compiler" in comm
            else "gc" if comm.startswith("GC") else "other")
    kinds[kind] = kinds.get(kind, 0) + int(ticks) - before.get(tid, 0)
counts = {}
for line in open(f"{out}/{label}.perf"):
    f = line.strip().split(",")
    if len(f) > 2 and f[0].replace(".", "").isdigit() and float(f[0]) > 0:
        counts[f[2].replace("syscalls:sys_enter_", "")] = float(f[0]) / 5
per = {k: round(v / echoed, 2) for k, v in sorted(counts.items(), key=lambda kv: -kv[1]) if v / echoed >= 0.01}
calls = sum(v for k, v in counts.items() if k not in ("context-switches", "cpu-migrations"))
print(json.dumps({"label": label, "cpuMicrosPerEchoed": us(int(du) + int(ds)),
                  "byThread": {k: us(v) for k, v in kinds.items()},
                  "userShare": round(int(du) / max(1, int(du) + int(ds)), 2),
                  "syscallsPerEchoed": round(calls / echoed, 2), "perEchoed": per,
                  "echoedPerSecond": round(echoed, 1), "lossPercent": r["lossPercent"],
                  "rttMicros": {k: r["rttMicros"][k] for k in ("p50", "p99")}, "loadAverage": load}))
PY
