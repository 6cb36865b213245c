package dev.turnlab.client.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every failure the lab rehearses, reproduced on loopback with our server's lab faults: turn-check must
 * give each its diagnosis code and exit code. The table is printed whether the scenarios pass or not,
 * so that {@code lab/scenarios.sh loopback} shows it to a lab engineer.
 */
class LoopbackScenariosTest {

    @Test
    void turnCheckDiagnosesEveryLabFault() {
        List<LoopbackScenarios.Outcome> outcomes = new ArrayList<>();
        for (LabScenario scenario : LoopbackScenarios.all()) {
            outcomes.add(LoopbackScenarios.run(scenario));
        }
        String table = LoopbackScenarios.table(outcomes);
        System.out.println("\nLab scenarios on loopback\n" + table);

        StringBuilder failures = new StringBuilder();
        outcomes.stream().filter(o -> !o.passed()).forEach(o -> failures.append("\n--- ").append(o.scenario().name())
                .append(": faults ").append(o.scenario().faults())
                .append(", turn-check ").append(String.join(" ", o.args()))
                .append('\n').append(o.report()));
        assertThat(failures).as(table).isEmpty();
    }
}
