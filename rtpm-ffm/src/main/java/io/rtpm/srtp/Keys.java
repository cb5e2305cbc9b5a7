package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A session's master keys: the first protects; a received packet's MKI picks the one that
 * unprotects it.
 */
final class Keys implements AutoCloseable {

    private final KeyMaterial[] keys;
    final int mkiLength;

    Keys(SrtpPolicy policy) {
        List<SrtpMasterKey> list = policy.keys();
        keys = new KeyMaterial[list.size()];
        mkiLength = policy.mkiLength();
        try {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = new KeyMaterial(policy, list.get(i));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the key that protects */
    KeyMaterial active() {
        return keys[0];
    }

    /** @return the key whose MKI stands at {@code mkiAt}, or null */
    KeyMaterial byMki(MemorySegment s, long mkiAt) {
        if (mkiLength == 0) {
            return keys[0];
        }
        for (KeyMaterial k : keys) {
            if (k.matches(s, mkiAt)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (KeyMaterial k : keys) {
            if (k != null) {
                k.close();
            }
        }
    }
}
