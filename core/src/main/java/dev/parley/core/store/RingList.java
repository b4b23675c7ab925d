package dev.parley.core.store;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A list kept in a ring: appends at the end and removals from the front cost O(1), indexing stays O(1) for the
 * binary searches of {@link Paging}. An ArrayList that drops its oldest element on each append moves every other
 * element each time: at a room's million-message cap, 8 MB per message.
 */
final class RingList<E> extends AbstractList<E> implements RandomAccess {
    private Object[] elements = new Object[16]; // length a power of two
    private int head;
    private int size;

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return (E) elements[(head + index) & (elements.length - 1)];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean add(E element) {
        if (size == elements.length) {
            Object[] grown = new Object[elements.length * 2];
            int firstPart = Math.min(size, elements.length - head);
            System.arraycopy(elements, head, grown, 0, firstPart);
            System.arraycopy(elements, 0, grown, firstPart, size - firstPart);
            elements = grown;
            head = 0;
        }
        elements[(head + size) & (elements.length - 1)] = element;
        size++;
        modCount++;
        return true;
    }

    /** Inserts at {@code index}, moving the later elements one place on: cheap only near the end. */
    @Override
    public void add(int index, E element) {
        if (index < 0 || index > size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        add(element); // grows when full and takes the last place
        int mask = elements.length - 1;
        for (int i = size - 1; i > index; i--) {
            elements[(head + i) & mask] = elements[(head + i - 1) & mask];
        }
        elements[(head + index) & mask] = element;
    }

    /** Drops the {@code n} oldest elements (all of them when there are fewer). */
    void removeFirst(int n) {
        int k = Math.min(n, size);
        for (int i = 0; i < k; i++) {
            elements[(head + i) & (elements.length - 1)] = null;
        }
        head = (head + k) & (elements.length - 1);
        size -= k;
        modCount++;
        if (size == 0 && elements.length > 1024) {
            elements = new Object[16]; // an emptied conversation gives its array back
            head = 0;
        }
    }

    @Override
    public void clear() {
        Arrays.fill(elements, null);
        head = 0;
        size = 0;
        modCount++;
    }
}
