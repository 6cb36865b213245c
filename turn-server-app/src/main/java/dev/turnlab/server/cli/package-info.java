/** {@code java -jar turn-server.jar}: the command line of the TURN server. */
package dev.turnlab.server.cli;
