/** The TURN client library and the turn-check tool. */
package dev.turnlab.client;
