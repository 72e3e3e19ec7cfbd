#include "vmx/exit_qual.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

bool bit(uint64_t v, unsigned n)
{
    return (v >> n) & 1;
}

} // namespace

const char* gpr_name(unsigned number)
{
    static const char* const kNames[16] = {"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
                                           "R8",  "R9",  "R10", "R11", "R12", "R13", "R14", "R15"};
    return number < 16 ? kNames[number] : "?";
}

CrAccessQual decode_cr_access(uint64_t qual)
{
    CrAccessQual q{};
    q.cr = static_cast<uint8_t>(qual & 0xF);
    q.access = static_cast<CrAccessType>((qual >> 4) & 3);
    q.lmsw_memory = bit(qual, 6);
    q.gpr = static_cast<uint8_t>((qual >> 8) & 0xF);
    q.lmsw_source = static_cast<uint16_t>((qual >> 16) & 0xFFFF);
    return q;
}

const char* cr_access_type_name(CrAccessType type)
{
    switch (type) {
    case CrAccessType::MovToCr: return "MOV to CR";
    case CrAccessType::MovFromCr: return "MOV from CR";
    case CrAccessType::Clts: return "CLTS";
    case CrAccessType::Lmsw: return "LMSW";
    }
    return "?";
}

size_t format_cr_access(uint64_t qual, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    CrAccessQual q = decode_cr_access(qual);
    switch (q.access) {
    case CrAccessType::MovToCr:
        out.str("MOV to CR").dec(q.cr).str(" from ").str(gpr_name(q.gpr));
        break;
    case CrAccessType::MovFromCr:
        out.str("MOV from CR").dec(q.cr).str(" to ").str(gpr_name(q.gpr));
        break;
    case CrAccessType::Clts:
        out.str("CLTS (clears CR0.TS)");
        break;
    case CrAccessType::Lmsw:
        // The source data is the 16-bit operand; LMSW only loads CR0 bits 3:0 from it.
        out.str("LMSW from ").str(q.lmsw_memory ? "memory" : "a register")
            .str(", source data ").hex(q.lmsw_source, 4);
        break;
    }
    return out.length();
}

DrAccessQual decode_dr_access(uint64_t qual)
{
    DrAccessQual q{};
    q.dr = static_cast<uint8_t>(qual & 7);
    q.from_dr = bit(qual, 4);
    q.gpr = static_cast<uint8_t>((qual >> 8) & 0xF);
    return q;
}

size_t format_dr_access(uint64_t qual, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    DrAccessQual q = decode_dr_access(qual);
    if (q.from_dr)
        out.str("MOV from DR").dec(q.dr).str(" to ").str(gpr_name(q.gpr));
    else
        out.str("MOV to DR").dec(q.dr).str(" from ").str(gpr_name(q.gpr));
    return out.length();
}

IoQual decode_io(uint64_t qual)
{
    IoQual q{};
    // Bits 2:0 hold the size minus one; 2 and 4-7 are not used.
    unsigned code = qual & 7;
    q.size = static_cast<uint8_t>(code == 0 ? 1 : code == 1 ? 2 : code == 3 ? 4 : 0);
    q.in = bit(qual, 3);
    q.string = bit(qual, 4);
    q.rep = bit(qual, 5);
    q.immediate = bit(qual, 6);
    q.port = static_cast<uint16_t>((qual >> 16) & 0xFFFF);
    return q;
}

size_t format_io(uint64_t qual, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    IoQual q = decode_io(qual);
    if (q.rep)
        out.str("REP ");
    out.str(q.in ? "IN" : "OUT").str(q.string ? "S " : " ");
    if (q.size)
        out.dec(q.size).str(q.size == 1 ? " byte" : " bytes");
    else
        out.str("size ?(bits 2:0 = ").dec(qual & 7).chr(')');
    out.str(q.in ? " from port " : " to port ").hex(q.port, 4)
        .str(q.immediate ? " (immediate)" : " (DX)");
    return out.length();
}

EptViolationQual decode_ept_violation(uint64_t qual)
{
    EptViolationQual q{};
    q.read = bit(qual, 0);
    q.write = bit(qual, 1);
    q.fetch = bit(qual, 2);
    q.readable = bit(qual, 3);
    q.writable = bit(qual, 4);
    q.executable = bit(qual, 5);
    q.user_executable = bit(qual, 6);
    q.linear_valid = bit(qual, 7);
    q.linear_translation = bit(qual, 8);
    q.user_linear = bit(qual, 9);
    q.rw_page = bit(qual, 10);
    q.nx_page = bit(qual, 11);
    q.nmi_unblocking = bit(qual, 12);
    q.shadow_stack = bit(qual, 13);
    q.supervisor_shadow_stack = bit(qual, 14);
    q.paging_verification = bit(qual, 15);
    q.asynchronous = bit(qual, 16);
    return q;
}

size_t format_ept_violation(uint64_t qual, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    EptViolationQual q = decode_ept_violation(qual);
    const bool kinds[] = {q.read, q.write, q.fetch};
    const char* const kind_names[] = {"read", "write", "instruction fetch"};
    bool any = false;
    for (int i = 0; i < 3; ++i) {
        if (!kinds[i])
            continue;
        out.str(any ? "+" : "").str(kind_names[i]);
        any = true;
    }
    if (!any)
        out.str("access of unknown kind");
    // Bits 3-5 are the AND of the R/W/X bits along the EPT walk: what the mapping allowed.
    out.str(" to a page EPT maps ").chr(q.readable ? 'r' : '-').chr(q.writable ? 'w' : '-')
        .chr(q.executable ? 'x' : '-');
    if (q.user_executable)
        out.str(" (user-executable)");
    if (!q.linear_valid)
        out.str("; no guest-linear address");
    else if (q.linear_translation)
        out.str("; guest-linear address valid, access to its translation");
    else
        out.str("; guest-linear address valid, access to a guest paging-structure entry");
    if (q.nmi_unblocking)
        out.str("; NMI unblocking due to IRET");
    if (q.shadow_stack)
        out.str("; shadow-stack access");
    if (q.supervisor_shadow_stack)
        out.str("; supervisor shadow-stack page");
    if (q.paging_verification)
        out.str("; guest-paging verification");
    if (q.asynchronous)
        out.str("; asynchronous to instruction execution");
    return out.length();
}

size_t format_exit_qualification(uint32_t basic_reason, uint64_t qual, char* buf, size_t cap)
{
    switch (basic_reason) {
    case 28: return format_cr_access(qual, buf, cap);
    case 29: return format_dr_access(qual, buf, cap);
    case 30: return format_io(qual, buf, cap);
    case 48: return format_ept_violation(qual, buf, cap);
    default: break;
    }
    TextBuf out(buf, cap);
    out.str("exit qualification ").hex(qual);
    return out.length();
}

} // namespace vmx
