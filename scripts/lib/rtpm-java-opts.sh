# shellcheck shell=bash
# Sourced by ./rtpm (and the benchmarks): the JVM options rtpm runs with beyond the module path,
# in one place. Today that is the JDK AOT cache (JEP 483/514/515): classes loaded and linked, and
# the method profiles of a training run (io.rtpm.cli.AotTraining), so a fresh rtpm reaches
# compiled code sooner. docs/perf/cold-start.md measures what it changes.
#
#   rtpm_cli_jar ROOT        prints the CLI jar Maven builds;  rtpm_lib_dir ROOT: its dependencies' folder
#   rtpm_module_path ROOT    prints the module path rtpm runs from (the CLI jar and its lib/)
#   rtpm_java_opts ROOT      prints the extra JVM options, one per line (nothing without a valid cache)
#   rtpm_aot_stale ROOT      true when the cache should be (re)built: missing or older than the jars,
#                            another JDK, and no failed attempt for these jars
#   rtpm_aot_build ROOT      one training run; the cache next to the jars; 1 on failure (log kept),
#                            2 when another rtpm is training right now
#   rtpm_aot_train JAVA MP OUT LOG   the training run itself (deploy/rtpm-aot-cache uses it too)
#
# ROOT is a checkout with rtpm-cli/target built. JAVA_HOME must be set (rtpm_pick_jdk).
# The cache only serves a JVM started like the training one: --enable-native-access=io.rtpm.ffm,
# -p CLI_JAR:LIB (absolute or relative), main module io.rtpm.cli. RTPM_AOT=0 turns it off.

rtpm_cli_jar() { printf '%s\n' "$1/rtpm-cli/target/rtpm-cli-0.1.0-SNAPSHOT.jar"; }
rtpm_lib_dir() { printf '%s\n' "$1/rtpm-cli/target/lib"; }
rtpm_module_path() { printf '%s\n' "$(rtpm_cli_jar "$1"):$(rtpm_lib_dir "$1")"; }

rtpm_aot_file() { printf '%s\n' "$1/rtpm-cli/target/rtpm.aot"; }

# what the cache was made with: this JDK's path and build (a cache serves one JDK build only)
rtpm_aot_jdk_id() {
	printf '%s %s\n' "$JAVA_HOME" "$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$JAVA_HOME/release" 2>/dev/null)"
}

# true when FILE exists and no jar of the module path is newer
rtpm_aot_newer_than_jars() { # FILE ROOT
	[ -f "$1" ] || return 1
	[ -z "$(find "$2/rtpm-cli/target" -maxdepth 2 -name '*.jar' \
		\( -path "$2/rtpm-cli/target/*.jar" -o -path "$2/rtpm-cli/target/lib/*.jar" \) \
		-newer "$1" -print -quit)" ]
}

rtpm_aot_valid() { # ROOT
	local f
	f=$(rtpm_aot_file "$1")
	[ "${RTPM_AOT:-1}" != 0 ] && [ -s "$f" ] && rtpm_aot_newer_than_jars "$f" "$1" &&
		[ "$(cat "$f.jdk" 2>/dev/null)" = "$(rtpm_aot_jdk_id)" ]
}

rtpm_java_opts() { # ROOT
	if rtpm_aot_valid "$1"; then
		printf '%s\n' "-XX:AOTCache=$(rtpm_aot_file "$1")"
	fi
}

rtpm_aot_stale() { # ROOT
	local f
	f=$(rtpm_aot_file "$1")
	[ "${RTPM_AOT:-1}" != 0 ] || return 1
	rtpm_aot_valid "$1" && return 1
	# a training run that failed for these jars and this JDK is not retried on every start
	! { rtpm_aot_newer_than_jars "$f.failed" "$1" && [ "$(head -n1 "$f.failed")" = "$(rtpm_aot_jdk_id)" ]; }
}

# One training run: JAVA with the module path MP (as the cache's users will give it) writes the
# cache OUT, atomically (a concurrent reader sees the old file or none); the output goes to LOG.
# The JVM writes a cache even when the training failed: then no OUT, and 1.
rtpm_aot_train() { # JAVA MP OUT LOG
	local java=$1 mp=$2 out=$3 log=$4 tmp="$3.tmp.$$" rc=0
	"$java" --enable-native-access=io.rtpm.ffm -XX:AOTCacheOutput="$tmp" -p "$mp" \
		-m io.rtpm.cli/io.rtpm.cli.AotTraining >"$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ] && [ -s "$tmp" ]; then
		chmod 0644 "$tmp" && mv -f "$tmp" "$out" && return 0
	fi
	rm -f "$tmp" "$tmp.config"
	return 1
}

# The checkout's cache; another rtpm already training makes this one return 2 at once.
rtpm_aot_build() { # ROOT
	local root=$1 f rc=0
	f=$(rtpm_aot_file "$root")
	exec 9>"$f.lock" || return 1
	flock -n 9 || { exec 9>&-; return 2; }
	rm -f "$f" "$f.jdk" "$f.failed"
	if rtpm_aot_train "$JAVA_HOME/bin/java" "$(rtpm_module_path "$root")" "$f" "$f.log"; then
		# the stamp comes last: a cache without it is not used yet
		rtpm_aot_jdk_id >"$f.jdk"
	else
		{ rtpm_aot_jdk_id; cat "$f.log"; } >"$f.failed"
		rc=1
	fi
	exec 9>&-
	return "$rc"
}
