#!/usr/bin/env bash
# The lab's failure scenarios, each checked with turn-check, as a table.
#   lab/scenarios.sh loopback   no root: our server with lab faults on 127.0.0.1 (the JUnit test LoopbackScenariosTest)
#   lab/scenarios.sh netns      root: real firewalls and NAT in network namespaces (lab/netns-scenarios.sh)
#   lab/scenarios.sh all        both
# Maven flags come from MVN_FLAGS (default: -B -q; add -o when the dependencies are already downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn_flags <<< "${MVN_FLAGS:--B -q}"

loopback() {
    mvn "${mvn_flags[@]}" -pl turn-client -am test -Dtest=LoopbackScenariosTest -Dsurefire.failIfNoSpecifiedTests=false
}

netns() {
    if [ ! -f turn-server-app/target/turn-server.jar ] || [ ! -f turn-client-app/target/turn-check.jar ]; then
        mvn "${mvn_flags[@]}" -pl turn-server,turn-client -am package -DskipTests
    fi
    lab/netns-scenarios.sh
}

case "${1:-}" in
    loopback) loopback ;;
    netns) netns ;;
    all) loopback && netns ;;
    *) echo "usage: lab/scenarios.sh loopback|netns|all" >&2; exit 2 ;;
esac
