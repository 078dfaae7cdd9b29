package linreg.gpu;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test class (or method) that needs a usable GPU 0: tagged "gpu", and where the GPU engine
 * cannot run, every test in it is reported skipped with the reason, in the console and in the
 * surefire report. An assumption in {@code @BeforeAll} cannot do that: the class is aborted before
 * any test is seen and is reported as "Tests run: 0" with no reason.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(RequiresGpu.Condition.class)
public @interface RequiresGpu {
    /** The strategies the tests need (none: any strategy at all). */
    Strategy[] value() default {};

    /**
     * Disables the class (or method) with the reason, which surefire's report gives each test;
     * prints it once per class too, as surefire's console shows no skip reasons.
     */
    final class Condition implements ExecutionCondition {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RequiresGpu.class);

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            // Probed once per test run: the answer does not change, and a GPU probe is not free.
            Strategy[] strategies = AnnotationSupport.findAnnotation(context.getElement(), RequiresGpu.class)
                    .map(RequiresGpu::value).orElse(new Strategy[0]);
            Optional<?> probed = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                    "reason " + Arrays.toString(strategies), key -> Optional.ofNullable(GpuTestSupport.skipReason(strategies)),
                    Optional.class);
            String reason = (String) probed.orElse(null);
            if (reason == null) {
                return ConditionEvaluationResult.enabled("GPU 0 is usable");
            }
            if (context.getTestMethod().isEmpty()) {
                System.out.println(context.getDisplayName() + ": " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
