package linreg.spark;

import java.util.Map;
import linreg.data.Dataset;
import linreg.gpu.DeviceDataset;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuSession;
import linreg.gpu.Strategy;
import linreg.train.Engines;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.apache.spark.resource.ResourceInformation;

/**
 * The core's engine a task trains its partition's epochs with: the GPU that Spark's resource
 * scheduling gave the task (its data uploaded once and kept there between epochs), else the CPU.
 */
abstract class TaskEngine implements AutoCloseable {
    /** The resource name of GPUs in Spark's scheduling ({@code spark.task.resource.gpu.amount}). */
    static final String GPU = "gpu";

    /** "cpu", or "gpu N" with the CUDA device index. */
    abstract String name();

    /** Trains one epoch's configuration ({@link linreg.train.ResumedEpoch}) on the partition. */
    abstract TrainResult train(TrainConfig epoch);

    @Override
    public void close() {
    }

    /**
     * The engine for {@code choice} (cpu, gpu, auto). auto takes the GPU only when Spark assigned
     * one to the task; gpu takes the assigned one, or device 0 without resource scheduling
     * (local mode), and fails when it cannot be used.
     *
     * @throws linreg.gpu.GpuUnavailableException for gpu without a usable GPU
     */
    static TaskEngine open(String choice, Dataset data, TrainConfig run, Map<String, ResourceInformation> resources) {
        ResourceInformation gpus = resources.get(GPU);
        boolean assigned = gpus != null && gpus.addresses().length > 0;
        if (choice.equals("cpu") || (choice.equals("auto") && !assigned)) {
            return cpu(data);
        }
        int device = assigned ? Integer.parseInt(gpus.addresses()[0].trim()) : 0;
        if (choice.equals("auto") && GpuProbe.unusableReason(device) != null) {
            return cpu(data);
        }
        return new Gpu(device, data, run);
    }

    private static TaskEngine cpu(Dataset data) {
        return new TaskEngine() {
            @Override
            String name() {
                return "cpu";
            }

            @Override
            TrainResult train(TrainConfig epoch) {
                return Engines.cpu().train(data, epoch);
            }
        };
    }

    /** One GPU session for the whole fit: the rows cross to the device once. Not yet run on a GPU. */
    private static final class Gpu extends TaskEngine {
        private final int device;
        private final GpuSession session;
        private final DeviceDataset rows;
        private final Strategy strategy;

        Gpu(int device, Dataset data, TrainConfig run) {
            this.device = device;
            this.session = GpuSession.open(device);
            try {
                this.strategy = session.strategies().available().get(0);
                session.checkMemory(data.samples(), data.features(), data.weighted(), run, false, strategy);
                this.rows = session.upload(data);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        }

        @Override
        String name() {
            return "gpu " + device;
        }

        @Override
        TrainResult train(TrainConfig epoch) {
            return session.train(rows, epoch, EpochListener.NONE, strategy);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
