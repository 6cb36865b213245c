package dev.turnlab.benchmarks.compare;

import java.util.Arrays;
import java.util.Collection;

/**
 * The median and range of one figure over the rounds: what the report prints as {@code median [min–max]}.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
record Spread(double median, double min, double max, int count) {

    /** The spread of at least one value. */
    static Spread of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** Whether this range and that one share at least one value. */
    boolean overlaps(Spread other) {
        return min <= other.max && other.min <= max;
    }

    /** This median over that one, or NaN when that one is zero (no meaningful ratio). */
    double ratioTo(Spread other) {
        return other.median == 0 ? Double.NaN : median / other.median;
    }

    @Override
    public String toString() {
        return median + " " + Arrays.toString(new double[] {min, max});
    }
}
