/**
 * Internals shared by the backends: the libc bindings ({@link io.rtpm.ffm.internal.Libc}), errno
 * names and the errno-to-exception mapping. Not exported; nothing here is API.
 */
package io.rtpm.ffm.internal;
