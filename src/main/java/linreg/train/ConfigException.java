package linreg.train;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training setting that is out of range, by the name the configuration's JSON (and the
 * command line's flag) gives it: {@code lr must be a finite number > 0, got -1}. The requirement
 * may name other settings as {@code {momentum}}, so that the command line can say each by its flag.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final Pattern REFERENCE = Pattern.compile("\\{([a-z_]+)}");

    private final String setting;
    private final String requirement;
    private final Object value;

    /**
     * @param setting the setting's name, as in the configuration's JSON ("batch_size")
     * @param requirement what it must be ("must be at least 1"), other settings as {@code {name}}
     * @param value the value given, or null where the requirement relates settings
     */
    public ConfigException(String setting, String requirement, Object value) {
        super(text(setting, requirement, value, name -> name));
        this.setting = setting;
        this.requirement = requirement;
        this.value = value;
    }

    /** @throws ConfigException when {@code ok} is false: the one check every part of a configuration makes */
    public static void require(boolean ok, String setting, String requirement, Object value) {
        if (!ok) {
            throw new ConfigException(setting, requirement, value);
        }
    }

    public String setting() {
        return setting;
    }

    /** The value given, or null. */
    public Object value() {
        return value;
    }

    /** The message with every setting named by {@code name} (a flag for the command line), the value by {@code given}. */
    public String message(UnaryOperator<String> name, String given) {
        return text(setting, requirement, given, name);
    }

    private static String text(String setting, String requirement, Object value, UnaryOperator<String> name) {
        Matcher m = REFERENCE.matcher(requirement);
        StringBuilder s = new StringBuilder(name.apply(setting)).append(' ');
        while (m.find()) {
            m.appendReplacement(s, Matcher.quoteReplacement(name.apply(m.group(1))));
        }
        m.appendTail(s);
        return value == null ? s.toString() : s.append(", got ").append(value).toString();
    }
}
