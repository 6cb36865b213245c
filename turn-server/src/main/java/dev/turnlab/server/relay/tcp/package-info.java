/**
 * TCP relays (RFC 6062): listening relayed transport addresses, connections to and from peers, their
 * CONNECTION-IDs, and the splicing of a peer data connection with the client data connection that binds it.
 * Internal to the server, not exported.
 */
package dev.turnlab.server.relay.tcp;
