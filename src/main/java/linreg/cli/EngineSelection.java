package linreg.cli;

import java.io.PrintWriter;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.train.Engines;
import linreg.train.Trainer;

/**
 * {@code --engine}: cpu, gpu, or auto (the GPU when a usable one is present, else the CPU with a
 * one-line notice on stderr that names why the GPU cannot be used).
 */
final class EngineSelection {
    private final TrainCommand.EngineChoice choice;
    private final int device;
    private final boolean quiet;
    private final PrintWriter err;

    EngineSelection(TrainCommand.EngineChoice choice, int device, boolean quiet, PrintWriter err) {
        this.choice = choice;
        this.device = device;
        this.quiet = quiet;
        this.err = err;
    }

    /** @throws GpuUnavailableException for {@code --engine gpu} without a usable GPU */
    Trainer trainer() {
        if (choice == TrainCommand.EngineChoice.cpu) {
            return Engines.cpu();
        }
        String reason = GpuProbe.unusableReason(device);
        if (reason == null) {
            return new GpuTrainer(device);
        }
        if (choice == TrainCommand.EngineChoice.gpu) {
            throw new GpuUnavailableException(reason);
        }
        if (!quiet) {
            err.println("linreg: no usable GPU (" + reason + "); training on the CPU");
        }
        return Engines.cpu();
    }
}
