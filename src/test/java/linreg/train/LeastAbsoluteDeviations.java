package linreg.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import linreg.data.Dataset;

/**
 * The exact least-absolute-deviations fit of a dataset, and the exact quantile-regression fit, as
 * a linear program solved by simplex (Apache Commons Math): minimise Σ(τ·e⁺ᵢ + (1 − τ)·e⁻ᵢ)
 * subject to xᵢ·(w⁺ − w⁻) + (b⁺ − b⁻) + e⁺ᵢ − e⁻ᵢ = yᵢ, every variable ≥ 0 (e⁺ − e⁻ = y − p, so
 * the objective is the pinball loss; the LAD fit is τ = 1/2 with both costs 1). In float64, on
 * the features as given.
 */
public final class LeastAbsoluteDeviations {
    private LeastAbsoluteDeviations() {}

    /** The optimal mean |residual|, Σ|r| / n. */
    public static double optimalMae(Dataset data) {
        return optimum(data, 1, 1);
    }

    /** The optimal mean pinball loss at level τ, Σ ρ_τ(y − p) / n. */
    public static double optimalPinball(Dataset data, double tau) {
        return optimum(data, tau, 1 - tau);
    }

    /** The least Σ(above·e⁺ + below·e⁻) / n, e⁺ − e⁻ = y − p. */
    private static double optimum(Dataset data, double above, double below) {
        int n = data.samples();
        int d = data.features();
        int params = d + 1;
        int variables = 2 * params + 2 * n;
        double[] cost = new double[variables];
        for (int i = 0; i < n; i++) {
            cost[2 * params + i] = above;
            cost[2 * params + n + i] = below;
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] row = new double[variables];
            for (int j = 0; j < d; j++) {
                row[j] = data.x()[i * d + j];
                row[params + j] = -data.x()[i * d + j];
            }
            row[d] = 1;
            row[params + d] = -1;
            row[2 * params + i] = 1;
            row[2 * params + n + i] = -1;
            constraints.add(new LinearConstraint(row, Relationship.EQ, data.y()[i]));
        }
        PointValuePair best = new SimplexSolver().optimize(new MaxIter(100_000),
                new LinearObjectiveFunction(cost, 0), new LinearConstraintSet(constraints), GoalType.MINIMIZE,
                new NonNegativeConstraint(true));
        return best.getValue() / n;
    }
}
