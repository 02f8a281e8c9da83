package io.projector.sfu.ice;

import java.net.DatagramSocket;
import java.nio.channels.DatagramChannel;

/**
 * One socket of the media port: the channel that owns it, the socket view its reader uses, and its descriptor
 * for batched sends (-1 when unknown).
 */
record BoundSocket(DatagramChannel channel, DatagramSocket socket, int fd, boolean ipv6) {}
