package io.projector.sfu.srtp;

/**
 * Open-addressing map from SSRC to crypto context. Avoids the Integer boxing (an allocation per packet for most
 * SSRC values) that a HashMap lookup would cost on the hot path. Single-threaded; no removal needed.
 */
final class SsrcTable<T> {
    private static final int INITIAL_CAPACITY = 16;

    private int[] keys = new int[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        int mask = keys.length - 1;
        for (int i = slot(ssrc, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == ssrc) {
                return (T) values[i];
            }
        }
        return null;
    }

    /** Inserts or replaces. */
    void put(int ssrc, T value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if ((size + 1) * 4 > keys.length * 3) { // keep load factor <= 3/4 so probes stay short
            resize();
        }
        insert(keys, values, ssrc, value);
    }

    int size() {
        return size;
    }

    private void insert(int[] ks, Object[] vs, int ssrc, Object value) {
        int mask = ks.length - 1;
        int i = slot(ssrc, mask);
        while (vs[i] != null && ks[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (vs[i] == null) {
            size++;
        }
        ks[i] = ssrc;
        vs[i] = value;
    }

    private void resize() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                insert(keys, values, oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(int ssrc, int mask) {
        int h = ssrc * 0x9E3779B9; // Fibonacci hashing spreads sequential SSRCs
        return (h ^ (h >>> 16)) & mask;
    }
}
