package org.duvisor.rv64.hart;

/** Exception cause codes (Privileged ISA, table "Machine cause register values"; H extension additions). */
public final class Cause {
    public static final int INSTRUCTION_MISALIGNED = 0;
    public static final int INSTRUCTION_ACCESS_FAULT = 1;
    public static final int ILLEGAL_INSTRUCTION = 2;
    public static final int BREAKPOINT = 3;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS_FAULT = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS_FAULT = 7;
    public static final int ECALL_FROM_U = 8;
    public static final int ECALL_FROM_S = 9;
    public static final int ECALL_FROM_VS = 10;
    public static final int ECALL_FROM_M = 11;
    public static final int INSTRUCTION_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;
    public static final int INSTRUCTION_GUEST_PAGE_FAULT = 20;
    public static final int LOAD_GUEST_PAGE_FAULT = 21;
    public static final int VIRTUAL_INSTRUCTION = 22;
    public static final int STORE_GUEST_PAGE_FAULT = 23;

    private Cause() {
    }

    public static String name(long cause) {
        return switch ((int) cause) {
            case INSTRUCTION_MISALIGNED -> "instruction address misaligned";
            case INSTRUCTION_ACCESS_FAULT -> "instruction access fault";
            case ILLEGAL_INSTRUCTION -> "illegal instruction";
            case BREAKPOINT -> "breakpoint";
            case LOAD_MISALIGNED -> "load address misaligned";
            case LOAD_ACCESS_FAULT -> "load access fault";
            case STORE_MISALIGNED -> "store/AMO address misaligned";
            case STORE_ACCESS_FAULT -> "store/AMO access fault";
            case ECALL_FROM_U -> "environment call from U-mode";
            case ECALL_FROM_S -> "environment call from S-mode";
            case ECALL_FROM_VS -> "environment call from VS-mode";
            case ECALL_FROM_M -> "environment call from M-mode";
            case INSTRUCTION_PAGE_FAULT -> "instruction page fault";
            case LOAD_PAGE_FAULT -> "load page fault";
            case STORE_PAGE_FAULT -> "store/AMO page fault";
            case INSTRUCTION_GUEST_PAGE_FAULT -> "instruction guest-page fault";
            case LOAD_GUEST_PAGE_FAULT -> "load guest-page fault";
            case VIRTUAL_INSTRUCTION -> "virtual instruction";
            case STORE_GUEST_PAGE_FAULT -> "store/AMO guest-page fault";
            default -> "cause " + cause;
        };
    }
}
