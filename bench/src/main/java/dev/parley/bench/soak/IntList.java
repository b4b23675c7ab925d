package dev.parley.bench.soak;

import java.util.Arrays;

/** A growable list of ints: a soak's records stay numbers, not strings, so a long run fits a small heap. */
final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int i) {
        return values[i];
    }

    void set(int i, int value) {
        values[i] = value;
    }

    int size() {
        return size;
    }
}
