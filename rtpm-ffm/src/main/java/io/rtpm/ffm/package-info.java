/**
 * The device API: open {@code /dev/rtp_mgr} (or the user-space ring), attach to a ring with roles,
 * configure, start, stop, read stats, and move packets through zero-copy slots.
 */
package io.rtpm.ffm;
