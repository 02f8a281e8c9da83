package io.projector.sfu.ice;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

/**
 * The one UDP port that carries all media (STUN, DTLS, RTP, RTCP) for every peer.
 *
 * <p>One ice4j {@link SinglePortUdpHarvester} is bound per local address, all on the same port. ice4j's own
 * host harvesting skips loopback, so we enumerate the addresses ourselves: that way a browser on the same
 * machine reaches us on 127.0.0.1 and operators can restrict binding to chosen addresses.
 */
public final class MediaPort implements AutoCloseable {
  static {
    Ice4jDefaults.apply();
  }

  private final List<SinglePortUdpHarvester> harvesters;
  private final int port;

  private MediaPort(List<SinglePortUdpHarvester> harvesters, int port) {
    this.harvesters = harvesters;
    this.port = port;
  }

  /**
   * Binds {@code port} on each address; with port 0 the first bind picks a free port and the others reuse it.
   *
   * @param bindAddresses addresses to bind, or empty for every address of every interface that is up
   */
  public static MediaPort open(List<InetAddress> bindAddresses, int port) throws IOException {
    List<InetAddress> addresses = bindAddresses.isEmpty() ? localAddresses() : bindAddresses;
    if (addresses.isEmpty()) {
      throw new IOException("no local address to bind the media port on");
    }
    IOException last = null;
    // With port 0 another process may grab the chosen port on a second address: retry a few times.
    for (int attempt = 0; attempt < (port == 0 ? 5 : 1); attempt++) {
      List<SinglePortUdpHarvester> bound = new ArrayList<>();
      int chosenPort = port;
      try {
        for (InetAddress address : addresses) {
          SinglePortUdpHarvester h =
              new SinglePortUdpHarvester(new TransportAddress(address, chosenPort, Transport.UDP));
          chosenPort = h.getLocalAddress().getPort();
          bound.add(h);
        }
        return new MediaPort(Collections.unmodifiableList(bound), chosenPort);
      } catch (IOException e) {
        bound.forEach(AbstractUdpListener::close);
        last = new IOException("cannot bind media port " + port + " on " + addresses + ": " + e.getMessage(), e);
      }
    }
    throw last;
  }

  /** Every usable address of every interface that is up, loopback included, IPv6 link-local excluded. */
  static List<InetAddress> localAddresses() throws SocketException {
    List<InetAddress> result = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet6Address && (a.isLinkLocalAddress() || ((Inet6Address) a).getScopeId() != 0
            && !a.isLoopbackAddress())) {
          continue;
        }
        result.add(a);
      }
    }
    return result;
  }

  public int port() {
    return port;
  }

  List<SinglePortUdpHarvester> harvesters() {
    return harvesters;
  }

  /** The addresses actually bound, for logs and diagnostics. */
  public List<String> boundAddresses() {
    List<String> out = new ArrayList<>();
    for (SinglePortUdpHarvester h : harvesters) {
      out.add(h.getLocalAddress().getHostAddress() + ":" + h.getLocalAddress().getPort());
    }
    return out;
  }

  @Override
  public void close() {
    harvesters.forEach(AbstractUdpListener::close);
  }
}
