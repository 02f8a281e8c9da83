package io.projector.sfu.srtp;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Bytes the current thread has allocated on the heap so far, from the JVM's own per-thread counter. */
public final class ThreadAllocation {
  /** Why an allocation test is skipped when run outside Maven. */
  public static final String ONLY_WITHOUT_ESCAPE_ANALYSIS =
      "allocation counts are exact only with -XX:-DoEscapeAnalysis (mvn test passes it)";
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ThreadAllocation() {}

  /** Whether this JVM counts per-thread allocation (HotSpot does, unless switched off). */
  public static boolean supported() {
    return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
  }

  /**
   * Whether every allocation the code makes is counted, whatever the JIT has compiled so far: HotSpot with escape
   * analysis off (the sfu-core pom runs the allocation tests so). With it on, the C2 compiler removes some
   * short-lived objects once a method is hot, so a count depends on how far compilation has got.
   */
  public static boolean countsEveryAllocation() {
    if (!supported()) {
      return false;
    }
    HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    try {
      return hotSpot != null && "false".equals(hotSpot.getVMOption("DoEscapeAnalysis").getValue());
    } catch (IllegalArgumentException e) {
      return false; // not HotSpot's compiler
    }
  }

  public static long bytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Bytes another (live) thread has allocated so far. */
  public static long bytesOf(Thread thread) {
    return THREADS.getThreadAllocatedBytes(thread.getId());
  }
}
