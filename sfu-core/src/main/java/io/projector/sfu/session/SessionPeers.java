package io.projector.sfu.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is in a session, as its worker thread sees it: the presenter (null while there is none) and the viewers,
 * connected or not. The packet path reads it for every packet; only the worker thread changes it.
 */
final class SessionPeers {
  Peer presenter;
  final List<Peer> viewers = new ArrayList<>();
}
