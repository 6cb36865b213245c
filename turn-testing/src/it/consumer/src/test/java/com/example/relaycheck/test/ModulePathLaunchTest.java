package com.example.relaycheck.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnlab.testing.tools.FreePorts;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as its users start it, {@code java -p … -m com.example.relaycheck/…}: unlike in these
 * tests, where every test dependency is in the module graph, only what the descriptors require is
 * resolved there (so not Bouncy Castle's PKIX module, which dev.turnlab.server requires only statically).
 */
class ModulePathLaunchTest {

    @Test
    void mainEmbedsAServerAndChecksIt(@TempDir Path dir) throws Exception {
        String testModulePath = System.getProperty("jdk.module.path");
        assertNotNull(testModulePath, "the tests run on the module path");
        String modulePath = Arrays.stream(testModulePath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        FreePorts.Block relayPorts = FreePorts.udpBlock(8);
        Path output = dir.resolve("output.txt");

        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath,
                "--module", "com.example.relaycheck/com.example.relaycheck.EmbeddedRelay",
                relayPorts.min() + "-" + relayPorts.max())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(main.waitFor(60, TimeUnit.SECONDS), "main did not finish within 60 s");
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, main.exitValue(), printed);
            assertTrue(printed.contains("relayed \"hello through the relay\" from /127.0.0.1:"), printed);
        } finally {
            main.destroyForcibly();
        }
    }
}
