package io.rtpm.ng.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Renders the catalog (NgKey, NgFlag, NgFlagPrefix) as the Markdown table of rtpm-ng/README.md. */
final class CatalogTable {

    private CatalogTable() {
    }

    static String render() {
        final StringBuilder sb = new StringBuilder("| group | kind | name (rtpengine's spellings) | note |\n")
                .append("| --- | --- | --- | --- |\n");
        for (Support s : Support.values()) {
            rows(sb, s, "key", NgKey.values(), NgKey::spec);
            rows(sb, s, "flag", NgFlag.values(), NgFlag::spec);
            rows(sb, s, "flag prefix", NgFlagPrefix.values(), NgFlagPrefix::spec);
        }
        return sb.toString();
    }

    private static <T> void rows(StringBuilder sb, Support s, String kind, T[] values, Function<T, OptionSpec> spec) {
        for (T v : values) {
            final OptionSpec o = spec.apply(v);
            if (o.support() == s) {
                final List<String> names = new ArrayList<>();
                for (String n : o.spellings()) {
                    names.add("`" + n + "`");
                }
                sb.append("| ").append(s.name().toLowerCase(java.util.Locale.ROOT)).append(" | ").append(kind)
                        .append(" | ").append(String.join(", ", names)).append(" | ")
                        .append(o.note().replace("|", "\\|")).append(" |\n");
            }
        }
    }
}
