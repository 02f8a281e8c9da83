package io.projector.signaling;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar signaling/target/projector.jar [--http-port N] [--media-port N] [--public-ip IP]}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Logging.configure();
    ServerConfig config;
    try {
      config = ServerConfig.load(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("projector: " + e.getMessage());
      System.exit(2);
      return;
    }
    ProjectorServer.start(config).onSuccess(server -> {
      String host = config.httpHost().equals("0.0.0.0") ? "127.0.0.1" : config.httpHost();
      Logger.getLogger("projector").info(String.format(
          "Projector is up: open http://%s:%d/ to present | HTTP port %d | media UDP port %d on %s",
          host, server.httpPort(), server.httpPort(), server.mediaPort(), server.media().boundAddresses()));
      Logger.getLogger("projector").info(server.iceServers().describe());
      server.media().warmUp().thenRun(() -> Logger.getLogger("projector").info(
          "ready for traffic: start-up warm-up done (GET /health/ready answers 200)"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }).onFailure(err -> {
      Logger.getLogger("projector").log(Level.SEVERE, "projector failed to start: " + err.getMessage());
      System.exit(1);
    });
  }
}
