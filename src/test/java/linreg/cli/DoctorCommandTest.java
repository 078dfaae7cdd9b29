package linreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import linreg.gpu.GpuProbe;
import linreg.gpu.Strategy;
import org.junit.jupiter.api.Test;

/** {@code linreg doctor}: the same facts as text and, with --json, as one object. */
class DoctorCommandTest {
    @Test
    void jsonHoldsWhatTheTextSays() {
        Cli.Run text = Cli.run("doctor");
        Cli.Run json = Cli.run("doctor", "--json");
        assertEquals(0, text.code(), text.err());
        assertEquals(0, json.code(), json.err());
        assertEquals(1, json.out().strip().lines().count(), json.out());
        JsonObject j = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(Runtime.getRuntime().availableProcessors(), j.get("cpu_cores").getAsInt());
        for (String library : new String[] {"libcuda.so.1", "libcurand.so.10", "libcublas.so.11"}) {
            JsonObject lib = j.getAsJsonObject("libraries").getAsJsonObject(library);
            assertTrue(text.out().contains(library + ": " + (lib.get("loaded").getAsBoolean() ? "loaded from " : "not loaded: ")
                    + lib.get("detail").getAsString()), library + " in\n" + text.out());
        }
        String reason = GpuProbe.unusableReason(0);
        assertEquals(reason == null, j.get("gpu_unusable_reason").isJsonNull(), json.out());
        for (Strategy s : Strategy.values()) {
            JsonObject st = j.getAsJsonObject("strategies").getAsJsonObject(s.name());
            String line = "strategy " + s + ": " + (st.get("available").getAsBoolean() ? "available"
                    : "unavailable: " + st.get("reason").getAsString());
            assertTrue(text.out().contains(line + "\n"), line + " in\n" + text.out());
        }
        assertEquals(j.getAsJsonArray("gpus").size(), GpuProbe.driver().devices().size());
        assertTrue(text.out().contains(j.get("cost_model").getAsString()), text.out());
    }
}
