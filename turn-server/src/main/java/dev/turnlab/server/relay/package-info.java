/** The relay data path (RFC 8656 §10, §12) and the policy that decides which peers may be reached. */
package dev.turnlab.server.relay;
