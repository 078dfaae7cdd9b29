package linreg.data;

import java.util.List;

/**
 * What a report says about the samples a run trained on, whether they are on the host or only
 * on the GPU.
 *
 * @param trueW the true w of generated data, or null
 * @param trueB the true b of generated data, or NaN
 * @param hostBytes bytes of the samples on the Java heap before training
 * @param mappedBytes bytes of the samples read in place from a file through memory maps
 */
public record DataInfo(long samples, int features, String source, float[] trueW, float trueB,
        List<String> featureNames, String targetName, long hostBytes, long mappedBytes) {
    /** Samples that are not on the host (drawn on the GPU). */
    public DataInfo(long samples, int features, String source, float[] trueW, float trueB,
            List<String> featureNames, String targetName) {
        this(samples, features, source, trueW, trueB, featureNames, targetName, 0, 0);
    }

    /** The description of a host dataset. */
    public static DataInfo of(Dataset data) {
        return new DataInfo(data.samples(), data.features(), data.source(), data.trueW(), data.trueB(),
                data.featureNames(), data.targetName(), data.heapBytes(), data.mappedBytes());
    }

    /** Whether the true parameters are known. */
    public boolean hasTruth() {
        return trueW != null;
    }
}
