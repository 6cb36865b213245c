/** {@code turn-check}'s command line (picocli), the entry point of {@code turn-check.jar}. */
package dev.turnlab.client.cli;
