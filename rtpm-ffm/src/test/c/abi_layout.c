// SPDX-License-Identifier: MIT
/*
 * abi_layout.c - prints the layout of include/rtp_mgr_ioctl.h as the C compiler sees it:
 * every struct size, every field offset and size, every constant. AbiDriftTest compiles and
 * runs it and compares the output with the jextract bindings.
 *
 * Output lines:
 *   struct <name> <size>
 *   field <struct>.<field> <offset> <size>
 *   const <NAME> <value as unsigned decimal>
 *
 * It fails (exit 1) when a struct's listed fields do not cover it exactly: the header forbids
 * implicit padding, so a gap means a field is missing from this list.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "rtp_mgr_ioctl.h"

static size_t covered;
static int failed;

#define STRUCT(s) \
	do { \
		printf("struct %s %zu\n", #s, sizeof(struct s)); \
		covered = 0; \
	} while (0)
#define FIELD(s, f) \
	do { \
		printf("field %s.%s %zu %zu\n", #s, #f, offsetof(struct s, f), \
		       sizeof(((struct s *)0)->f)); \
		covered += sizeof(((struct s *)0)->f); \
	} while (0)
#define END(s) \
	do { \
		if (covered != sizeof(struct s)) { \
			fprintf(stderr, "abi_layout: struct %s has %zu bytes but the listed fields cover %zu: list its new fields here\n", \
				#s, sizeof(struct s), covered); \
			failed = 1; \
		} \
	} while (0)
#define CONST(c) printf("const %s %llu\n", #c, (unsigned long long)(c))

int main(void)
{
	STRUCT(rtpm_info);
	FIELD(rtpm_info, abi_major);
	FIELD(rtpm_info, abi_minor);
	FIELD(rtpm_info, max_rings);
	FIELD(rtpm_info, order_min);
	FIELD(rtpm_info, order_max);
	FIELD(rtpm_info, payload_min);
	FIELD(rtpm_info, payload_max);
	FIELD(rtpm_info, slot_align);
	FIELD(rtpm_info, max_ring_bytes);
	FIELD(rtpm_info, max_total_bytes);
	FIELD(rtpm_info, used_total_bytes);
	FIELD(rtpm_info, batch_max);
	FIELD(rtpm_info, header_size);
	FIELD(rtpm_info, slot_meta_size);
	FIELD(rtpm_info, page_size);
	FIELD(rtpm_info, max_rings_per_user);
	FIELD(rtpm_info, reserved);
	END(rtpm_info);

	STRUCT(rtpm_attach);
	FIELD(rtpm_attach, ring_id);
	FIELD(rtpm_attach, roles);
	FIELD(rtpm_attach, abi_major);
	FIELD(rtpm_attach, abi_minor);
	FIELD(rtpm_attach, reserved);
	END(rtpm_attach);

	STRUCT(rtpm_ring_ref);
	FIELD(rtpm_ring_ref, ring_id);
	FIELD(rtpm_ring_ref, reserved);
	END(rtpm_ring_ref);

	STRUCT(rtpm_config);
	FIELD(rtpm_config, ring_id);
	FIELD(rtpm_config, order);
	FIELD(rtpm_config, max_payload);
	FIELD(rtpm_config, drop_policy);
	FIELD(rtpm_config, flags);
	FIELD(rtpm_config, access_gid);
	FIELD(rtpm_config, access_mode);
	FIELD(rtpm_config, reserved);
	END(rtpm_config);

	STRUCT(rtpm_layout);
	FIELD(rtpm_layout, ring_id);
	FIELD(rtpm_layout, order);
	FIELD(rtpm_layout, slot_count);
	FIELD(rtpm_layout, slot_stride);
	FIELD(rtpm_layout, max_payload);
	FIELD(rtpm_layout, header_size);
	FIELD(rtpm_layout, meta_size);
	FIELD(rtpm_layout, drop_policy);
	FIELD(rtpm_layout, flags);
	FIELD(rtpm_layout, reserved0);
	FIELD(rtpm_layout, mmap_size);
	FIELD(rtpm_layout, header_offset);
	FIELD(rtpm_layout, slots_offset);
	FIELD(rtpm_layout, owner_uid);
	FIELD(rtpm_layout, access_gid);
	FIELD(rtpm_layout, access_mode);
	FIELD(rtpm_layout, reserved1);
	FIELD(rtpm_layout, reserved);
	END(rtpm_layout);

	STRUCT(rtpm_slot_desc);
	FIELD(rtpm_slot_desc, index);
	FIELD(rtpm_slot_desc, len);
	END(rtpm_slot_desc);

	STRUCT(rtpm_batch);
	FIELD(rtpm_batch, ring_id);
	FIELD(rtpm_batch, count);
	FIELD(rtpm_batch, descs);
	FIELD(rtpm_batch, done);
	FIELD(rtpm_batch, dropped);
	FIELD(rtpm_batch, reserved);
	END(rtpm_batch);

	STRUCT(rtpm_stats);
	FIELD(rtpm_stats, ring_id);
	FIELD(rtpm_stats, state);
	FIELD(rtpm_stats, slot_count);
	FIELD(rtpm_stats, configured);
	FIELD(rtpm_stats, pushed);
	FIELD(rtpm_stats, popped);
	FIELD(rtpm_stats, released);
	FIELD(rtpm_stats, bytes_in);
	FIELD(rtpm_stats, bytes_out);
	FIELD(rtpm_stats, overruns);
	FIELD(rtpm_stats, drops);
	FIELD(rtpm_stats, head_drops);
	FIELD(rtpm_stats, flushed);
	FIELD(rtpm_stats, reclaimed);
	FIELD(rtpm_stats, aborted);
	FIELD(rtpm_stats, underruns);
	FIELD(rtpm_stats, rtp_lost);
	FIELD(rtpm_stats, rtp_duplicates);
	FIELD(rtpm_stats, rtp_reorders);
	FIELD(rtpm_stats, rtp_resets);
	FIELD(rtpm_stats, rtp_not_rtp);
	FIELD(rtpm_stats, invalid);
	FIELD(rtpm_stats, free);
	FIELD(rtpm_stats, filling);
	FIELD(rtpm_stats, ready);
	FIELD(rtpm_stats, in_flight);
	FIELD(rtpm_stats, rtp_ssrc);
	FIELD(rtpm_stats, rtp_max_seq);
	FIELD(rtpm_stats, sessions);
	FIELD(rtpm_stats, mappings);
	FIELD(rtpm_stats, reserved);
	END(rtpm_stats);

	STRUCT(rtpm_ring_header);
	FIELD(rtpm_ring_header, magic);
	FIELD(rtpm_ring_header, abi_major);
	FIELD(rtpm_ring_header, abi_minor);
	FIELD(rtpm_ring_header, ring_id);
	FIELD(rtpm_ring_header, order);
	FIELD(rtpm_ring_header, slot_count);
	FIELD(rtpm_ring_header, slot_stride);
	FIELD(rtpm_ring_header, max_payload);
	FIELD(rtpm_ring_header, slots_offset);
	FIELD(rtpm_ring_header, mmap_size);
	FIELD(rtpm_ring_header, meta_size);
	FIELD(rtpm_ring_header, drop_policy);
	FIELD(rtpm_ring_header, flags);
	FIELD(rtpm_ring_header, reserved0);
	FIELD(rtpm_ring_header, pushed);
	FIELD(rtpm_ring_header, bytes_in);
	FIELD(rtpm_ring_header, state);
	FIELD(rtpm_ring_header, free);
	FIELD(rtpm_ring_header, drops);
	FIELD(rtpm_ring_header, overruns);
	FIELD(rtpm_ring_header, reserved1);
	FIELD(rtpm_ring_header, popped);
	FIELD(rtpm_ring_header, released);
	FIELD(rtpm_ring_header, bytes_out);
	FIELD(rtpm_ring_header, ready);
	FIELD(rtpm_ring_header, in_flight);
	FIELD(rtpm_ring_header, reserved2);
	FIELD(rtpm_ring_header, rtp_lost);
	FIELD(rtpm_ring_header, rtp_duplicates);
	FIELD(rtpm_ring_header, rtp_reorders);
	FIELD(rtpm_ring_header, rtp_resets);
	FIELD(rtpm_ring_header, rtp_not_rtp);
	FIELD(rtpm_ring_header, rtp_ssrc);
	FIELD(rtpm_ring_header, rtp_max_seq);
	FIELD(rtpm_ring_header, reserved3);
	END(rtpm_ring_header);

	STRUCT(rtpm_slot_meta);
	FIELD(rtpm_slot_meta, state);
	FIELD(rtpm_slot_meta, len);
	FIELD(rtpm_slot_meta, rtp_seq);
	FIELD(rtpm_slot_meta, rtp_timestamp);
	FIELD(rtpm_slot_meta, rtp_ssrc);
	FIELD(rtpm_slot_meta, flags);
	FIELD(rtpm_slot_meta, push_ns);
	FIELD(rtpm_slot_meta, user_tag);
	FIELD(rtpm_slot_meta, reserved);
	END(rtpm_slot_meta);

	CONST(RTPM_ABI_MAJOR);
	CONST(RTPM_ABI_MINOR);
	CONST(RTPM_RING_MAGIC);
	CONST(RTPM_ORDER_MIN);
	CONST(RTPM_ORDER_MAX);
	CONST(RTPM_PAYLOAD_MIN);
	CONST(RTPM_PAYLOAD_MAX);
	CONST(RTPM_SLOT_ALIGN);
	CONST(RTPM_BATCH_MAX);
	CONST(RTPM_ROLE_PRODUCER);
	CONST(RTPM_ROLE_CONSUMER);
	CONST(RTPM_ROLE_MONITOR);
	CONST(RTPM_ROLES_ALL);
	CONST(RTPM_DROP_TAIL);
	CONST(RTPM_DROP_HEAD);
	CONST(RTPM_CFG_NO_RTP_TRACKING);
	CONST(RTPM_CFG_ACCESS);
	CONST(RTPM_CFG_FLAGS_ALL);
	CONST(RTPM_ACCESS_MODE_ALL);
	CONST(RTPM_ACCESS_DEFAULT);
	CONST(RTPM_SLOT_FREE);
	CONST(RTPM_SLOT_FILLING);
	CONST(RTPM_SLOT_READY);
	CONST(RTPM_SLOT_CONSUMED);
	CONST(RTPM_META_RTP);
	CONST(RTPM_META_NOT_RTP);
	CONST(RTPM_POLL_STOPPED);
	CONST(RTPM_STATE_RUNNING);
	CONST(RTPM_IOC_INFO);
	CONST(RTPM_IOC_ATTACH);
	CONST(RTPM_IOC_DETACH);
	CONST(RTPM_IOC_CONFIGURE);
	CONST(RTPM_IOC_UNCONFIGURE);
	CONST(RTPM_IOC_GET_LAYOUT);
	CONST(RTPM_IOC_START);
	CONST(RTPM_IOC_STOP);
	CONST(RTPM_IOC_GET_STATS);
	CONST(RTPM_IOC_RESET_STATS);
	CONST(RTPM_IOC_CLAIM);
	CONST(RTPM_IOC_PUSH);
	CONST(RTPM_IOC_POP);
	CONST(RTPM_IOC_RELEASE);
	CONST(RTPM_IOC_CLAIM_BATCH);
	CONST(RTPM_IOC_PUSH_BATCH);
	CONST(RTPM_IOC_POP_BATCH);
	CONST(RTPM_IOC_RELEASE_BATCH);

	if (fflush(stdout) != 0)
		return 1;
	return failed;
}
