package io.rtpm.ng.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** rtpm-ng/README.md's table of keys and flags is the catalog the parser uses, row for row. */
class CatalogDocTest {

    private static final String START = "<!-- catalog:start (CatalogDocTest) -->\n";
    private static final String END = "<!-- catalog:end -->";

    @Test
    void theReadmeTableIsTheCatalog() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "README.md"));
        int from = readme.indexOf(START);
        int to = readme.indexOf(END);
        assertTrue(from >= 0 && to > from, "README.md has no catalog markers");
        String table = CatalogTable.render();
        assertEquals(table, readme.substring(from + START.length(), to),
                "README.md's catalog table differs from NgKey/NgFlag/NgFlagPrefix; the table should be:\n" + table);
    }
}
