package linreg.gpu;

import java.nio.FloatBuffer;

/**
 * The device side of a {@link ChunkStreamer}'s ring: per slot a pinned host buffer and a device
 * buffer, a copy stream and a compute stream, and the events that order them. The streamer
 * keeps the ring's rule; an implementation only queues ({@link CudaChunkLink} on a GPU, a fake
 * device in the tests). Closing frees every pinned buffer, after an error too.
 */
interface ChunkLink extends AutoCloseable {
    /** The pinned host buffer of {@code slot}: {@link StreamPlan#slotFloats()} floats. */
    FloatBuffer pinned(int slot);

    /**
     * Queues, on the copy stream, the copy of the slot's first {@code floats} pinned floats to its
     * device buffer, after the compute that last read that device buffer; then marks the copy done.
     */
    void copy(int slot, int floats);

    /** Blocks until the last copy from the slot's pinned buffer is done: the buffer may be refilled. */
    void awaitCopied(int slot);

    /**
     * Queues, on the compute stream after the slot's copy, {@code work} on the slot's device
     * buffer; then marks the slot's device buffer free again.
     */
    void compute(int slot, Runnable work);

    /** Frees the pinned buffers (and the device's events and streams). */
    @Override
    void close();
}
