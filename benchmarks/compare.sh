#!/usr/bin/env bash
# Ours against coturn on loopback, the same load against each in turn, and a report.
#
#   benchmarks/compare.sh                      # ROUNDS=3, DURATION=10s: about 15 minutes
#   ROUNDS=1 DURATION=3s WARMUP=1s benchmarks/compare.sh   # a quick look
#
#   LEVELS=cold UCLIENT=0 benchmarks/compare.sh            # only a fresh server's first traffic
#
# Each round starts both servers afresh (the same relay range size, credentials and realm, loopback
# peers allowed, no TLS/DTLS/CLI), records their first traffic ("cold") and warms them up, then runs
# every level against one and then the other (ours first in odd rounds, coturn first in even ones), then
# coturn's own turnutils_uclient against each, and stops both by their PIDs. The servers run on one set
# of cores and the generators on the others (taskset), where the machine has two or more and taskset is
# there; otherwise the log and the report say they ran unpinned. Everything raw goes to $RESULTS/$NAME/;
# the report is $RESULTS/$NAME.md and .svg.
# See benchmarks/README.md, "ours against coturn", for what each figure means.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}            # measured window of each load level
WARMUP=${WARMUP:-3s}                 # sending before the window
LEVELS=${LEVELS:-"cold paced max overload large tcp setup"}   # cold, if listed, runs first
OVERLOAD_RATE=${OVERLOAD_RATE:-5000} # pps per session at the overload level (20 sessions)
SETUP_SESSIONS=${SETUP_SESSIONS:-6000}
UCLIENT=${UCLIENT:-1}                # 0: skip turnutils_uclient
UCLIENT_SESSIONS=${UCLIENT_SESSIONS:-20}
UCLIENT_MESSAGES=${UCLIENT_MESSAGES:-600}   # at 20 ms apart: 12 s per session (it staggers starts 1-6 s)
# relay ports per server: SETUP_SESSIONS plus headroom when setup runs, else 1000 (fewer ports to find
# free while other work on the machine holds some)
if [[ " ${LEVELS} " == *" setup "* ]]; then RELAY_SIZE=${RELAY_SIZE:-$((SETUP_SESSIONS + 1000))}; fi
RELAY_SIZE=${RELAY_SIZE:-1000}
NICE=${NICE:-0}                      # e.g. -5 (as root): servers and generators ahead of other work on the machine
OURS_ARGS=${OURS_ARGS:-}             # extra options of our server, e.g. --io-threads 1
OURS_JAVA_OPTS=${OURS_JAVA_OPTS:-}   # JVM options of our server, e.g. -XX:SharedArchiveFile=...
PIN=${PIN:-1}                        # 0: servers and generators unpinned
SERVER_CPUS=${SERVER_CPUS:-}         # taskset lists, e.g. 0 and 1; default: the first half of the
LOAD_CPUS=${LOAD_CPUS:-}             #   allowed cores for the servers, the rest for the generators
RESULTS=${RESULTS:-benchmarks/results}
NAME=${NAME:-$(date -u +%F)-compare}
USER_NAME=compareuser
PASSWORD=comparepass
REALM=turnlab.compare

cd "$(dirname "$0")/.."
ROOT=$PWD
SERVER_JAR=$ROOT/turn-server-app/target/turn-server.jar
LOAD_JAR=$ROOT/benchmarks/target/turn-load.jar
RAW=$RESULTS/$NAME
WORK=$(mktemp -d /tmp/turnlab-compare.XXXXXX)
CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }

# --- processes we start, stopped by PID whatever happens ---------------------------------------
PIDS=()
stop_pid() {
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    PIDS=()
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
forget_pid() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# --- where servers and generators run ------------------------------------------------------------
# The cores this script may use ("0-1,4" -> 0 1 4).
allowed_cpus() {
    local list part
    list=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
    for part in ${list//,/ }; do
        if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi
    done
}
# Sets SERVER_RUN and LOAD_RUN (nice, and taskset when pinned; both exec, so $! stays the server's PID)
# and PINNING, the sentence the log and the report give.
choose_cores() {
    local cpus n half
    mapfile -t cpus < <(allowed_cpus)
    n=${#cpus[@]}
    SERVER_RUN=(nice -n "$NICE"); LOAD_RUN=(nice -n "$NICE")
    if [[ $PIN == 0 ]]; then
        PINNING="unpinned (PIN=0): servers and generators shared all $n cores"; return
    elif ! command -v taskset >/dev/null; then
        PINNING="unpinned: taskset is missing, so servers and generators shared all $n cores"; return
    elif ((n < 2)) && [[ -z $SERVER_CPUS || -z $LOAD_CPUS ]]; then
        PINNING="unpinned: one core only, shared by servers and generators"; return
    fi
    if [[ -z $SERVER_CPUS || -z $LOAD_CPUS ]]; then
        # The server gets half (rounded down): the generator and its echo peer do twice its work per packet.
        half=$((n / 2))
        SERVER_CPUS=$(IFS=,; echo "${cpus[*]:0:half}")
        LOAD_CPUS=$(IFS=,; echo "${cpus[*]:half}")
    fi
    SERVER_RUN+=(taskset -c "$SERVER_CPUS"); LOAD_RUN+=(taskset -c "$LOAD_CPUS")
    PINNING="pinned with taskset: servers on CPU $SERVER_CPUS, generators and echo peers on CPU $LOAD_CPUS"
}
# With autogroup scheduling (Linux's default on desktops and many VMs) the CPU is shared between sessions
# first and nice orders threads only within one session, so `nice -n -5` alone does nothing against other
# users' work. Each process then starts in a session of its own (setsid, which execs: $! stays its PID),
# and that session's autogroup gets the nice value (spawned).
choose_priority() {
    PRIORITY="nice $NICE"
    [[ $NICE != 0 ]] || { PRIORITY="nice 0 (default)"; return; }
    if [[ $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null) == 1 ]]; then
        SERVER_RUN+=(setsid); LOAD_RUN+=(setsid); AUTOGROUP=1
        PRIORITY="nice $NICE, each process in a session of its own whose autogroup has nice $NICE (autogroup scheduling is on)"
    fi
}
AUTOGROUP=0
# spawned PID: gives the process's autogroup the nice value, when autogroup scheduling is on.
spawned() {
    ((AUTOGROUP == 1)) || return 0
    local _
    for _ in $(seq 100); do   # until setsid has run (nice and taskset exec first): else ours would change
        [[ $(ps -o sid= -p "$1" 2>/dev/null | tr -d ' ') == "$1" ]] && break
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.01
    done
    [[ $(ps -o sid= -p "$1" 2>/dev/null | tr -d ' ') == "$1" ]] \
        && echo "$NICE" 2>/dev/null > "/proc/$1/autogroup" || log "  could not set the autogroup nice of $1"
}

# --- prerequisites ------------------------------------------------------------------------------
if ! command -v turnserver >/dev/null || ! command -v turnutils_uclient >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        log "installing coturn (apt-get install -y coturn)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq coturn >/dev/null
    else
        die "coturn is missing: as root, apt-get install -y coturn (Debian/Ubuntu), then run again"
    fi
fi
if [[ ! -f $SERVER_JAR || ! -f $LOAD_JAR ]]; then
    log "building turn-server-app and benchmarks (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests -pl turn-server-app,benchmarks -am
fi
[[ $(ulimit -n) -ge $((SETUP_SESSIONS + 1000)) ]] || ulimit -n $((SETUP_SESSIONS + 1000)) 2>/dev/null \
    || die "ulimit -n is $(ulimit -n): $SETUP_SESSIONS sessions need $((SETUP_SESSIONS + 1000)) file descriptors"

# --- ports: free ones on loopback, all below the ephemeral range --------------------------------
# Listening ports are chosen in 5000-9999, relay ranges in 10000-32767: no socket bound to port 0 (the
# generators', another build's) can take one between the choice and a server's bind, however long a
# server takes to start (ours with --warm-up binds only after it).
port_in_use() { [[ -n $(ss -Haun "sport = :$1" 2>/dev/null; ss -Hatn "sport = :$1" 2>/dev/null) ]]; }
free_port() {   # sets PORT to a port P with P and P+1 unbound (uclient's peer also uses P+1)
    local p
    for _ in $(seq 200); do
        p=$((5000 + RANDOM % 4999))
        if ! port_in_use "$p" && ! port_in_use $((p + 1)) && [[ " ${TAKEN[*]} " != *" $p "* ]]; then
            TAKEN+=("$p" $((p + 1))); PORT=$p; return
        fi
    done
    die "no free port found"
}
range_free() {  # no UDP or TCP socket bound in [A, B]
    ss -Haun | ss_ports | awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {found=1} END {exit found}' \
        && ss -Hatn | ss_ports | awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {found=1} END {exit found}'
}
ss_ports() { awk '{n = split($4, a, ":"); print a[n]}'; }
relay_range() { # sets RANGE to a free block of RELAY_SIZE ports at or above 10000, below 32768
    # Blocks are tried from a random one on, so that two comparisons run at once rarely pick the same.
    local a i blocks=$(( (32768 - RELAY_SIZE - 10000) / 500 + 1 )) first=$((RANDOM))
    for ((i = 0; i < blocks; i++)); do
        a=$((10000 + 500 * ((first + i) % blocks)))
        local b clash=0
        for ((b = a; b < a + RELAY_SIZE; b += 500)); do [[ " ${TAKEN[*]} " != *" r$b "* ]] || clash=1; done
        if ((clash == 0)) && range_free "$a" $((a + RELAY_SIZE - 1)); then
            for ((b = a; b < a + RELAY_SIZE; b += 500)); do TAKEN+=("r$b"); done
            RANGE="$a-$((a + RELAY_SIZE - 1))"; return
        fi
    done
    die "no free block of $RELAY_SIZE relay ports below 32768"
}

# --- /proc readings -----------------------------------------------------------------------------
cpu_ticks() { local f; read -ra f < "/proc/$1/stat"; echo $((f[13] + f[14])); }   # utime + stime
# utime + stime of a JVM's JIT compiler threads (C1, C2), 0 for a process that has none (coturn).
jit_ticks() {
    local t comm s f sum=0
    for t in /proc/"$1"/task/*; do
        read -r comm < "$t/comm" 2>/dev/null || continue
        [[ $comm == C1\ CompilerThre* || $comm == C2\ CompilerThre* ]] || continue
        # The thread's name in stat holds a space: split only what follows its closing parenthesis.
        s=$(< "$t/stat") 2>/dev/null || continue
        read -ra f <<< "${s##*) }"
        sum=$((sum + f[11] + f[12]))
    done
    echo "$sum"
}
fd_count() { local fds=("/proc/$1/fd/"*); echo "${#fds[@]}"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
now_ns() { date +%s%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
seconds_of() { # 10s, 500ms, 2m -> seconds (decimal)
    case $1 in
        *ms) awk -v v="${1%ms}" 'BEGIN {print v / 1000}' ;;
        *s) echo "${1%s}" ;;
        *m) awk -v v="${1%m}" 'BEGIN {print v * 60}' ;;
        *) die "duration $1: expected e.g. 10s, 500ms, 2m" ;;
    esac
}
json_str() {
    local s=$1
    s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/ }; s=${s//$'\r'/}
    printf '"%s"' "$s"
}
# Live heap of our JVM after a full GC (GC.class_histogram forces one), in bytes.
live_heap() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'; }

# --- the servers --------------------------------------------------------------------------------
start_ours() {
    local port=$1 relay=$2
    OURS_CMD="java${OURS_JAVA_OPTS:+ $OURS_JAVA_OPTS} -jar $SERVER_JAR --listen 127.0.0.1 --port $port --relay-ports $relay --no-tls \
--user $USER_NAME:$PASSWORD --realm $REALM --allow-loopback-peers${OURS_ARGS:+ $OURS_ARGS}"
    # shellcheck disable=SC2086
    "${SERVER_RUN[@]}" $OURS_CMD > "$WORK/ours.log" 2>&1 &
    OURS_PID=$!; PIDS+=("$OURS_PID"); spawned "$OURS_PID"
    await_listening "$OURS_PID" "$port" ours "$WORK/ours.log"
}
start_coturn() {
    local port=$1 relay=$2 dir=$WORK/coturn
    mkdir -p "$dir"
    COTURN_CMD="turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port $port \
--min-port ${relay%-*} --max-port ${relay#*-} --lt-cred-mech --user $USER_NAME:$PASSWORD --realm $REALM \
--user-quota 0 --total-quota 0 --no-cli --no-tls --no-dtls --no-rfc5780 --allow-loopback-peers \
--userdb $dir/turndb --pidfile $dir/turnserver.pid --log-file $dir/turnserver.log --simple-log --no-stdout-log"
    # shellcheck disable=SC2086
    "${SERVER_RUN[@]}" $COTURN_CMD > "$WORK/coturn.out" 2>&1 &
    COTURN_PID=$!; PIDS+=("$COTURN_PID"); spawned "$COTURN_PID"
    await_listening "$COTURN_PID" "$port" coturn "$dir/turnserver.log"
}
# Waits until the server listens (a server warming up first listens only then) and records how long its start
# took in $RAW/start-rROUND-NAME.json.
await_listening() {
    local pid=$1 port=$2 name=$3 log=$4 t0 seconds
    t0=$(now_ns)
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || die "$name exited at start: $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')"
        if [[ -n $(ss -Hltn "sport = :$port") ]]; then
            seconds=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
            log "  $name listening after $seconds s"
            printf '{"round":%d,"server":"%s","listeningAfterSeconds":%s,"loadBefore":"%s"}\n' "$round" "$name" \
                "$seconds" "$START_LOAD" > "$RAW/start-r$round-$name.json"
            return
        fi
        sleep 0.1
    done
    die "$name did not listen on 127.0.0.1:$port within 60 s"
}

# --- one run of turn-load -------------------------------------------------------------------------
level_args() {
    case $1 in
        cold) echo "--sessions 100 --rate 100 --payload 160" ;;
        setup) echo "--sessions $SETUP_SESSIONS --rate 1 --payload 100 --setup-timeout 120s" ;;
        paced) echo "--sessions 100 --rate 50 --payload 160" ;;
        max) echo "--sessions 10 --rate max --payload 100" ;;
        overload) echo "--sessions 20 --rate $OVERLOAD_RATE --payload 100" ;;
        large) echo "--sessions 10 --rate max --payload 1000" ;;
        tcp) echo "--transport tcp --sessions 10 --rate max --payload 100" ;;
        *) die "unknown level $1 (expected: cold paced max overload large tcp setup)" ;;
    esac
}
sessions_of() { level_args "$1" | awk '{for (i = 1; i < NF; i++) if ($i == "--sessions") print $(i + 1)}'; }

# run_load ROUND SERVER LEVEL PID PORT: writes $RAW/rROUND-SERVER-LEVEL.json
run_load() {
    local round=$1 server=$2 level=$3 pid=$4 port=$5
    local file=$RAW/r$round-$server-$level.json out=$WORK/load.json err=$WORK/load.err
    local sessions expect base warmup_s duration_s margin
    sessions=$(sessions_of "$level")
    warmup_s=$(seconds_of "$WARMUP"); duration_s=$(seconds_of "$DURATION")
    local warmup=$WARMUP duration=$DURATION
    if [[ $level == setup ]]; then warmup=1s; duration=4s; warmup_s=1; duration_s=4; fi
    if [[ $level == cold ]]; then warmup=1s; duration=10s; warmup_s=1; duration_s=10; fi
    local cmd="java -jar $LOAD_JAR --server 127.0.0.1:$port --user $USER_NAME --password $PASSWORD \
--realm $REALM --format json --warmup $warmup --duration $duration $(level_args "$level")"
    base=$(fd_count "$pid")
    expect=$((base + sessions)); [[ $level == tcp ]] && expect=$((base + 2 * sessions))
    local load_before heap_before="" heap_after="" rss_before rss_after fd_after=""
    # Memory is read the same way before and after: for ours after the full collection that reading the
    # live heap forces, so that both resident sizes follow a heap sized for what is live, not for garbage.
    [[ $level == setup && $server == ours ]] && heap_before=$(live_heap "$pid")
    rss_before=$(rss_kb "$pid")
    load_before=$(loadavg)
    log "round $round  $server  $level"
    # shellcheck disable=SC2086
    "${LOAD_RUN[@]}" $cmd > "$out" 2> "$err" &
    local load_pid=$!; PIDS+=("$load_pid"); spawned "$load_pid"
    # The sessions are set up when the server holds one relay socket per session (and one TCP
    # connection per session over TCP); sending starts then, so the measured window is WARMUP later.
    local t_ready=""
    for _ in $(seq 1500); do
        kill -0 "$load_pid" 2>/dev/null || break
        if [[ $(fd_count "$pid") -ge $expect ]]; then t_ready=$(now_ns); break; fi
        sleep 0.1
    done
    local ticks="null" window="null" jit="null"
    if [[ -n $t_ready ]]; then
        if [[ $level == setup ]]; then
            sleep 1   # let the last channel bindings land
            fd_after=$(( $(fd_count "$pid") - base ))
            [[ $server == ours ]] && heap_after=$(live_heap "$pid")
            rss_after=$(rss_kb "$pid")   # the allocations are still held: turn-load is idling at 1 packet/s
        else
            # Server CPU over the middle of the measured window (a quarter second inside each edge).
            margin=0.25
            sleep "$(awk -v w="$warmup_s" -v m="$margin" 'BEGIN {print w + m}')"
            local c1 t1 c2 t2 j1
            c1=$(cpu_ticks "$pid"); j1=$(jit_ticks "$pid"); t1=$(now_ns)
            sleep "$(awk -v d="$duration_s" -v m="$margin" 'BEGIN {print d - 2 * m}')"
            c2=$(cpu_ticks "$pid"); t2=$(now_ns)
            ticks=$((c2 - c1)); jit=$(( $(jit_ticks "$pid") - j1 )); window=$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
        fi
    fi
    local status=0
    wait "$load_pid" || status=$?
    forget_pid "$load_pid"
    local result
    result=$(cat "$out"); [[ -n $result ]] || result=null
    {
        printf '{"round":%d,"server":"%s","level":"%s","command":%s,"exitStatus":%d,' \
            "$round" "$server" "$level" "$(json_str "$cmd")" "$status"
        printf '"loadBefore":"%s","loadAfter":"%s",' "$load_before" "$(loadavg)"
        printf '"serverCpuTicks":%s,"jitCpuTicks":%s,"clockTicksPerSecond":%d,"cpuWindowSeconds":%s,' "$ticks" "$jit" \
            "$CLK_TCK" "$window"
        if [[ $level == setup ]]; then
            printf '"memory":{"relaySockets":%s,"rssKbBefore":%s,"rssKbAfter":%s,"liveHeapBefore":%s,"liveHeapAfter":%s},' \
                "${fd_after:-null}" "${rss_before:-null}" "${rss_after:-null}" "${heap_before:-null}" "${heap_after:-null}"
        fi
        printf '"stderr":%s,"result":%s}\n' "$(json_str "$(tail -n 5 "$err" | tr -cd '\11\12\40-\176')")" "$result"
    } > "$file"
    [[ $status == 0 ]] || log "  turn-load exited with $status: $(tail -n 1 "$err")"
}

# run_uclient ROUND SERVER PID PORT: turnutils_uclient through the server to turnutils_peer
run_uclient() {
    local round=$1 server=$2 pid=$3 port=$4
    local file=$RAW/r$round-$server-uclient.json txt=$RAW/r$round-$server-uclient.txt
    local cmd="timeout 90 turnutils_uclient -c -m $UCLIENT_SESSIONS -n $UCLIENT_MESSAGES -l 160 -z 20 \
-e 127.0.0.1 -r $PEER_PORT -L 127.0.0.1 -u $USER_NAME -w $PASSWORD -p $port 127.0.0.1"
    local load_before c1 t1 status=0
    load_before=$(loadavg); c1=$(cpu_ticks "$pid"); t1=$(now_ns)
    log "round $round  $server  turnutils_uclient"
    # shellcheck disable=SC2086
    "${LOAD_RUN[@]}" $cmd > "$txt" 2>&1 &
    local uclient_pid=$!; PIDS+=("$uclient_pid"); spawned "$uclient_pid"
    wait "$uclient_pid" || status=$?
    forget_pid "$uclient_pid"
    local ticks=$(( $(cpu_ticks "$pid") - c1 ))
    local window
    window=$(awk -v a="$t1" -v b="$(now_ns)" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
    printf '{"round":%d,"server":"%s","level":"uclient","command":%s,"exitStatus":%d,"loadBefore":"%s","loadAfter":"%s","serverCpuTicks":%d,"clockTicksPerSecond":%d,"cpuWindowSeconds":%s,"outputFile":"%s"}\n' \
        "$round" "$server" "$(json_str "$cmd")" "$status" "$load_before" "$(loadavg)" "$ticks" "$CLK_TCK" \
        "$window" "$(basename "$txt")" > "$file"
    [[ $status == 0 ]] || log "  turnutils_uclient exited with $status"
}

# --- the run ------------------------------------------------------------------------------------
mkdir -p "$RAW"
rm -f "$RAW"/r*-*.json "$RAW"/r*-*.txt "$RAW"/start-r*-*.json
TAKEN=()
COLD=0; LOAD_LEVELS=()
for level in $LEVELS; do
    level_args "$level" > /dev/null
    if [[ $level == cold ]]; then COLD=1; else LOAD_LEVELS+=("$level"); fi
done
seconds_of "$DURATION" > /dev/null; seconds_of "$WARMUP" > /dev/null
choose_cores
choose_priority
log "results in $RAW (rounds $ROUNDS, levels: $LEVELS, window $DURATION after $WARMUP)"
log "$PINNING"
log "priority: $PRIORITY"
((ROUNDS >= 3)) || log "only $ROUNDS round(s): the report's ranges say little about the noise"

STARTED=$(date -u +%FT%TZ)
for ((round = 1; round <= ROUNDS; round++)); do
    TAKEN=()
    free_port; OURS_PORT=$PORT; free_port; COTURN_PORT=$PORT; free_port; PEER_PORT=$PORT
    relay_range; OURS_RELAY=$RANGE; relay_range; COTURN_RELAY=$RANGE
    START_LOAD=$(loadavg)
    start_ours "$OURS_PORT" "$OURS_RELAY"
    START_LOAD=$(loadavg)
    start_coturn "$COTURN_PORT" "$COTURN_RELAY"
    log "round $round: ours pid $OURS_PID on $OURS_PORT (relays $OURS_RELAY), coturn pid $COTURN_PID on $COTURN_PORT (relays $COTURN_RELAY)"
    if [[ $round == 1 ]]; then
        printf '%s\n' "$OURS_CMD" > "$WORK/ours.cmd"; printf '%s\n' "$COTURN_CMD" > "$WORK/coturn.cmd"
    fi
    if ((round % 2 == 1)); then order="ours coturn"; else order="coturn ours"; fi
    # The first traffic a fresh server sees is recorded as its own level ("cold"); then a closed-loop
    # burst, not recorded, so that the levels measure both servers warm (our JVM's code compiled).
    for s in $order; do
        if [[ $s == ours ]]; then pid=$OURS_PID; p=$OURS_PORT; else pid=$COTURN_PID; p=$COTURN_PORT; fi
        ((COLD == 1)) && run_load "$round" "$s" cold "$pid" "$p"
        ((${#LOAD_LEVELS[@]} > 0)) || continue
        "${LOAD_RUN[@]}" java -jar "$LOAD_JAR" --server "127.0.0.1:$p" --user $USER_NAME --password $PASSWORD --realm $REALM \
            --sessions 10 --rate max --payload 100 --warmup 1s --duration 5s > /dev/null 2>&1 &
        warm_pid=$!; PIDS+=("$warm_pid"); spawned "$warm_pid"
        wait "$warm_pid" || log "  warm-up against $s failed"
        forget_pid "$warm_pid"
    done
    for level in "${LOAD_LEVELS[@]}"; do
        for s in $order; do
            if [[ $s == ours ]]; then run_load "$round" ours "$level" "$OURS_PID" "$OURS_PORT"
            else run_load "$round" coturn "$level" "$COTURN_PID" "$COTURN_PORT"; fi
        done
    done
    if [[ $UCLIENT == 1 ]]; then
        "${LOAD_RUN[@]}" turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" > "$WORK/peer.log" 2>&1 &
        PEER_PID=$!; PIDS+=("$PEER_PID"); spawned "$PEER_PID"
        for s in $order; do
            if [[ $s == ours ]]; then run_uclient "$round" ours "$OURS_PID" "$OURS_PORT"
            else run_uclient "$round" coturn "$COTURN_PID" "$COTURN_PORT"; fi
        done
        stop_pid "$PEER_PID"; forget_pid "$PEER_PID"
    fi
    stop_pid "$OURS_PID"; forget_pid "$OURS_PID"
    stop_pid "$COTURN_PID"; forget_pid "$COTURN_PID"
done

# --- what ran where -----------------------------------------------------------------------------
{
    printf '{"started":"%s","finished":"%s",' "$STARTED" "$(date -u +%FT%TZ)"
    printf '"machine":%s,' "$(json_str "$(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores; $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)")"
    printf '"java":%s,' "$(json_str "$(java -version 2>&1 | head -n 2 | tr '\n' ' ')")"
    printf '"ours":%s,' "$(json_str "$(java -jar "$SERVER_JAR" --version 2>&1 | head -n 1) (git $(git rev-parse --short HEAD 2>/dev/null || echo unknown))")"
    printf '"coturn":%s,' "$(json_str "coturn $(turnserver --version 2>&1 | head -n 1)")"
    printf '"oursCommand":%s,"coturnCommand":%s,' "$(json_str "$(cat "$WORK/ours.cmd")")" "$(json_str "$(cat "$WORK/coturn.cmd")")"
    printf '"priority":%s,' "$(json_str "$PRIORITY")"
    printf '"pinning":%s,"order":"ours first in odd rounds, coturn first in even ones",' "$(json_str "$PINNING")"
    printf '"rounds":%d,"levels":"%s","duration":"%s","warmup":"%s","nice":%d,"clockTicksPerSecond":%d}\n' \
        "$ROUNDS" "$LEVELS" "$DURATION" "$WARMUP" "$NICE" "$CLK_TCK"
} > "$RAW/meta.json"

java -cp "$LOAD_JAR" dev.turnlab.benchmarks.compare.CompareReport "$RAW" "$RESULTS/$NAME.md" "$RESULTS/$NAME.svg"
log "report: $RESULTS/$NAME.md, plot: $RESULTS/$NAME.svg"
