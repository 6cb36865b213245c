package dev.turnlab.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** A value a converter of this package refuses; its message is the value and what was expected. */
public final class InvalidValueException extends TypeConversionException {

    /** Refuses {@code value}, saying what was {@code expected}: {@code soon (expected: a duration such as 10s)}. */
    public InvalidValueException(String value, String expected) {
        super(value + " (expected: " + expected + ")");
    }

    /**
     * The one line a command prints for {@code e}: {@code --timeout: soon (expected: ...)} when a converter of
     * this package refused the value, else picocli's own message.
     */
    public static String describe(ParameterException e) {
        if (e.getCause() instanceof InvalidValueException invalid) {
            ArgSpec arg = e.getArgSpec();
            String name = arg instanceof OptionSpec option ? option.longestName() : arg == null ? null : arg.paramLabel();
            return name == null ? invalid.getMessage() : name + ": " + invalid.getMessage();
        }
        return e.getMessage();
    }
}
