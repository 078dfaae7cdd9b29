package linreg.gpu;

/**
 * Counts the copies between host and device, so that tests can check that a training run
 * copies back only each epoch's loss and the final parameters.
 */
public final class TransferLog {
    private long toDeviceCopies;
    private long toDeviceBytes;
    private long toHostCopies;
    private long toHostBytes;

    void toDevice(long bytes) {
        toDeviceCopies++;
        toDeviceBytes += bytes;
    }

    void toHost(long bytes) {
        toHostCopies++;
        toHostBytes += bytes;
    }

    public long toDeviceCopies() {
        return toDeviceCopies;
    }

    public long toDeviceBytes() {
        return toDeviceBytes;
    }

    public long toHostCopies() {
        return toHostCopies;
    }

    public long toHostBytes() {
        return toHostBytes;
    }

    /** A copy of the counters as they are now. */
    public TransferLog snapshot() {
        return minus(new TransferLog());
    }

    /** The copies made since {@code earlier} was taken. */
    public TransferLog minus(TransferLog earlier) {
        TransferLog s = new TransferLog();
        s.toDeviceCopies = toDeviceCopies - earlier.toDeviceCopies;
        s.toDeviceBytes = toDeviceBytes - earlier.toDeviceBytes;
        s.toHostCopies = toHostCopies - earlier.toHostCopies;
        s.toHostBytes = toHostBytes - earlier.toHostBytes;
        return s;
    }
}
