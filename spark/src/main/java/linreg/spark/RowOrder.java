package linreg.spark;

import org.apache.spark.Partitioner;

/**
 * Where the rows go before the barrier stage: row i (counted in the input's order) to partition
 * i mod P, each partition sorted by i. So the partitioning depends on the input's order only,
 * and one partition holds every row in that order. (A barrier stage cannot follow a coalesce,
 * so the rows cross a shuffle either way.)
 */
final class RowOrder extends Partitioner {
    private final int partitions;

    RowOrder(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object index) {
        return (int) Long.remainderUnsigned((Long) index, partitions);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowOrder o && o.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
