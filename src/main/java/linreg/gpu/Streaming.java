package linreg.gpu;

import linreg.train.TrainConfig;

/** {@code --streaming}: whether the GPU engine streams host rows to the card instead of holding them there. */
public enum Streaming {
    /** Only when the in-memory run does not fit the card's free memory and the streamed one does. */
    auto,
    /** Always (small problems too: to test it). */
    on,
    /** Never: a run that does not fit the card fails with the sizes. */
    off;

    /**
     * Why a run of {@code config} (on weighted rows when {@code weighted}) cannot stream, or null:
     * what {@link StreamingTrainer} does not take yet. The one check: {@code --streaming on} is
     * refused with it, {@code auto} then holds the rows on the card.
     */
    public static String unsupported(TrainConfig config, boolean weighted) {
        return config.holdOut().validates() ? "--validation: streaming does not hold out rows yet; train without --validation"
                : config.optimiser().averages() ? "--average: streaming does not average the parameters yet; train without --average"
                : weighted ? "--weights: streaming does not carry sample weights yet; train with --streaming off (or auto)"
                : null;
    }
}
