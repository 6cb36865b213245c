/** Codec micro-benchmarks and the relay load generator. */
package dev.turnlab.benchmarks;
