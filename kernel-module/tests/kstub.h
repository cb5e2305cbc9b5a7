/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kstub.h - the few kernel names rtp_mgr_ring.h uses, for host unit tests.
 * Each maps to its plain C or GCC equivalent; nothing here has logic.
 */
#ifndef _RTPM_KSTUB_H
#define _RTPM_KSTUB_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;

/* One store through a volatile lvalue, like the kernel's WRITE_ONCE. */
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#endif /* _RTPM_KSTUB_H */
