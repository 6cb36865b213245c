/** The report of {@code benchmarks/compare.sh}: turnlab's server against coturn, from the raw run files. */
package dev.turnlab.benchmarks.compare;
