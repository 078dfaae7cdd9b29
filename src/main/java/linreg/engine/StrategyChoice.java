package linreg.engine;

/** {@code --strategy}: the GPU strategy the user asks for, or auto (the cost model's pick). */
public enum StrategyChoice { auto, pipeline, fused }
