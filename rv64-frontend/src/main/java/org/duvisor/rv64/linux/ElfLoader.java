package org.duvisor.rv64.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Validates and loads static ELF64 little-endian RISC-V executables (System V gABI, "ELF Header"
 * and "Program Header"; RISC-V ELF psABI): {@code ET_EXEC}, and static PIE ({@code ET_DYN} without
 * {@code PT_INTERP}), which is placed at {@link AddressSpace#PIE_BASE} and relocates itself.
 * Dynamically linked executables are refused. Every refusal is a {@link BadElfException} with a
 * one-line reason.
 */
public final class ElfLoader {
    static final int EHDR_SIZE = 64, PHDR_SIZE = 56;
    static final int ET_EXEC = 2, ET_DYN = 3, EM_RISCV = 243;
    static final int PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
    static final int PF_X = 1, PF_W = 2, PF_R = 4;
    static final int EF_RISCV_RVE = 0x8;

    private ElfLoader() {
    }

    /** One PT_LOAD segment, with the load bias already applied to {@code vaddr}. */
    public record Segment(int index, long vaddr, long memsz, long offset, long filesz, int flags) {
        long end() {
            return vaddr + memsz;
        }

        /** PROT bits for the page table. */
        int prot() {
            return ((flags & PF_R) != 0 ? AddressSpace.R : 0) | ((flags & PF_W) != 0 ? AddressSpace.W : 0)
                    | ((flags & PF_X) != 0 ? AddressSpace.X : 0);
        }
    }

    /**
     * A validated executable. Addresses are biased (where they are in guest memory). {@code phdr}
     * is the guest address of the program headers, or 0 if no segment loads them.
     */
    public record Image(byte[] data, int type, long entry, long bias, long phoff, long phdr, int phnum,
                        List<Segment> segments, long end, boolean executableStack) {
        /** Copies the segments into {@code as} and sets their permissions and the initial break. */
        public void loadInto(AddressSpace as) {
            for (Segment s : segments) {
                as.addPerm(s.vaddr, s.memsz, s.prot());
                if (s.filesz > 0) as.putBytes(s.vaddr, data, (int) s.offset, (int) s.filesz);
            }
            as.initBrk(end);
        }

        /** The raw program header table (for AT_PHDR when no segment loads it). */
        public byte[] programHeaders() {
            byte[] out = new byte[phnum * PHDR_SIZE];
            System.arraycopy(data, (int) phoff, out, 0, out.length);
            return out;
        }
    }

    public static Image read(Path file) throws IOException, BadElfException {
        return parse(Files.readAllBytes(file));
    }

    public static Image parse(byte[] data) throws BadElfException {
        return parse(data, false);
    }

    /**
     * Validates an executable. With {@code physical}, segments are placed at their physical
     * addresses (p_paddr) as firmware and bare-metal programs expect, without the process rules
     * (page congruence, the 64 GiB window, PIE relocation).
     */
    public static Image parse(byte[] data, boolean physical) throws BadElfException {
        int len = data.length;
        if (len < 4 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new BadElfException("not an ELF file (bad magic)");
        }
        if (len < 6) throw truncatedHeader(len);
        int cls = data[4] & 0xFF;
        if (cls == 1) throw new BadElfException("ELF class 1 (32-bit), not 64-bit");
        if (cls != 2) throw new BadElfException("ELF class " + cls + " is invalid");
        int enc = data[5] & 0xFF;
        if (enc == 2) throw new BadElfException("big-endian ELF, not little-endian");
        if (enc != 1) throw new BadElfException("ELF data encoding " + enc + " is invalid");
        if (len < EHDR_SIZE) throw truncatedHeader(len);
        if (data[6] != 1) throw new BadElfException("ELF version " + (data[6] & 0xFF) + " is unknown");

        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xFFFF;
        int machine = b.getShort(18) & 0xFFFF;
        long version = b.getInt(20) & 0xFFFF_FFFFL;
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int flags = b.getInt(48);
        int phentsize = b.getShort(54) & 0xFFFF;
        int phnum = b.getShort(56) & 0xFFFF;

        if (type != ET_EXEC && type != ET_DYN) {
            throw new BadElfException("ELF type " + type + " (" + typeName(type) + ") is not an executable");
        }
        if (machine != EM_RISCV) {
            throw new BadElfException("ELF is for machine " + machine + " (" + machineName(machine)
                    + "), not RISC-V (243)");
        }
        if (version != 1) throw new BadElfException("ELF version " + version + " is unknown");
        if ((flags & EF_RISCV_RVE) != 0) {
            throw new BadElfException("ELF is for the RVE base (e_flags 0x" + Integer.toHexString(flags)
                    + "), not RV64I");
        }
        if (phentsize != PHDR_SIZE) {
            throw new BadElfException("program header entries are " + phentsize + " bytes, not " + PHDR_SIZE);
        }
        if (phnum == 0) throw new BadElfException("no program headers");
        if (phnum == 0xFFFF) throw new BadElfException("too many program headers (PN_XNUM)");
        for (int i = 0; i < phnum; i++) {
            if (Long.compareUnsigned(phoff, len) > 0 || phoff + (long) (i + 1) * PHDR_SIZE > len) {
                throw new BadElfException("truncated: program header " + i
                        + " lies beyond the end of the file (" + len + " bytes)");
            }
        }

        List<Segment> loads = new ArrayList<>();
        long phdrVaddr = -1;
        boolean execStack = false;
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            int pType = b.getInt(at);
            int pFlags = b.getInt(at + 4);
            long pOffset = b.getLong(at + 8);
            long pVaddr = b.getLong(at + (physical ? 24 : 16));
            long pFilesz = b.getLong(at + 32);
            long pMemsz = b.getLong(at + 40);
            switch (pType) {
                case PT_INTERP -> throw new BadElfException("dynamically linked executable (PT_INTERP "
                        + interpreter(data, pOffset, pFilesz) + "); only static executables can run");
                case PT_PHDR -> phdrVaddr = pVaddr;
                case PT_GNU_STACK -> execStack = (pFlags & PF_X) != 0;
                case PT_LOAD -> {
                    if (Long.compareUnsigned(pFilesz, pMemsz) > 0) {
                        throw new BadElfException("segment " + i + ": p_filesz 0x" + Long.toHexString(pFilesz)
                                + " is larger than p_memsz 0x" + Long.toHexString(pMemsz));
                    }
                    if (Long.compareUnsigned(pOffset, len) > 0 || Long.compareUnsigned(pFilesz, len - pOffset) > 0) {
                        throw new BadElfException("truncated: segment " + i + " (file bytes 0x"
                                + Long.toHexString(pOffset) + "-0x" + Long.toHexString(pOffset + pFilesz)
                                + ") lies beyond the end of the file (" + len + " bytes)");
                    }
                    if (!physical && ((pVaddr - pOffset) & (AddressSpace.PAGE - 1)) != 0) {
                        throw new BadElfException("segment " + i + ": p_vaddr 0x" + Long.toHexString(pVaddr)
                                + " and p_offset 0x" + Long.toHexString(pOffset)
                                + " are not congruent modulo the page size");
                    }
                    if (!physical && (Long.compareUnsigned(pVaddr, AddressSpace.SIZE) >= 0
                            || Long.compareUnsigned(pMemsz, AddressSpace.SIZE - pVaddr) > 0)) {
                        throw new BadElfException("segment " + i + " (0x" + Long.toHexString(pVaddr) + "-0x"
                                + Long.toHexString(pVaddr + pMemsz) + ") lies outside the 64 GiB guest address space");
                    }
                    if (pMemsz > 0) loads.add(new Segment(i, pVaddr, pMemsz, pOffset, pFilesz, pFlags));
                }
                default -> { } // PT_TLS, PT_NOTE, PT_GNU_RELRO, PT_RISCV_ATTRIBUTES, PT_DYNAMIC...: nothing to do
            }
        }
        if (loads.isEmpty()) throw new BadElfException("no loadable segment");
        loads.sort(Comparator.comparingLong(Segment::vaddr));
        for (int k = 1; k < loads.size(); k++) {
            Segment p = loads.get(k - 1), s = loads.get(k);
            if (s.vaddr < p.end()) {
                int lo = Math.min(p.index, s.index), hi = Math.max(p.index, s.index);
                Segment a = p.index == lo ? p : s, c = p.index == lo ? s : p;
                throw new BadElfException("segments " + lo + " and " + hi + " overlap (0x"
                        + Long.toHexString(a.vaddr) + "-0x" + Long.toHexString(a.end()) + " and 0x"
                        + Long.toHexString(c.vaddr) + "-0x" + Long.toHexString(c.end()) + ")");
            }
        }

        long bias = 0;
        if (type == ET_DYN && !physical) {
            long low = loads.getFirst().vaddr & ~(AddressSpace.PAGE - 1);
            bias = AddressSpace.PIE_BASE - low;
            long span = loads.getLast().end() - low;
            if (span > AddressSpace.SIZE - AddressSpace.PIE_BASE) {
                throw new BadElfException("segments span 0x" + Long.toHexString(span)
                        + " bytes, more than the 64 GiB guest address space holds");
            }
        }
        boolean entryOk = false;
        for (Segment s : loads) {
            if ((s.flags & PF_X) != 0 && Long.compareUnsigned(entry - s.vaddr, s.memsz) < 0) entryOk = true;
        }
        if (!entryOk) {
            throw new BadElfException("entry point 0x" + Long.toHexString(entry) + " is not in an executable segment");
        }

        List<Segment> biased = new ArrayList<>();
        long end = 0;
        long phdr = 0;
        long phEnd = phoff + (long) phnum * PHDR_SIZE;
        for (Segment s : loads) {
            Segment t = new Segment(s.index, s.vaddr + bias, s.memsz, s.offset, s.filesz, s.flags);
            biased.add(t);
            end = Math.max(end, t.end());
            if (phdrVaddr < 0 && phoff >= s.offset && phEnd <= s.offset + s.filesz) {
                phdr = t.vaddr + (phoff - s.offset);
            }
        }
        if (phdrVaddr >= 0) phdr = phdrVaddr + bias;
        return new Image(data, type, entry + bias, bias, phoff, phdr, phnum, List.copyOf(biased), end, execStack);
    }

    private static BadElfException truncatedHeader(int len) {
        return new BadElfException("truncated: the ELF header needs " + EHDR_SIZE + " bytes, the file has " + len);
    }

    private static String interpreter(byte[] data, long offset, long size) {
        if (offset < 0 || size <= 0 || offset + size > data.length || size > 4096) return "?";
        int n = (int) size;
        while (n > 0 && data[(int) offset + n - 1] == 0) n--;
        return new String(data, (int) offset, n, StandardCharsets.ISO_8859_1);
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "none";
            case 1 -> "relocatable object";
            case 2 -> "executable";
            case 3 -> "shared object";
            case 4 -> "core dump";
            default -> "unknown";
        };
    }

    static String machineName(int machine) {
        return switch (machine) {
            case 0 -> "none";
            case 2 -> "SPARC";
            case 3 -> "i386";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "S/390";
            case 40 -> "ARM";
            case 43 -> "SPARC V9";
            case 50 -> "IA-64";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 247 -> "BPF";
            case 258 -> "LoongArch";
            default -> "unknown";
        };
    }
}
