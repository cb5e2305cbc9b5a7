package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The OpenSSL 3 libcrypto calls rtpm's AES-GCM needs (EVP, {@code libcrypto.so.3}: Debian's
 * libssl3), bound once through FFM.
 *
 * <p>Every pointer is passed as its address in a {@code long} (the same register on LP64): a
 * packet starts at an offset in a ring slot, and slicing the slot's segment per call would be an
 * object per packet. The callers own the bounds: these calls check nothing. The per-packet
 * calls (init, update, final, ctrl) are {@code critical}: none blocks or calls back into Java, so
 * the thread-state transition is skipped. The wrappers return the C result (1 on success for EVP, 0 on failure); OpenSSL keeps
 * no errno.
 *
 * <p>Loading the class fails with {@link UnsatisfiedLinkError}, saying what to install, when
 * libcrypto.so.3 is absent.
 */
public final class LibCrypto {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup CRYPTO = lookup();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    private static final MethodHandle CTX_NEW = bind("EVP_CIPHER_CTX_new", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle CTX_FREE = bind("EVP_CIPHER_CTX_free", FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final MethodHandle AES_128_GCM = bind("EVP_aes_128_gcm", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle AES_256_GCM = bind("EVP_aes_256_gcm", FunctionDescriptor.of(JAVA_LONG));
    // int EVP_EncryptInit_ex(EVP_CIPHER_CTX *, const EVP_CIPHER *, ENGINE *, const unsigned char *key, const unsigned char *iv)
    private static final FunctionDescriptor INIT = FunctionDescriptor.of(JAVA_INT,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle ENCRYPT_INIT = bind("EVP_EncryptInit_ex", INIT, CRITICAL);
    private static final MethodHandle DECRYPT_INIT = bind("EVP_DecryptInit_ex", INIT, CRITICAL);
    // int EVP_EncryptUpdate(EVP_CIPHER_CTX *, unsigned char *out, int *outl, const unsigned char *in, int inl)
    private static final FunctionDescriptor UPDATE = FunctionDescriptor.of(JAVA_INT,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle ENCRYPT_UPDATE = bind("EVP_EncryptUpdate", UPDATE, CRITICAL);
    private static final MethodHandle DECRYPT_UPDATE = bind("EVP_DecryptUpdate", UPDATE, CRITICAL);
    // int EVP_EncryptFinal_ex(EVP_CIPHER_CTX *, unsigned char *out, int *outl)
    private static final FunctionDescriptor FINAL = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle ENCRYPT_FINAL = bind("EVP_EncryptFinal_ex", FINAL, CRITICAL);
    private static final MethodHandle DECRYPT_FINAL = bind("EVP_DecryptFinal_ex", FINAL, CRITICAL);
    // int EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX *, int type, int arg, void *ptr)
    private static final MethodHandle CTX_CTRL = bind("EVP_CIPHER_CTX_ctrl",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);

    /** {@code EVP_CTRL_GCM_GET_TAG} (openssl/evp.h): copy the tag out after Final. */
    public static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    /** {@code EVP_CTRL_GCM_SET_TAG}: the expected tag, before DecryptFinal. */
    public static final int EVP_CTRL_GCM_SET_TAG = 0x11;

    private LibCrypto() {
    }

    @SuppressWarnings("restricted") // binding libcrypto is this class's purpose
    private static SymbolLookup lookup() {
        try {
            return SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("libcrypto.so.3 (OpenSSL 3) not found: rtpm's AES-GCM SRTP needs it;"
                    + " on Debian install libssl3 (scripts/setup-host java)");
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = CRYPTO.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libcrypto.so.3 has no symbol '" + name + "': rtpm needs OpenSSL 3"));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** @return a new {@code EVP_CIPHER_CTX *}, or 0 when out of memory */
    public static long EVP_CIPHER_CTX_new() {
        try {
            return (long) CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Frees a context (0 is ignored, as in C). */
    public static void EVP_CIPHER_CTX_free(long ctx) {
        try {
            CTX_FREE.invokeExact(ctx);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return {@code EVP_aes_128_gcm()}, a static cipher description */
    public static long EVP_aes_128_gcm() {
        try {
            return (long) AES_128_GCM.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return {@code EVP_aes_256_gcm()} */
    public static long EVP_aes_256_gcm() {
        try {
            return (long) AES_256_GCM.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success */
    public static int EVP_EncryptInit_ex(long ctx, long cipher, long engine, long key, long iv) {
        try {
            return (int) ENCRYPT_INIT.invokeExact(ctx, cipher, engine, key, iv);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success */
    public static int EVP_DecryptInit_ex(long ctx, long cipher, long engine, long key, long iv) {
        try {
            return (int) DECRYPT_INIT.invokeExact(ctx, cipher, engine, key, iv);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success; {@code out} 0 feeds AAD */
    public static int EVP_EncryptUpdate(long ctx, long out, long outl, long in, int inl) {
        try {
            return (int) ENCRYPT_UPDATE.invokeExact(ctx, out, outl, in, inl);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success; {@code out} 0 feeds AAD */
    public static int EVP_DecryptUpdate(long ctx, long out, long outl, long in, int inl) {
        try {
            return (int) DECRYPT_UPDATE.invokeExact(ctx, out, outl, in, inl);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success */
    public static int EVP_EncryptFinal_ex(long ctx, long out, long outl) {
        try {
            return (int) ENCRYPT_FINAL.invokeExact(ctx, out, outl);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return a positive value when the tag set before matched, 0 when it did not */
    public static int EVP_DecryptFinal_ex(long ctx, long out, long outl) {
        try {
            return (int) DECRYPT_FINAL.invokeExact(ctx, out, outl);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** @return 1 on success */
    public static int EVP_CIPHER_CTX_ctrl(long ctx, int type, int arg, long ptr) {
        try {
            return (int) CTX_CTRL.invokeExact(ctx, type, arg, ptr);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
