package io.projector.sfu.udp;

/**
 * Where a peer's datagrams go, as {@code sendmmsg} takes it: the local socket's descriptor and the encoded
 * destination ({@link SockAddr#encode}).
 */
public record NativeRoute(int fd, byte[] sockaddr) {}
