#include "vmx/intr_info.hpp"

#include "vmx/text.hpp"

namespace vmx {

IntrInfo decode_intr_info(uint32_t raw, IntrInfoField field)
{
    IntrInfo info{};
    info.vector = static_cast<uint8_t>(raw & 0xFF);
    info.type = static_cast<EventType>((raw >> 8) & 7);
    info.error_code_valid = (raw >> 11) & 1;
    info.nmi_unblocking = field == IntrInfoField::VmExit && ((raw >> 12) & 1);
    info.valid = (raw >> 31) & 1;
    uint32_t reserved = field == IntrInfoField::VmEntry ? 0x7FFFF000u : 0x7FFFE000u;
    info.reserved_bits = raw & reserved;
    return info;
}

uint32_t make_intr_info(uint8_t vector, EventType type, bool deliver_error_code)
{
    return kIntrInfoValid | (deliver_error_code ? kIntrInfoErrorCodeValid : 0u) |
           static_cast<uint32_t>(type) << 8 | vector;
}

const char* event_type_name(EventType type)
{
    switch (type) {
    case EventType::ExternalInterrupt: return "external interrupt";
    case EventType::Reserved: return "reserved type 1";
    case EventType::Nmi: return "NMI";
    case EventType::HardwareException: return "hardware exception";
    case EventType::SoftwareInterrupt: return "software interrupt";
    case EventType::PrivilegedSoftwareException: return "privileged software exception";
    case EventType::SoftwareException: return "software exception";
    case EventType::OtherEvent: return "other event";
    }
    return "?";
}

const char* exception_mnemonic(unsigned vector)
{
    // Vol. 3A 6.15; 15, 22-27 and 31 are reserved. 28-30 are #HV, #VC and #SX (AMD-defined).
    static const char* const kNames[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
        "#NP", "#SS", "#GP", "#PF", nullptr, "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "#HV", "#VC", "#SX", nullptr};
    return vector < 32 ? kNames[vector] : nullptr;
}

size_t format_intr_info(uint32_t raw, IntrInfoField field, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    IntrInfo info = decode_intr_info(raw, field);
    out.hex(raw, 8);
    if (!info.valid) {
        out.str(": not valid");
        return out.length();
    }
    out.str(": valid, ").str(event_type_name(info.type)).chr(' ').dec(info.vector);
    bool exception = info.type == EventType::HardwareException ||
                     info.type == EventType::SoftwareException ||
                     info.type == EventType::PrivilegedSoftwareException;
    if (exception && exception_mnemonic(info.vector))
        out.str(" (").str(exception_mnemonic(info.vector)).chr(')');
    if (info.type == EventType::OtherEvent && info.vector == 0)
        out.str(" (pending MTF VM exit)");
    if (info.error_code_valid)
        out.str(field == IntrInfoField::VmEntry ? ", deliver error code" : ", error code valid");
    if (info.nmi_unblocking)
        out.str(", NMI unblocking due to IRET");
    if (info.reserved_bits)
        out.str(", reserved bits ").hex(info.reserved_bits).str(" set");
    return out.length();
}

} // namespace vmx
