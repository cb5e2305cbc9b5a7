/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPM_VM_SMOKE_H
#define RTPM_VM_SMOKE_H

/* One complete use of the device at dev; 0, or -1 after a line on stderr. See smoke.c. */
int smoke_use(const char *dev);

#endif
