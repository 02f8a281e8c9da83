package io.projector.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from Linux's /proc: what the server (or the generator itself)
 * costs. CPU is user + system time of all its threads; clock ticks are USER_HZ = 100 on Linux, the value the
 * kernel exports to user space on every architecture we run on.
 */
public final class ProcessSampler {
  private static final double TICKS_PER_SECOND = 100.0;

  private final long pid;

  public ProcessSampler(long pid) {
    this.pid = pid;
  }

  public static ProcessSampler self() {
    return new ProcessSampler(ProcessHandle.current().pid());
  }

  public long pid() {
    return pid;
  }

  /** User + system CPU seconds so far, or -1 when the process is gone. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // fields 14 and 15 of stat
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in bytes (VmRSS), or -1 when the process is gone. */
  public long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** Whether the process is a Java VM (its memory is then measured after a full GC, see LoadGenerator). */
  public boolean isJava() {
    try {
      String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
      return cmd.startsWith("java ") || cmd.contains("/java ") || cmd.contains("bin/java");
    } catch (IOException e) {
      return false;
    }
  }
}
