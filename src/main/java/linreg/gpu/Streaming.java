package linreg.gpu;

/** {@code --streaming}: whether the GPU engine streams host rows to the card instead of holding them there. */
public enum Streaming {
    /** Only when the in-memory run does not fit the card's free memory and the streamed one does. */
    auto,
    /** Always (small problems too: to test it). */
    on,
    /** Never: a run that does not fit the card fails with the sizes. */
    off
}
