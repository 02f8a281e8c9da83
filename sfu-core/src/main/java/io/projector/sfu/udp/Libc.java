package io.projector.sfu.udp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** Binds a class's {@code native} methods to libc through JNA's direct mapping, where our struct layouts hold. */
final class Libc {
  private Libc() {}

  /**
   * Registers {@code bindings}' native methods on Linux on 64-bit x86 or ARM (the layouts the callers use).
   *
   * @return null when bound, otherwise why not (for the start-up log)
   */
  static String register(Class<?> bindings, String what) {
    String arch = System.getProperty("os.arch", "");
    if (!Platform.isLinux() || !Platform.is64Bit() || !(arch.equals("amd64") || arch.equals("x86_64")
        || arch.equals("aarch64"))) {
      return "not Linux on x86-64 or aarch64 (" + System.getProperty("os.name") + " " + arch + ")";
    }
    try {
      Native.register(bindings, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
      return null;
    } catch (Throwable e) { // UnsatisfiedLinkError, or JNA's native part missing
      return "libc's " + what + " not reachable through JNA: " + e;
    }
  }
}
