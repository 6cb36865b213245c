/**
 * A cluster of servers that share one Redis (through Lettuce): the link to Redis, with every command bounded
 * in time and nothing waiting on a Redis that is down; this server as a node ({@link
 * dev.turnlab.server.cluster.ClusterNode}): the registry its heartbeats write and read, the redirect choice
 * over it, and the user quota counted over the nodes. Internal: {@link dev.turnlab.server.ClusterConfig} is the
 * public face.
 */
package dev.turnlab.server.cluster;
