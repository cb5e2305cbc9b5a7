package io.rtpm.ffm.abi;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rtpm.ffm.AbiVersion;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails when the committed jextract bindings drift from include/rtp_mgr_ioctl.h: compiles
 * src/test/c/abi_layout.c against the header with gcc, runs it, and compares every struct size,
 * field offset and size, and constant with the generated classes. Fix: run
 * rtpm-ffm/jextract/generate.sh and commit the result.
 */
class AbiDriftTest {

    private static final String FIX = " (the header changed: run rtpm-ffm/jextract/generate.sh and commit"
            + " io.rtpm.ffm.abi; list new fields/constants in src/test/c/abi_layout.c)";

    /** The generated structs, by C name. */
    private static final Map<String, GroupLayout> STRUCTS = Map.of(
            "rtpm_info", rtpm_info.layout(),
            "rtpm_attach", rtpm_attach.layout(),
            "rtpm_ring_ref", rtpm_ring_ref.layout(),
            "rtpm_config", rtpm_config.layout(),
            "rtpm_layout", rtpm_layout.layout(),
            "rtpm_slot_desc", rtpm_slot_desc.layout(),
            "rtpm_batch", rtpm_batch.layout(),
            "rtpm_stats", rtpm_stats.layout(),
            "rtpm_ring_header", rtpm_ring_header.layout(),
            "rtpm_slot_meta", rtpm_slot_meta.layout());

    /** The generated constants, by C name; ioctl numbers as the unsigned values C sees. */
    private static final Map<String, Long> CONSTANTS = constants();

    /** Macros of the header that are deliberately not bound (strings, helpers, the guard). */
    private static final Set<String> NOT_BOUND = Set.of("RTPM_DEVICE_NAME", "RTPM_DEVICE_PATH", "RTPM_IOC_MAGIC");

    private static final Map<String, Long> C_STRUCTS = new TreeMap<>();
    private static final Map<String, String> C_FIELDS = new TreeMap<>();
    private static final Map<String, Long> C_CONSTANTS = new TreeMap<>();

    private static Map<String, Long> constants() {
        Map<String, Long> m = new TreeMap<>();
        m.put("RTPM_ABI_MAJOR", u(RtpMgrIoctl.RTPM_ABI_MAJOR()));
        m.put("RTPM_ABI_MINOR", u(RtpMgrIoctl.RTPM_ABI_MINOR()));
        m.put("RTPM_RING_MAGIC", u(RtpMgrIoctl.RTPM_RING_MAGIC()));
        m.put("RTPM_ORDER_MIN", u(RtpMgrIoctl.RTPM_ORDER_MIN()));
        m.put("RTPM_ORDER_MAX", u(RtpMgrIoctl.RTPM_ORDER_MAX()));
        m.put("RTPM_PAYLOAD_MIN", u(RtpMgrIoctl.RTPM_PAYLOAD_MIN()));
        m.put("RTPM_PAYLOAD_MAX", u(RtpMgrIoctl.RTPM_PAYLOAD_MAX()));
        m.put("RTPM_SLOT_ALIGN", u(RtpMgrIoctl.RTPM_SLOT_ALIGN()));
        m.put("RTPM_BATCH_MAX", u(RtpMgrIoctl.RTPM_BATCH_MAX()));
        m.put("RTPM_ROLE_PRODUCER", u(RtpMgrIoctl.RTPM_ROLE_PRODUCER()));
        m.put("RTPM_ROLE_CONSUMER", u(RtpMgrIoctl.RTPM_ROLE_CONSUMER()));
        m.put("RTPM_ROLE_MONITOR", u(RtpMgrIoctl.RTPM_ROLE_MONITOR()));
        m.put("RTPM_ROLES_ALL", u(RtpMgrIoctl.RTPM_ROLES_ALL()));
        m.put("RTPM_DROP_TAIL", u(RtpMgrIoctl.RTPM_DROP_TAIL()));
        m.put("RTPM_DROP_HEAD", u(RtpMgrIoctl.RTPM_DROP_HEAD()));
        m.put("RTPM_CFG_NO_RTP_TRACKING", u(RtpMgrIoctl.RTPM_CFG_NO_RTP_TRACKING()));
        m.put("RTPM_CFG_ACCESS", u(RtpMgrIoctl.RTPM_CFG_ACCESS()));
        m.put("RTPM_CFG_FLAGS_ALL", u(RtpMgrIoctl.RTPM_CFG_FLAGS_ALL()));
        m.put("RTPM_ACCESS_MODE_ALL", u(RtpMgrIoctl.RTPM_ACCESS_MODE_ALL()));
        m.put("RTPM_ACCESS_DEFAULT", u(RtpMgrIoctl.RTPM_ACCESS_DEFAULT()));
        m.put("RTPM_SLOT_FREE", u(RtpMgrIoctl.RTPM_SLOT_FREE()));
        m.put("RTPM_SLOT_FILLING", u(RtpMgrIoctl.RTPM_SLOT_FILLING()));
        m.put("RTPM_SLOT_READY", u(RtpMgrIoctl.RTPM_SLOT_READY()));
        m.put("RTPM_SLOT_CONSUMED", u(RtpMgrIoctl.RTPM_SLOT_CONSUMED()));
        m.put("RTPM_META_RTP", u(RtpMgrIoctl.RTPM_META_RTP()));
        m.put("RTPM_META_NOT_RTP", u(RtpMgrIoctl.RTPM_META_NOT_RTP()));
        m.put("RTPM_POLL_STOPPED", u(RtpMgrIoctl.RTPM_POLL_STOPPED()));
        m.put("RTPM_STATE_RUNNING", u(RtpMgrIoctl.RTPM_STATE_RUNNING()));
        m.put("RTPM_IOC_INFO", RtpMgrIoctl.RTPM_IOC_INFO());
        m.put("RTPM_IOC_ATTACH", RtpMgrIoctl.RTPM_IOC_ATTACH());
        m.put("RTPM_IOC_DETACH", u(RtpMgrIoctl.RTPM_IOC_DETACH()));
        m.put("RTPM_IOC_CONFIGURE", RtpMgrIoctl.RTPM_IOC_CONFIGURE());
        m.put("RTPM_IOC_UNCONFIGURE", RtpMgrIoctl.RTPM_IOC_UNCONFIGURE());
        m.put("RTPM_IOC_GET_LAYOUT", RtpMgrIoctl.RTPM_IOC_GET_LAYOUT());
        m.put("RTPM_IOC_START", RtpMgrIoctl.RTPM_IOC_START());
        m.put("RTPM_IOC_STOP", RtpMgrIoctl.RTPM_IOC_STOP());
        m.put("RTPM_IOC_GET_STATS", RtpMgrIoctl.RTPM_IOC_GET_STATS());
        m.put("RTPM_IOC_RESET_STATS", RtpMgrIoctl.RTPM_IOC_RESET_STATS());
        m.put("RTPM_IOC_CLAIM", RtpMgrIoctl.RTPM_IOC_CLAIM());
        m.put("RTPM_IOC_PUSH", RtpMgrIoctl.RTPM_IOC_PUSH());
        m.put("RTPM_IOC_POP", RtpMgrIoctl.RTPM_IOC_POP());
        m.put("RTPM_IOC_RELEASE", RtpMgrIoctl.RTPM_IOC_RELEASE());
        m.put("RTPM_IOC_CLAIM_BATCH", RtpMgrIoctl.RTPM_IOC_CLAIM_BATCH());
        m.put("RTPM_IOC_PUSH_BATCH", RtpMgrIoctl.RTPM_IOC_PUSH_BATCH());
        m.put("RTPM_IOC_POP_BATCH", RtpMgrIoctl.RTPM_IOC_POP_BATCH());
        m.put("RTPM_IOC_RELEASE_BATCH", RtpMgrIoctl.RTPM_IOC_RELEASE_BATCH());
        return m;
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static Path moduleDir() {
        // Surefire runs in the module folder; the property covers other launchers.
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    @BeforeAll
    static void runTheCProgram() throws IOException, InterruptedException {
        Path module = moduleDir();
        Path include = module.resolve("../include").normalize();
        Path source = module.resolve("src/test/c/abi_layout.c");
        Path exe = module.resolve("target/abi_layout");
        Files.createDirectories(exe.getParent());
        run(module, "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", include.toString(),
                "-o", exe.toString(), source.toString());
        String out = run(module, exe.toString());
        Pattern line = Pattern.compile("(struct|field|const) (\\S+) (\\d+)(?: (\\d+))?");
        for (String l : out.split("\n")) {
            Matcher m = line.matcher(l);
            if (!m.matches()) {
                fail("unexpected line from abi_layout: '" + l + "'");
            }
            switch (m.group(1)) {
                case "struct" -> C_STRUCTS.put(m.group(2), Long.parseLong(m.group(3)));
                case "field" -> C_FIELDS.put(m.group(2), m.group(3) + "+" + m.group(4));
                default -> C_CONSTANTS.put(m.group(2), Long.parseUnsignedLong(m.group(3)));
            }
        }
        assertTrue(C_STRUCTS.size() >= 10 && C_CONSTANTS.size() >= 40, "abi_layout printed too little:\n" + out);
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd[0] + ": the drift test needs gcc (apt-get install gcc)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void structSizesMatchTheCompiler() {
        Map<String, Long> java = new TreeMap<>();
        STRUCTS.forEach((name, layout) -> java.put(name, layout.byteSize()));
        assertEquals(C_STRUCTS, java, "struct sizes" + FIX);
    }

    @Test
    void fieldOffsetsAndSizesMatchTheCompiler() {
        Map<String, String> java = new TreeMap<>();
        STRUCTS.forEach((name, layout) -> {
            for (MemoryLayout member : layout.memberLayouts()) {
                if (member instanceof PaddingLayout) {
                    continue;
                }
                String field = member.name().orElseThrow();
                long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
                java.put(name + "." + field, offset + "+" + member.byteSize());
            }
        });
        assertEquals(C_FIELDS, java, "field offset+size" + FIX);
    }

    @Test
    void constantsAndIoctlNumbersMatchTheCompiler() {
        assertEquals(C_CONSTANTS, CONSTANTS, "constants" + FIX);
    }

    @Test
    void theSpokenVersionIsTheHeadersMajorAndNoNewerMinor() {
        assertEquals(RtpMgrIoctl.RTPM_ABI_MAJOR(), AbiVersion.CURRENT.major());
        assertTrue(AbiVersion.CURRENT.minor() <= RtpMgrIoctl.RTPM_ABI_MINOR(),
                "AbiVersion.CURRENT " + AbiVersion.CURRENT + " is newer than the header's minor "
                        + RtpMgrIoctl.RTPM_ABI_MINOR());
    }

    @Test
    void everyMacroOfTheHeaderIsCheckedOrDeliberatelyUnbound() throws IOException {
        String header = Files.readString(moduleDir().resolve("../include/rtp_mgr_ioctl.h").normalize());
        Matcher m = Pattern.compile("(?m)^#define\\s+(RTPM_\\w+)").matcher(header);
        Set<String> unchecked = new TreeSet<>();
        while (m.find()) {
            String name = m.group(1);
            if (!C_CONSTANTS.containsKey(name) && !NOT_BOUND.contains(name)) {
                unchecked.add(name);
            }
        }
        assertEquals(Set.of(), unchecked, "macros neither bound nor listed as unbound" + FIX);
    }
}
