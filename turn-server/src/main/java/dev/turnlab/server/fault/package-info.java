/**
 * Lab faults: switches that make the server misbehave the way a misconfigured or firewalled Expressway-E
 * does (a hung process, dropped or rejected ports, a blocked relay range, a wrong static NAT address,
 * refused Allocates, stale nonces, lossy or late media), set at start-up or at run time. The handlers read
 * one immutable {@link dev.turnlab.server.fault.Faults} snapshot per packet, so that with no fault on the
 * data path costs one field read.
 */
package dev.turnlab.server.fault;
