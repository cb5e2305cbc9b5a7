# shellcheck shell=bash
# Sourced by the project's scripts: picks a JDK >= 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it qualifies, then Temurin 25's Debian path.
rtpm_java_major() { # $1 = a java binary; prints its feature version
	"$1" -XshowSettings:properties -version 2>&1 |
		sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

rtpm_pick_jdk() {
	local c v
	for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
		[ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
		v=$(rtpm_java_major "$c/bin/java")
		if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
			export JAVA_HOME="$c"
			export PATH="$c/bin:$PATH"
			return 0
		fi
	done
	echo "rtpm: no JDK 25 or newer found: set JAVA_HOME to one (tried \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
	return 1
}
