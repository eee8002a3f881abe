package dev.switchboard.server;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.Map;

/**
 * Lets every flag be set from the environment: {@code --max-message-bytes} reads
 * {@code SWITCHBOARD_MAX_MESSAGE_BYTES}. A flag given on the command line still wins.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The variable that sets {@code --some-flag}: {@code SWITCHBOARD_SOME_FLAG}. */
    static String variableFor(String longestName) {
        String bare = longestName.replaceFirst("^-+", "");
        return "SWITCHBOARD_" + bare.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String value = environment.get(variableFor(option.longestName()));
        return value == null || value.isBlank() ? null : value;
    }
}
