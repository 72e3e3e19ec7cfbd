// Exit qualifications taken apart (SDM 28.2.1, "Basic VM-Exit Information"; its tables "Exit
// Qualification for ..." named below): control-register accesses, MOV DR, I/O instructions, EPT
// violations.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

// "Exit Qualification for Control-Register Accesses": exit reason 28 (CR_ACCESS).
enum class CrAccessType : uint8_t { MovToCr = 0, MovFromCr = 1, Clts = 2, Lmsw = 3 };
struct CrAccessQual {
    uint8_t cr;              // bits 3:0: 0, 3, 4 or 8 (0 for CLTS and LMSW)
    CrAccessType access;     // bits 5:4
    bool lmsw_memory;        // bit 6: LMSW operand in memory (0 = register)
    uint8_t gpr;             // bits 11:8: MOV CR's general-purpose register, 0 = RAX ... 15 = R15
    uint16_t lmsw_source;    // bits 31:16: LMSW source data
};
CrAccessQual decode_cr_access(uint64_t qual);
const char* cr_access_type_name(CrAccessType type);   // "MOV to CR", "MOV from CR", "CLTS", "LMSW"
size_t format_cr_access(uint64_t qual, char* buf, size_t cap);   // "MOV to CR3 from RAX"

// "Exit Qualification for MOV DR": exit reason 29 (DR_ACCESS).
struct DrAccessQual {
    uint8_t dr;              // bits 2:0
    bool from_dr;            // bit 4: 1 = MOV from DR, 0 = MOV to DR
    uint8_t gpr;             // bits 11:8
};
DrAccessQual decode_dr_access(uint64_t qual);
size_t format_dr_access(uint64_t qual, char* buf, size_t cap);   // "MOV from DR7 to RCX"

// "Exit Qualification for I/O Instructions": exit reason 30 (IO_INSTRUCTION).
struct IoQual {
    uint8_t size;            // bytes: 1, 2 or 4 (bits 2:0 hold size - 1); 0 if bits 2:0 are invalid
    bool in;                 // bit 3: 1 = IN, 0 = OUT
    bool string;             // bit 4: INS/OUTS
    bool rep;                // bit 5: REP prefix
    bool immediate;          // bit 6: port from an immediate operand (0 = DX)
    uint16_t port;           // bits 31:16
};
IoQual decode_io(uint64_t qual);
size_t format_io(uint64_t qual, char* buf, size_t cap);          // "OUT 1 byte to port 0x03F8 (DX)"

// "Exit Qualification for EPT Violations": exit reason 48 (EPT_VIOLATION).
struct EptViolationQual {
    bool read, write, fetch;                   // bits 0-2: the access that faulted
    bool readable, writable, executable;       // bits 3-5: what the EPT entries allowed
    bool user_executable;                      // bit 6 (mode-based execute control)
    bool linear_valid;                         // bit 7: GUEST_LINEAR_ADDRESS is valid
    bool linear_translation;                   // bit 8: access to the translation of a linear
                                               //        address (0 = to a paging-structure entry)
    bool user_linear, rw_page, nx_page;        // bits 9-11 (advanced EPT exit information)
    bool nmi_unblocking;                       // bit 12: NMI unblocking due to IRET
    bool shadow_stack;                         // bit 13
    bool supervisor_shadow_stack;              // bit 14
    bool paging_verification;                  // bit 15
    bool asynchronous;                         // bit 16: asynchronous to instruction execution
};
EptViolationQual decode_ept_violation(uint64_t qual);
// "write to a page EPT maps r-x; guest-linear address valid (translation of a linear address)"
size_t format_ept_violation(uint64_t qual, char* buf, size_t cap);

// Explains an exit qualification for the basic exit reason that produced it (28, 29, 30, 48);
// for other reasons it prints the value in hex. snprintf-style return.
size_t format_exit_qualification(uint32_t basic_reason, uint64_t qual, char* buf, size_t cap);

// "RAX", "RCX", ... "R15": the SDM's general-purpose-register numbering in exit information.
const char* gpr_name(unsigned number);

} // namespace vmx
