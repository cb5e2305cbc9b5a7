/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What gen writes into each packet after the 12-byte RTP header, for sink: a 32-bit packet
 * index (big-endian; the RTP sequence number wraps at 65536) and the send time in ns since the
 * epoch (CLOCK_REALTIME, host byte order: both ends run on this host).
 */
#ifndef RELAY_LOAD_WIRE_H
#define RELAY_LOAD_WIRE_H

#define WIRE_INDEX	12
#define WIRE_STAMP	16
#define WIRE_MIN	24

#endif
