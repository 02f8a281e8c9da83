package io.projector.loadtest;

import io.projector.loadtest.media.Vp8Clip;
import io.projector.loadtest.signal.JanusVideoRoom;
import io.projector.loadtest.signal.Signaling;
import io.projector.loadtest.signal.WhipWhep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The load generator's command line: see {@link LoadConfig#USAGE}. */
public final class Main {
  static final String CLIP = "/vectors/screen-720p30.ivf";
  /** jitsi-srtp reports its AES provider choice at INFO; held here so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger JITSI_LOGS = java.util.logging.Logger.getLogger("org.jitsi");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    JITSI_LOGS.setLevel(java.util.logging.Level.WARNING);
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(LoadConfig.USAGE);
      return 0;
    }
    LoadConfig config;
    try {
      config = LoadConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(LoadConfig.USAGE);
      return 2;
    }
    try (Signaling signaling = connect(config);
        LoadGenerator generator = new LoadGenerator(config, signaling, Vp8Clip.load(CLIP), System.out, false)) {
      LoadRun run = LoadRun.execute(generator);
      System.out.println();
      System.out.print(Report.table(run));
      if (config.json() != null) {
        Files.writeString(Path.of(config.json()), Report.json(run, config));
      }
      if (config.untilThreshold()) {
        return run.sustained() == null ? 1 : 0;
      }
      return run.steps().isEmpty() || !run.steps().get(run.steps().size() - 1).passed() ? 1 : 0;
    } catch (IOException e) {
      System.err.println("load test failed: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
  }

  static Signaling connect(LoadConfig config) throws IOException, InterruptedException {
    if (config.target().equals("janus")) {
      return JanusVideoRoom.createRoom(config.server());
    }
    return WhipWhep.createSession(config.server());
  }
}
