package io.projector.signaling.nat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short system commands (ip, iptables, conntrack, openssl) with a deadline; failures say what failed. */
final class Sh {
  private static final long TIMEOUT_S = 30;

  private Sh() {}

  /** Runs {@code cmd}; returns its standard output, throws with its error output on a non-zero exit. */
  static String run(String... cmd) {
    Result r = exec(List.of(cmd));
    if (r.exit != 0) {
      throw new IllegalStateException("command failed (" + r.exit + "): " + String.join(" ", cmd) + "\n" + r.err);
    }
    return r.out;
  }

  /** Runs {@code cmd} inside network namespace {@code ns}. */
  static String in(String ns, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(Arrays.asList(cmd));
    return run(full.toArray(String[]::new));
  }

  /** Best effort (clean-up): never throws. */
  static boolean tryRun(String... cmd) {
    try {
      return exec(List.of(cmd)).exit == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether an executable of this name is on the PATH (or in the usual sbin directories). */
  static boolean available(String name) {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  record Result(int exit, String out, String err) {}

  static Result exec(List<String> cmd) {
    try {
      // Output goes to files, so that a command that hangs cannot block us past the deadline.
      Path out = Files.createTempFile("pjnat-cmd", ".out");
      Path err = Files.createTempFile("pjnat-cmd", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(-1, Files.readString(out), "timed out after " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return new Result(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }
}
