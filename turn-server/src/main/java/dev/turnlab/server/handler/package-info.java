/** Request handling (RFC 8489 §6.3, RFC 8656 §7-§11) and the Netty handlers of the listening sockets. */
package dev.turnlab.server.handler;
