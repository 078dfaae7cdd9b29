package linreg.spark;

/**
 * Hands a Spark ML stage its uid before its superclass's constructor runs. Spark's shared
 * params (featuresCol, labelCol, ...) are created in that constructor and record
 * {@code parent.uid()} then; a Scala stage has its uid by then, a Java one has not yet run a
 * line of its own. So the public constructor stages the uid here, in its {@code this(...)}
 * call, and {@code uid()} takes it on its first call.
 */
final class PendingUid {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    private PendingUid() {}

    /** Stages {@code uid} for the constructor about to run on this thread. */
    static Void stage(String uid) {
        NEXT.set(uid);
        return null;
    }

    /** The staged uid, once. */
    static String take() {
        String uid = NEXT.get();
        NEXT.remove();
        return uid;
    }
}
