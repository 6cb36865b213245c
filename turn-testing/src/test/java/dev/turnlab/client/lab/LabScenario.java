package dev.turnlab.client.lab;

import java.util.List;

/**
 * One failure a lab rehearses: how the server is made to fail, how turn-check is run against it, and
 * what turn-check must say.
 *
 * @param name the scenario's name in the table
 * @param expressway whether the server runs the Expressway-E profile (realm TANDBERG, 431 on a wrong
 *     password, user expturncreds) rather than the standard one (realm turnlab, 401, user alice)
 * @param faults the server's lab faults ({@code NAME[=VALUE]}), none for a healthy server
 * @param checkArgs turn-check's options beyond the server, the credentials and the common ones
 * @param expectedCode the diagnosis code turn-check must put first, or null when it must find nothing
 * @param expectedExit turn-check's exit code
 * @param errorCode the STUN error code the report must carry (the answer to Allocate), or 0
 */
record LabScenario(String name, boolean expressway, List<String> faults, List<String> checkArgs, String expectedCode,
        int expectedExit, int errorCode) {

    LabScenario {
        faults = List.copyOf(faults);
        checkArgs = List.copyOf(checkArgs);
    }

    /** What the table shows as expected. */
    String expected() {
        return (expectedCode == null ? "(none)" : expectedCode) + (errorCode == 0 ? "" : " (" + errorCode + ")")
                + " / exit " + expectedExit;
    }
}
