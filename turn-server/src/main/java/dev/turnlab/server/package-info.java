/** The TURN relay server (RFC 8656) on turn-codec. */
package dev.turnlab.server;
