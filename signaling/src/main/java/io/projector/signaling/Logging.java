package io.projector.signaling;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * One-line log format and levels. Levels: SEVERE = the process cannot serve; WARNING = a request or peer failed
 * unexpectedly; INFO = lifecycle (start, sessions, peers joining/leaving); FINE = diagnostics. Never per packet,
 * never a secret. ice4j's chatter is lowered to SEVERE, jitsi's and netty's to WARNING.
 */
final class Logging {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger[] QUIETED = {
      Logger.getLogger("org.ice4j"), Logger.getLogger("org.jitsi"), Logger.getLogger("io.netty")};

  private Logging() {}

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    for (Logger l : QUIETED) {
      l.setLevel(Level.WARNING);
    }
    // ice4j reports routine protocol events (checks on pairs it does not track, connector shutdowns) as
    // warnings; they are not actionable for an operator. Failures surface through our own peer logs.
    QUIETED[0].setLevel(Level.SEVERE);
  }
}
