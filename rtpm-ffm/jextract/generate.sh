#!/usr/bin/env bash
# Regenerates the committed FFM bindings of include/rtp_mgr_ioctl.h (package io.rtpm.ffm.abi)
# with jextract from PATH. Run it after changing the header, then commit the result; the drift
# test (AbiDriftTest) fails until the bindings match the header again.
# Usage: rtpm-ffm/jextract/generate.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
HEADER="$ROOT/include/rtp_mgr_ioctl.h"
OUT="$ROOT/rtpm-ffm/src/main/java"
PKG_DIR="$OUT/io/rtpm/ffm/abi"

if ! command -v jextract >/dev/null; then
	cat >&2 <<'MSG'
generate.sh: jextract is not on PATH. It is on no package registry: build it from
https://github.com/openjdk/jextract (outside this repository) for JDK 25 and put its launcher on
PATH. It needs libclang (Debian: libclang1-19 libclang-common-19-dev). See rtpm-ffm/README.md.
MSG
	exit 2
fi

# Only what the backends use: the structs, the ioctl numbers and the constants of the header.
STRUCTS="rtpm_info rtpm_attach rtpm_ring_ref rtpm_config rtpm_layout rtpm_slot_desc rtpm_batch
  rtpm_stats rtpm_ring_header rtpm_slot_meta"
CONSTANTS="RTPM_ABI_MAJOR RTPM_ABI_MINOR RTPM_RING_MAGIC
  RTPM_ORDER_MIN RTPM_ORDER_MAX RTPM_PAYLOAD_MIN RTPM_PAYLOAD_MAX RTPM_SLOT_ALIGN RTPM_BATCH_MAX
  RTPM_ROLE_PRODUCER RTPM_ROLE_CONSUMER RTPM_ROLE_MONITOR RTPM_ROLES_ALL
  RTPM_DROP_TAIL RTPM_DROP_HEAD RTPM_CFG_NO_RTP_TRACKING RTPM_CFG_ACCESS RTPM_CFG_FLAGS_ALL
  RTPM_ACCESS_MODE_ALL RTPM_ACCESS_DEFAULT
  RTPM_SLOT_FREE RTPM_SLOT_FILLING RTPM_SLOT_READY RTPM_SLOT_CONSUMED
  RTPM_META_RTP RTPM_META_NOT_RTP RTPM_POLL_STOPPED RTPM_STATE_RUNNING
  RTPM_IOC_INFO RTPM_IOC_ATTACH RTPM_IOC_DETACH RTPM_IOC_CONFIGURE RTPM_IOC_UNCONFIGURE
  RTPM_IOC_GET_LAYOUT RTPM_IOC_START RTPM_IOC_STOP RTPM_IOC_GET_STATS RTPM_IOC_RESET_STATS
  RTPM_IOC_CLAIM RTPM_IOC_PUSH RTPM_IOC_POP RTPM_IOC_RELEASE
  RTPM_IOC_CLAIM_BATCH RTPM_IOC_PUSH_BATCH RTPM_IOC_POP_BATCH RTPM_IOC_RELEASE_BATCH"

args=(--target-package io.rtpm.ffm.abi --header-class-name RtpMgrIoctl --output "$OUT")
# <asm/ioctl.h> sits in the multiarch folder, which libclang alone does not search.
multiarch=$(gcc -print-multiarch 2>/dev/null || true)
[ -n "$multiarch" ] && [ -d "/usr/include/$multiarch" ] && args+=(-I "/usr/include/$multiarch")
for s in $STRUCTS; do args+=(--include-struct "$s"); done
for c in $CONSTANTS; do args+=(--include-constant "$c"); done

# Generated files are replaced whole; package-info.java is ours.
find "$PKG_DIR" -maxdepth 1 -name '*.java' ! -name package-info.java -delete 2>/dev/null || true
jextract "${args[@]}" "$HEADER"
echo "generate.sh: regenerated $(find "$PKG_DIR" -name '*.java' ! -name package-info.java | wc -l) files in ${PKG_DIR#"$ROOT"/}"
