package io.projector.loadtest.signal;

/** The viewer's side of an SDP exchange, in whichever direction the server wants it. */
public interface ViewerSdp {

  /** The viewer's own offer (receive-only video and audio), for servers that take offers (WHEP). */
  String offer();

  /** The viewer's answer to a server's offer, for servers that make offers (Janus VideoRoom). */
  String answer(String remoteOffer);
}
