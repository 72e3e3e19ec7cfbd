// Interruption-information fields (SDM 25.8.3 for VM_ENTRY_INTR_INFO_FIELD, 25.9.2 for
// VM_EXIT_INTR_INFO, 25.9.3 for IDT_VECTORING_INFO_FIELD): one 32-bit format for three fields.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

// Bits 10:8.
enum class EventType : uint8_t {
    ExternalInterrupt = 0,
    Reserved = 1,
    Nmi = 2,
    HardwareException = 3,
    SoftwareInterrupt = 4,          // INT n
    PrivilegedSoftwareException = 5, // INT1 (ICEBP)
    SoftwareException = 6,          // INT3, INTO
    OtherEvent = 7,                 // vector 0: pending MTF VM exit (VM entry only)
};

// Which field the value came from: they differ in what bit 12 means.
enum class IntrInfoField : uint8_t {
    VmExit,         // VM_EXIT_INTR_INFO: bit 12 = NMI unblocking due to IRET
    IdtVectoring,   // IDT_VECTORING_INFO_FIELD: bit 12 undefined
    VmEntry,        // VM_ENTRY_INTR_INFO_FIELD: bits 30:12 reserved (must be 0 for VM entry)
};

struct IntrInfo {
    uint8_t vector;              // bits 7:0
    EventType type;              // bits 10:8
    bool error_code_valid;       // bit 11 (VM entry: deliver error code)
    bool nmi_unblocking;         // bit 12, VM_EXIT_INTR_INFO only
    bool valid;                  // bit 31
    uint32_t reserved_bits;      // bits 30:13 (30:12 for VM entry) that are set
};

constexpr uint32_t kIntrInfoValid = 1u << 31;
constexpr uint32_t kIntrInfoErrorCodeValid = 1u << 11;   // deliver (entry) / has (exit) an error code

IntrInfo decode_intr_info(uint32_t raw, IntrInfoField field = IntrInfoField::VmExit);
// The value to VMWRITE into VM_ENTRY_INTR_INFO_FIELD to inject an event (valid bit set).
uint32_t make_intr_info(uint8_t vector, EventType type, bool deliver_error_code);

const char* event_type_name(EventType type);      // "hardware exception", "NMI", ...
const char* exception_mnemonic(unsigned vector);  // "#DE" ... "#CP" for 0-31; nullptr otherwise

// "0x80000B0E: valid, hardware exception 14 (#PF), error code valid" or "0x00000000: not valid".
size_t format_intr_info(uint32_t raw, IntrInfoField field, char* buf, size_t cap);

} // namespace vmx
