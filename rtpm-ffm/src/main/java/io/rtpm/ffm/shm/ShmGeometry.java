package io.rtpm.ffm.shm;

import static io.rtpm.ffm.shm.ShmLayout.C_SLOT_WORDS;
import static io.rtpm.ffm.shm.ShmLayout.HEADER_SIZE;
import static io.rtpm.ffm.shm.ShmLayout.META_SIZE;
import static io.rtpm.ffm.shm.ShmLayout.PAGE_SIZE;
import static io.rtpm.ffm.shm.ShmLayout.SLOT_ALIGN;
import static io.rtpm.ffm.shm.ShmLayout.alignUp;

/**
 * The sizes and absolute offsets of one configured ring file, computed like the module computes
 * its layout (same stride rule, same page rounding), plus where the control region's arrays are.
 *
 * @param order        log2 of the slot count
 * @param slotCount    2^order
 * @param maxPayload   payload bytes per slot
 * @param slotStride   bytes from one slot to the next: the meta line plus the payload rounded up to
 *                     a cache line
 * @param slotsOffset  where slot 0 starts (the first page after the header)
 * @param mmapSize     the part of the file identical to the module's mapping (a page multiple)
 * @param control      where the control region starts (= mmapSize)
 * @param slotWords    absolute offset of the per-slot state words (8 bytes each)
 * @param freeFifo     absolute offset of the FREE FIFO (4-byte slot indices)
 * @param readyFifo    absolute offset of the READY FIFO (4-byte slot indices)
 * @param fileSize     the whole file (a page multiple)
 */
record ShmGeometry(int order, int slotCount, int maxPayload, int slotStride, long slotsOffset,
        long mmapSize, long control, long slotWords, long freeFifo, long readyFifo, long fileSize) {

    /**
     * @param order      2^order slots, already checked against the ABI limits
     * @param maxPayload payload bytes per slot, already checked against the ABI limits
     * @return the layout of a ring file with that shape
     */
    static ShmGeometry of(int order, int maxPayload) {
        int slotCount = 1 << order;
        // rtpm_geom_compute(): meta line plus payload, rounded up to a cache line
        int stride = (int) alignUp(META_SIZE + maxPayload, SLOT_ALIGN);
        long slotsOffset = alignUp(HEADER_SIZE, PAGE_SIZE);
        long mmapSize = alignUp(slotsOffset + (long) slotCount * stride, PAGE_SIZE);
        long control = mmapSize;
        long slotWords = control + C_SLOT_WORDS;
        long freeFifo = alignUp(slotWords + 8L * slotCount, SLOT_ALIGN);
        long readyFifo = alignUp(freeFifo + 4L * slotCount, SLOT_ALIGN);
        long fileSize = alignUp(readyFifo + 4L * slotCount, PAGE_SIZE);
        return new ShmGeometry(order, slotCount, maxPayload, stride, slotsOffset, mmapSize, control,
                slotWords, freeFifo, readyFifo, fileSize);
    }

    /** @return the absolute offset of slot {@code index}'s meta line */
    long slot(int index) {
        return slotsOffset + (long) index * slotStride;
    }

    /** @return the absolute offset of a control-region field */
    long c(long field) {
        return control + field;
    }
}
