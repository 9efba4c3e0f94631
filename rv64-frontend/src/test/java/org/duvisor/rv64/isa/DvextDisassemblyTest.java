package org.duvisor.rv64.isa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DV-Ext's instructions (../shared/design/dv-ext.md §4 and §8) decode to their operations and print
 * in the H style; binutils does not know them, so the encodings here come from the document: huret
 * is the old uret word, the HU loads and stores are HLV/HSV with funct7 bit 6 set, HUFENCE.VVMA has
 * funct7 0x51 and HUFENCE.GVMA 0x71 with funct3 0.
 */
class DvextDisassemblyTest {
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "0x00200073 | HURET | huret",
            "0xec05c573 | HULV_D | hulv.d a0,(a1)",
            "0xe435c573 | HULVX_HU | hulvx.hu a0,(a1)",
            "0xeac5c073 | HUSV_W | husv.w a2,(a1)",
            "0xa2000073 | HUFENCE_VVMA | hufence.vvma",
            "0xe2b50073 | HUFENCE_GVMA | hufence.gvma a0,a1"})
    void decodesAndPrints(String word, Op op, String text) {
        int bits = Integer.parseUnsignedInt(word.substring(2), 16);
        Insn insn = Decoder.decode(bits);
        assertThat(insn).isNotNull();
        assertThat(insn.op).isEqualTo(op);
        assertThat(Disassembler.format(insn, 0).replace('\t', ' ')).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0xe2004073", "0xe0004073"})
    void hulvAndHusvAreDistinctFromHufenceGvma(String word) {
        Insn insn = Decoder.decode(Integer.parseUnsignedInt(word.substring(2), 16));
        assertThat(insn.op).isNotEqualTo(Op.HUFENCE_GVMA);
    }
}
