#!/usr/bin/env bash
# The release's soak and attack suite: the fuzzers with a longer budget, then the soak classes against the
# server jar in a process of its own (soak/README.md). Everything runs on 127.0.0.1; every loop is bounded in
# count and time; every server process is ended by its PID, also when the run is interrupted.
#
#   soak/run.sh                 # short: about 2 min of fuzzing and 4-5 min of soak
#   FUZZ_SECONDS=3600 SOAK_SECONDS=3600 SOAK_CHURN_CYCLES=200 soak/run.sh   # a release night
set -uo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B}
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
SOAK_SECONDS=${SOAK_SECONDS:-40}
SOAK_ALLOCATIONS=${SOAK_ALLOCATIONS:-6000}
SOAK_CHURN_CYCLES=${SOAK_CHURN_CYCLES:-5}
SOAK_ATTACK_SECONDS=${SOAK_ATTACK_SECONDS:-80}

echo "== building the server jar"
$MVN -q -pl turn-codec,turn-server,turn-client,soak -am package -DskipTests || exit 1

echo "== fuzzing every target for ${FUZZ_SECONDS} s"
$MVN -pl turn-codec,turn-server test-compile surefire:test@fuzz -Dfuzz.seconds="$FUZZ_SECONDS"
fuzz=$?

echo "== soak: ${SOAK_ALLOCATIONS} allocations for ${SOAK_SECONDS} s, ${SOAK_CHURN_CYCLES} churn cycles, ${SOAK_ATTACK_SECONDS} s of TCP attack"
$MVN -pl soak -am test -Dtest='*Soak' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsoak.seconds="$SOAK_SECONDS" -Dsoak.allocations="$SOAK_ALLOCATIONS" \
    -Dsoak.churnCycles="$SOAK_CHURN_CYCLES" -Dsoak.attackSeconds="$SOAK_ATTACK_SECONDS" \
    | tee target-soak.log | grep -E '^SOAK |Tests run:|FAIL|departures|still open|back to|whole range' 
soak=${PIPESTATUS[0]}

echo "== fuzz exit $fuzz, soak exit $soak (full soak log: target-soak.log)"
[ "$fuzz" -eq 0 ] && [ "$soak" -eq 0 ]
