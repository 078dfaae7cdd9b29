package linreg.engine;

/** {@code --engine}: the GPU when some strategy can run there, else the CPU (auto); or one of them. */
public enum EngineChoice { auto, cpu, gpu }
