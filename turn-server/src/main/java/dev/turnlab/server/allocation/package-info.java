/** Allocations (RFC 8656 §2.2): 5-tuples, permissions, channel bindings, lifetimes, relay ports and quotas. */
package dev.turnlab.server.allocation;
