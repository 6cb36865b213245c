/**
 * A cluster of servers that share one Redis (through Lettuce): the link to Redis, with every command bounded
 * in time and nothing waiting on a Redis that is down. Internal: {@link dev.turnlab.server.ClusterConfig}
 * is the public face.
 */
package dev.turnlab.server.cluster;
