package dev.turnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** A refused value reads as {@code --option: value (expected: ...)}; picocli's own errors stay as they were. */
class InvalidValueExceptionTest {

    @Command(name = "test")
    static final class Options {
        @Option(names = {"-t", "--timeout"}, converter = DurationConverter.Positive.class)
        Duration timeout;

        @Option(names = "--server", converter = HostPortConverter.class)
        InetSocketAddress server;

        @Option(names = "--count")
        int count;
    }

    private static String describe(String... args) {
        try {
            new CommandLine(new Options()).parseArgs(args);
        } catch (ParameterException e) {
            return InvalidValueException.describe(e);
        }
        throw new AssertionError("parsed: " + String.join(" ", args));
    }

    @Test
    void aRefusedValueNamesTheOptionByItsLongestName() {
        assertThat(describe("-t", "soon")).isEqualTo("--timeout: soon (expected: a positive duration such as 5s or 800ms)");
        assertThat(describe("--server=::1:80"))
                .isEqualTo("--server: ::1:80 (expected: HOST:PORT with PORT 1-65535, an IPv6 address in brackets)");
    }

    @Test
    void picocliMessagesAreLeftAsTheyAre() {
        assertThat(describe("--count", "x")).isEqualTo("Invalid value for option '--count': 'x' is not an int");
        assertThat(describe("--frobnicate")).isEqualTo("Unknown option: '--frobnicate'");
    }

    @Test
    void convertedValuesArriveTyped() {
        Options o = new Options();
        new CommandLine(o).parseArgs("--timeout", "800ms", "--server", "[::1]:3478");

        assertThat(o.timeout).isEqualTo(Duration.ofMillis(800));
        assertThat(o.server).isEqualTo(new InetSocketAddress("::1", 3478));
    }
}
