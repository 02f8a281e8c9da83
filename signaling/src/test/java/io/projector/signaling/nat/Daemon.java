package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A long-running process (coturn, the SFU) inside a namespace, its output in a log file, stopped on close. */
final class Daemon implements AutoCloseable {
  private final String name;
  private final Process process;
  final Path log;

  private Daemon(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code cmd} in {@code ns}. {@code ip netns exec} execs the command, so the process we hold is the
   * daemon itself.
   *
   * @param env extra environment (how secrets are passed: never on a command line, which ps shows)
   */
  static Daemon start(String name, String ns, List<String> cmd, Map<String, String> env, Path log)
      throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    return new Daemon(name, pb.start(), log);
  }

  /** Polls {@code ready} until it holds; fails early if the process dies, with the end of its log. */
  void await(BooleanSupplier ready, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + timeoutMs + " ms:\n" + tail());
      }
      Thread.sleep(100); // poll interval, not synchronisation: the loop re-checks the condition
    }
  }

  /**
   * Copies the log to {@code target/<fileName>} of the module, so it outlives the lab's temporary directory for a
   * failure's diagnosis. Never fails the caller.
   */
  void keepLog(String fileName) {
    try {
      Path keep = Path.of(System.getProperty("basedir", "."), "target", fileName);
      Files.createDirectories(keep.getParent());
      Files.copy(log, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println(name + ": could not keep the log: " + e);
    }
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  String tail() {
    String out = output();
    return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
