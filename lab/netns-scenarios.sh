#!/usr/bin/env bash
# The lab in network namespaces: real firewalls and NAT between turn-check and our server.
#
#   checker ns (CMS)          firewall ns                               server ns (Expressway-E)
#   10.98.0.2 --------------- 10.98.0.1 | 10.99.0.1 ------------------- 10.99.0.2 (private)
#                             static NAT 198.51.100.7 <-> 10.99.0.2      turn-server --profile expressway
#                                                                          --relay-address 10.99.0.2
#                                                                          --external-address 198.51.100.7
#
# The server has two addresses, as a dual-NIC Expressway-E behind static NAT: its private one, which CMS
# checks (serverAddress), and the public one the firewall maps to it, which it advertises as the relayed
# address and browsers are given (clientAddress). Each scenario sets the firewall (nftables), restarts the
# server when it needs other options, runs the turn-check jar in the checker namespace and compares its
# diagnosis code and exit code with the expected ones. Prints a table; exits 1 if a scenario failed, 0 if
# all passed or the lab cannot run here (it says why).
#
# Needs root, ip (iproute2), nft (nftables), java, and the jars:  mvn -B -q -o package -DskipTests
# Only namespaces this script creates are touched; they and the server are removed on exit or interrupt.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERVER_JAR="${TURN_SERVER_JAR:-$ROOT/turn-server-app/target/turn-server.jar}"
CHECK_JAR="${TURN_CHECK_JAR:-$ROOT/turn-client-app/target/turn-check.jar}"

ID=$$
CHK="turnlab-chk-$ID"
FW="turnlab-fw-$ID"
SRV="turnlab-srv-$ID"
PRIVATE=10.99.0.2
PUBLIC=198.51.100.7
RELAY_PORTS=24000-24009
USER_NAME=expturncreds
PASSWORD=secret
WORK=""
SERVER_PID=""
CREATED=()

skip() {
    echo "netns-scenarios: skipped: $*"
    exit 0
}

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    stop_server
    for ns in "${CREATED[@]}"; do
        ip netns del "$ns" 2>/dev/null
    done
    [ -n "$WORK" ] && rm -rf "$WORK"
    exit "$code"
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=""
    fi
}

# ---- can the lab run here? ----
[ "$(id -u)" = 0 ] || skip "needs root (ip netns, nftables); run as root, e.g. sudo $0"
command -v ip >/dev/null || skip "ip (iproute2) is not installed: apt-get install iproute2"
command -v nft >/dev/null || skip "nft (nftables) is not installed: apt-get install nftables"
command -v java >/dev/null || skip "java is not installed"
for jar in "$SERVER_JAR" "$CHECK_JAR"; do
    if [ ! -f "$jar" ]; then
        echo "netns-scenarios: $jar is missing: build the jars first (mvn -B -q -o package -DskipTests)" >&2
        exit 2
    fi
done

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! err=$(ip netns add "$CHK" 2>&1); then
    skip "ip netns add does not work here: $err"
fi
CREATED+=("$CHK")
for ns in "$FW" "$SRV"; do
    ip netns add "$ns" || exit 1
    CREATED+=("$ns")
done
if ! err=$(ip netns exec "$FW" nft list ruleset 2>&1); then
    skip "nftables does not work in a network namespace here: $err"
fi
WORK="$(mktemp -d)"

# ---- the network: links are created inside the namespaces, never in the root namespace ----
net() {
    ip -n "$CHK" link set lo up
    ip -n "$FW" link set lo up
    ip -n "$SRV" link set lo up
    ip -n "$CHK" link add lan type veth peer name lan netns "$FW"
    ip -n "$SRV" link add dmz type veth peer name dmz netns "$FW"
    ip -n "$CHK" addr add 10.98.0.2/24 dev lan
    ip -n "$FW" addr add 10.98.0.1/24 dev lan
    ip -n "$FW" addr add 10.99.0.1/24 dev dmz
    ip -n "$SRV" addr add "$PRIVATE"/24 dev dmz
    for link in "$CHK lan" "$FW lan" "$FW dmz" "$SRV dmz"; do
        set -- $link
        ip -n "$1" link set "$2" up
    done
    ip -n "$CHK" route add default via 10.98.0.1
    ip -n "$SRV" route add default via 10.99.0.1
    # What the firewall does not translate goes nowhere (there is no Internet side in this lab).
    ip -n "$FW" route add blackhole default
    ip netns exec "$FW" sysctl -qw net.ipv4.ip_forward=1
}

# The firewall: a filter chain the scenario fills, and static NAT PUBLIC <-> PRIVATE. With reflection, the
# translation applies to packets from the inside (the checker's LAN) too (NAT reflection, hairpin); without,
# only to packets from elsewhere, so the inside's packets to PUBLIC are lost.
firewall() {
    local reflection="$1" rules="$2" from=""
    [ "$reflection" = yes ] || from='iifname != "lan"'
    ip netns exec "$FW" nft -f - <<EOF
flush ruleset
table inet filter {
    chain forward {
        type filter hook forward priority 0; policy accept;
        $rules
    }
}
table ip nat {
    chain prerouting {
        type nat hook prerouting priority -100;
        $from ip daddr $PUBLIC dnat to $PRIVATE
    }
    chain postrouting {
        type nat hook postrouting priority 100;
        ip saddr $PRIVATE snat to $PUBLIC
    }
}
EOF
}

# Starts our server in its namespace with the Expressway-E profile and "$@", waits until UDP and TCP 3478 listen.
start_server() {
    stop_server
    ip netns exec "$SRV" java -jar "$SERVER_JAR" --profile expressway --user "$USER_NAME:$PASSWORD" \
        --relay-ports "$RELAY_PORTS" --relay-address "$PRIVATE" --allow-peer 10.98.0.0/24 "$@" \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    SERVER_ARGS="$*"
    local i
    for i in $(seq 1 240); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "netns-scenarios: the server exited:" >&2
            cat "$WORK/server.log" >&2
            SERVER_PID=""
            return 1
        fi
        if [ -n "$(ip netns exec "$SRV" ss -Hlnu 'sport = :3478')" ] \
                && [ -n "$(ip netns exec "$SRV" ss -Hlnt 'sport = :3478')" ]; then
            return 0
        fi
        sleep 0.25
    done
    echo "netns-scenarios: the server did not listen on 3478 within 60 s" >&2
    return 1
}

ROWS=()
FAILED=0
SERVER_ARGS=""
NAT_SERVER=(--external-address "$PUBLIC")

# scenario NAME EXPECTED_CODE EXPECTED_EXIT EXPECTED_ERROR -- turn-check options beyond the common ones
scenario() {
    local name="$1" code="$2" exit_expected="$3" error_expected="$4"
    shift 5
    local start out rc codes first error actual expected result
    start=$(date +%s%N)
    out="$WORK/check.json"
    ip netns exec "$CHK" java -jar "$CHECK_JAR" --server "$PRIVATE" --client-address "$PUBLIC" \
        --user "$USER_NAME" --realm TANDBERG --relay-test --timeout 2s --probes 2 --format json "$@" \
        >"$out" 2>&1
    rc=$?
    codes=$(grep -o '"code": "[a-z-]*"' "$out" | cut -d'"' -f4 | paste -sd, - | sed 's/,/, /g')
    first=$(grep -o '"code": "[a-z-]*"' "$out" | head -1 | cut -d'"' -f4)
    error=$(grep -o '"code": [0-9][0-9][0-9]' "$out" | head -1 | cut -d' ' -f2)
    actual="${codes:-(none)}${error:+ ($error)} / exit $rc"
    expected="${code:-(none)}${error_expected:+ ($error_expected)} / exit $exit_expected"
    if [ "$first" = "$code" ] && [ "$rc" = "$exit_expected" ] && [ "$error" = "$error_expected" ]; then
        result=pass
    else
        result=FAIL
        FAILED=$((FAILED + 1))
        echo "--- $name: server: $SERVER_ARGS; turn-check: $*" >&2
        cat "$out" >&2
    fi
    ROWS+=("$name|$expected|$actual|$result|$(( ($(date +%s%N) - start) / 1000000000 )).$(( ($(date +%s%N) - start) / 100000000 % 10 )) s")
}

table() {
    {
        echo "scenario|expected|actual|result|time"
        printf '%s\n' "${ROWS[@]}"
    } | awk -F'|' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
        END { for (r = 1; r <= NR; r++) { line = ""; for (i = 1; i < 5; i++) line = line sprintf("%-" w[i] "s  ", cell[r, i]);
              print line cell[r, 5] } }'
    echo "$(( ${#ROWS[@]} - FAILED )) of ${#ROWS[@]} scenarios passed"
}

BEGAN=$(date +%s)
net || exit 1
start_server "${NAT_SERVER[@]}" || exit 1

firewall yes ""
scenario "healthy (static NAT, reflection)" "" 0 "" -- --password "$PASSWORD" --require udp,tcp
scenario "wrong password" credentials-rejected 4 431 -- --password wrong

firewall yes "ip daddr $PRIVATE udp dport 3478 drop"
scenario "nft drop udp 3478" udp-blocked 0 "" -- --password "$PASSWORD"
scenario "nft drop udp 3478, --require udp,tcp" udp-blocked 3 "" -- --password "$PASSWORD" --require udp,tcp
firewall yes "ip daddr $PRIVATE tcp dport 3478 drop"
scenario "nft drop tcp 3478, --require udp,tcp" tcp-blocked 3 "" -- --password "$PASSWORD" --require udp,tcp
firewall yes "ip daddr $PRIVATE th dport 3478 drop"
scenario "nft drop udp+tcp 3478" no-stun-answer 3 "" -- --password "$PASSWORD"
firewall yes "ip daddr $PRIVATE drop"
scenario "nft drop everything to the server" unreachable 3 "" -- --password "$PASSWORD"

firewall yes "ip daddr $PRIVATE udp dport 3478 reject"
scenario "nft reject udp 3478" udp-blocked 0 "" -- --password "$PASSWORD"
firewall yes "ip daddr $PRIVATE udp dport 3478 reject
        ip daddr $PRIVATE tcp dport 3478 reject with tcp reset"
scenario "nft reject udp+tcp 3478" port-closed 3 "" -- --password "$PASSWORD"

firewall yes "ip daddr $PRIVATE udp dport $RELAY_PORTS drop"
scenario "nft drop relay ports $RELAY_PORTS" relay-blocked 6 "" -- --password "$PASSWORD"
firewall no ""
scenario "no NAT reflection for $PUBLIC" nat-reflection 6 "" -- --password "$PASSWORD"

firewall yes ""
start_server || exit 1
scenario "no --external-address (advertises $PRIVATE)" relay-address-private 6 "" -- --password "$PASSWORD"
start_server "${NAT_SERVER[@]}" --fault stall || exit 1
scenario "hung server (--fault stall)" no-stun-answer 3 "" -- --password "$PASSWORD"
stop_server

echo
echo "Lab scenarios in network namespaces ($(( $(date +%s) - BEGAN )) s)"
table
[ "$FAILED" = 0 ]
