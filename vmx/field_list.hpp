// THE list of VMCS fields: one row per field of the Intel SDM Vol. 3D appendix B ("Field Encoding
// in VMCS"), grouped and ordered as the SDM's tables B-1 ... B-14 are. Everything else that knows a
// field -- the C++ enum vmx::vmcs::Field, the lookup table behind vmx::find_field_by_name(), the
// Lua constants -- is generated from these rows, so a field is added in exactly one place.
//
// Row: X(encoding, NAME, width, type, "SDM name", source)
//   NAME    Linux's spelling (arch/x86/include/asm/vmx.h, enum vmcs_field) where Linux has the field.
//           64-bit fields get a second, generated row NAME_HIGH for the high-access encoding + 1.
//   width   W16 W64 W32 WNAT   (encoding bits 14:13 = 0, 1, 2, 3)
//   type    CTL RO GST HST     (encoding bits 11:10 = 0 control, 1 read-only data, 2 guest, 3 host)
//   "SDM name"  the field's name in appendix B, without "(full)"/"(high)" and abbreviations in
//           parentheses; its upper-snake-cased form is accepted as an alias (see fields.hpp).
//   source  LNX = Linux's name; KUT = kvm-unit-tests' name (x86/vmx.h), Linux has none;
//           OWN = no Linux/kvm-unit-tests name: vmxlab's, made in Linux's style.
// Fields from the FRED specification (injected/original-event data, FRED MSRs) are included with
// the encodings Linux uses for them.
#pragma once

#define VMXLAB_VMCS_FIELDS(X) \
    /* B.1.1 16-bit control fields */ \
    X(0x0000, VIRTUAL_PROCESSOR_ID,          W16, CTL, "Virtual-processor identifier", LNX) \
    X(0x0002, POSTED_INTR_NV,                W16, CTL, "Posted-interrupt notification vector", LNX) \
    X(0x0004, EPTP_INDEX,                    W16, CTL, "EPTP index", OWN) \
    X(0x0006, HLAT_PREFIX_SIZE,              W16, CTL, "HLAT prefix size", OWN) \
    X(0x0008, LAST_PID_POINTER_INDEX,        W16, CTL, "Last PID-pointer index", LNX) \
    /* B.1.2 16-bit guest-state fields */ \
    X(0x0800, GUEST_ES_SELECTOR,             W16, GST, "Guest ES selector", LNX) \
    X(0x0802, GUEST_CS_SELECTOR,             W16, GST, "Guest CS selector", LNX) \
    X(0x0804, GUEST_SS_SELECTOR,             W16, GST, "Guest SS selector", LNX) \
    X(0x0806, GUEST_DS_SELECTOR,             W16, GST, "Guest DS selector", LNX) \
    X(0x0808, GUEST_FS_SELECTOR,             W16, GST, "Guest FS selector", LNX) \
    X(0x080A, GUEST_GS_SELECTOR,             W16, GST, "Guest GS selector", LNX) \
    X(0x080C, GUEST_LDTR_SELECTOR,           W16, GST, "Guest LDTR selector", LNX) \
    X(0x080E, GUEST_TR_SELECTOR,             W16, GST, "Guest TR selector", LNX) \
    X(0x0810, GUEST_INTR_STATUS,             W16, GST, "Guest interrupt status", LNX) \
    X(0x0812, GUEST_PML_INDEX,               W16, GST, "PML index", LNX) \
    X(0x0814, GUEST_UINV,                    W16, GST, "Guest UINV", OWN) \
    /* B.1.3 16-bit host-state fields */ \
    X(0x0C00, HOST_ES_SELECTOR,              W16, HST, "Host ES selector", LNX) \
    X(0x0C02, HOST_CS_SELECTOR,              W16, HST, "Host CS selector", LNX) \
    X(0x0C04, HOST_SS_SELECTOR,              W16, HST, "Host SS selector", LNX) \
    X(0x0C06, HOST_DS_SELECTOR,              W16, HST, "Host DS selector", LNX) \
    X(0x0C08, HOST_FS_SELECTOR,              W16, HST, "Host FS selector", LNX) \
    X(0x0C0A, HOST_GS_SELECTOR,              W16, HST, "Host GS selector", LNX) \
    X(0x0C0C, HOST_TR_SELECTOR,              W16, HST, "Host TR selector", LNX) \
    /* B.2.1 64-bit control fields */ \
    X(0x2000, IO_BITMAP_A,                   W64, CTL, "Address of I/O bitmap A", LNX) \
    X(0x2002, IO_BITMAP_B,                   W64, CTL, "Address of I/O bitmap B", LNX) \
    X(0x2004, MSR_BITMAP,                    W64, CTL, "Address of MSR bitmaps", LNX) \
    X(0x2006, VM_EXIT_MSR_STORE_ADDR,        W64, CTL, "VM-exit MSR-store address", LNX) \
    X(0x2008, VM_EXIT_MSR_LOAD_ADDR,         W64, CTL, "VM-exit MSR-load address", LNX) \
    X(0x200A, VM_ENTRY_MSR_LOAD_ADDR,        W64, CTL, "VM-entry MSR-load address", LNX) \
    X(0x200C, EXECUTIVE_VMCS_POINTER,        W64, CTL, "Executive-VMCS pointer", OWN) \
    X(0x200E, PML_ADDRESS,                   W64, CTL, "PML address", LNX) \
    X(0x2010, TSC_OFFSET,                    W64, CTL, "TSC offset", LNX) \
    X(0x2012, VIRTUAL_APIC_PAGE_ADDR,        W64, CTL, "Virtual-APIC address", LNX) \
    X(0x2014, APIC_ACCESS_ADDR,              W64, CTL, "APIC-access address", LNX) \
    X(0x2016, POSTED_INTR_DESC_ADDR,         W64, CTL, "Posted-interrupt descriptor address", LNX) \
    X(0x2018, VM_FUNCTION_CONTROL,           W64, CTL, "VM-function controls", LNX) \
    X(0x201A, EPT_POINTER,                   W64, CTL, "EPT pointer", LNX) \
    X(0x201C, EOI_EXIT_BITMAP0,              W64, CTL, "EOI-exit bitmap 0", LNX) \
    X(0x201E, EOI_EXIT_BITMAP1,              W64, CTL, "EOI-exit bitmap 1", LNX) \
    X(0x2020, EOI_EXIT_BITMAP2,              W64, CTL, "EOI-exit bitmap 2", LNX) \
    X(0x2022, EOI_EXIT_BITMAP3,              W64, CTL, "EOI-exit bitmap 3", LNX) \
    X(0x2024, EPTP_LIST_ADDRESS,             W64, CTL, "EPTP-list address", LNX) \
    X(0x2026, VMREAD_BITMAP,                 W64, CTL, "VMREAD-bitmap address", LNX) \
    X(0x2028, VMWRITE_BITMAP,                W64, CTL, "VMWRITE-bitmap address", LNX) \
    X(0x202A, VE_INFORMATION_ADDRESS,        W64, CTL, "Virtualization-exception information address", LNX) \
    X(0x202C, XSS_EXIT_BITMAP,               W64, CTL, "XSS-exiting bitmap", LNX) \
    X(0x202E, ENCLS_EXITING_BITMAP,          W64, CTL, "ENCLS-exiting bitmap", LNX) \
    X(0x2030, SPP_TABLE_POINTER,             W64, CTL, "Sub-page-permission-table pointer", OWN) \
    X(0x2032, TSC_MULTIPLIER,                W64, CTL, "TSC multiplier", LNX) \
    X(0x2034, TERTIARY_VM_EXEC_CONTROL,      W64, CTL, "Tertiary processor-based VM-execution controls", LNX) \
    X(0x2036, ENCLV_EXITING_BITMAP,          W64, CTL, "ENCLV-exiting bitmap", OWN) \
    X(0x2038, LOW_PASID_DIRECTORY_ADDRESS,   W64, CTL, "Low PASID directory address", OWN) \
    X(0x203A, HIGH_PASID_DIRECTORY_ADDRESS,  W64, CTL, "High PASID directory address", OWN) \
    X(0x203C, SHARED_EPT_POINTER,            W64, CTL, "Shared EPT pointer", OWN) \
    X(0x203E, PCONFIG_EXITING_BITMAP,        W64, CTL, "PCONFIG-exiting bitmap", OWN) \
    X(0x2040, HLAT_POINTER,                  W64, CTL, "Hypervisor-managed linear-address translation pointer", OWN) \
    X(0x2042, PID_POINTER_TABLE,             W64, CTL, "PID-pointer table address", LNX) \
    X(0x2044, SECONDARY_VM_EXIT_CONTROLS,    W64, CTL, "Secondary VM-exit controls", LNX) \
    X(0x204A, IA32_SPEC_CTRL_MASK,           W64, CTL, "IA32_SPEC_CTRL mask", OWN) \
    X(0x204C, IA32_SPEC_CTRL_SHADOW,         W64, CTL, "IA32_SPEC_CTRL shadow", OWN) \
    X(0x2052, INJECTED_EVENT_DATA,           W64, CTL, "Injected-event data", LNX) \
    /* B.2.2 64-bit read-only data fields */ \
    X(0x2400, GUEST_PHYSICAL_ADDRESS,        W64, RO,  "Guest-physical address", LNX) \
    X(0x2404, ORIGINAL_EVENT_DATA,           W64, RO,  "Original-event data", LNX) \
    /* B.2.3 64-bit guest-state fields */ \
    X(0x2800, VMCS_LINK_POINTER,             W64, GST, "VMCS link pointer", LNX) \
    X(0x2802, GUEST_IA32_DEBUGCTL,           W64, GST, "Guest IA32_DEBUGCTL", LNX) \
    X(0x2804, GUEST_IA32_PAT,                W64, GST, "Guest IA32_PAT", LNX) \
    X(0x2806, GUEST_IA32_EFER,               W64, GST, "Guest IA32_EFER", LNX) \
    X(0x2808, GUEST_IA32_PERF_GLOBAL_CTRL,   W64, GST, "Guest IA32_PERF_GLOBAL_CTRL", LNX) \
    X(0x280A, GUEST_PDPTR0,                  W64, GST, "Guest PDPTE0", LNX) \
    X(0x280C, GUEST_PDPTR1,                  W64, GST, "Guest PDPTE1", LNX) \
    X(0x280E, GUEST_PDPTR2,                  W64, GST, "Guest PDPTE2", LNX) \
    X(0x2810, GUEST_PDPTR3,                  W64, GST, "Guest PDPTE3", LNX) \
    X(0x2812, GUEST_BNDCFGS,                 W64, GST, "Guest IA32_BNDCFGS", LNX) \
    X(0x2814, GUEST_IA32_RTIT_CTL,           W64, GST, "Guest IA32_RTIT_CTL", LNX) \
    X(0x2816, GUEST_IA32_LBR_CTL,            W64, GST, "Guest IA32_LBR_CTL", OWN) \
    X(0x2818, GUEST_IA32_PKRS,               W64, GST, "Guest IA32_PKRS", OWN) \
    X(0x281A, GUEST_IA32_FRED_CONFIG,        W64, GST, "Guest IA32_FRED_CONFIG", LNX) \
    X(0x281C, GUEST_IA32_FRED_RSP1,          W64, GST, "Guest IA32_FRED_RSP1", LNX) \
    X(0x281E, GUEST_IA32_FRED_RSP2,          W64, GST, "Guest IA32_FRED_RSP2", LNX) \
    X(0x2820, GUEST_IA32_FRED_RSP3,          W64, GST, "Guest IA32_FRED_RSP3", LNX) \
    X(0x2822, GUEST_IA32_FRED_STKLVLS,       W64, GST, "Guest IA32_FRED_STKLVLS", LNX) \
    X(0x2824, GUEST_IA32_FRED_SSP1,          W64, GST, "Guest IA32_FRED_SSP1", LNX) \
    X(0x2826, GUEST_IA32_FRED_SSP2,          W64, GST, "Guest IA32_FRED_SSP2", LNX) \
    X(0x2828, GUEST_IA32_FRED_SSP3,          W64, GST, "Guest IA32_FRED_SSP3", LNX) \
    /* B.2.4 64-bit host-state fields */ \
    X(0x2C00, HOST_IA32_PAT,                 W64, HST, "Host IA32_PAT", LNX) \
    X(0x2C02, HOST_IA32_EFER,                W64, HST, "Host IA32_EFER", LNX) \
    X(0x2C04, HOST_IA32_PERF_GLOBAL_CTRL,    W64, HST, "Host IA32_PERF_GLOBAL_CTRL", LNX) \
    X(0x2C06, HOST_IA32_PKRS,                W64, HST, "Host IA32_PKRS", OWN) \
    X(0x2C08, HOST_IA32_FRED_CONFIG,         W64, HST, "Host IA32_FRED_CONFIG", LNX) \
    X(0x2C0A, HOST_IA32_FRED_RSP1,           W64, HST, "Host IA32_FRED_RSP1", LNX) \
    X(0x2C0C, HOST_IA32_FRED_RSP2,           W64, HST, "Host IA32_FRED_RSP2", LNX) \
    X(0x2C0E, HOST_IA32_FRED_RSP3,           W64, HST, "Host IA32_FRED_RSP3", LNX) \
    X(0x2C10, HOST_IA32_FRED_STKLVLS,        W64, HST, "Host IA32_FRED_STKLVLS", LNX) \
    X(0x2C12, HOST_IA32_FRED_SSP1,           W64, HST, "Host IA32_FRED_SSP1", LNX) \
    X(0x2C14, HOST_IA32_FRED_SSP2,           W64, HST, "Host IA32_FRED_SSP2", LNX) \
    X(0x2C16, HOST_IA32_FRED_SSP3,           W64, HST, "Host IA32_FRED_SSP3", LNX) \
    /* B.3.1 32-bit control fields */ \
    X(0x4000, PIN_BASED_VM_EXEC_CONTROL,     W32, CTL, "Pin-based VM-execution controls", LNX) \
    X(0x4002, CPU_BASED_VM_EXEC_CONTROL,     W32, CTL, "Primary processor-based VM-execution controls", LNX) \
    X(0x4004, EXCEPTION_BITMAP,              W32, CTL, "Exception bitmap", LNX) \
    X(0x4006, PAGE_FAULT_ERROR_CODE_MASK,    W32, CTL, "Page-fault error-code mask", LNX) \
    X(0x4008, PAGE_FAULT_ERROR_CODE_MATCH,   W32, CTL, "Page-fault error-code match", LNX) \
    X(0x400A, CR3_TARGET_COUNT,              W32, CTL, "CR3-target count", LNX) \
    X(0x400C, VM_EXIT_CONTROLS,              W32, CTL, "Primary VM-exit controls", LNX) \
    X(0x400E, VM_EXIT_MSR_STORE_COUNT,       W32, CTL, "VM-exit MSR-store count", LNX) \
    X(0x4010, VM_EXIT_MSR_LOAD_COUNT,        W32, CTL, "VM-exit MSR-load count", LNX) \
    X(0x4012, VM_ENTRY_CONTROLS,             W32, CTL, "VM-entry controls", LNX) \
    X(0x4014, VM_ENTRY_MSR_LOAD_COUNT,       W32, CTL, "VM-entry MSR-load count", LNX) \
    X(0x4016, VM_ENTRY_INTR_INFO_FIELD,      W32, CTL, "VM-entry interruption-information field", LNX) \
    X(0x4018, VM_ENTRY_EXCEPTION_ERROR_CODE, W32, CTL, "VM-entry exception error code", LNX) \
    X(0x401A, VM_ENTRY_INSTRUCTION_LEN,      W32, CTL, "VM-entry instruction length", LNX) \
    X(0x401C, TPR_THRESHOLD,                 W32, CTL, "TPR threshold", LNX) \
    X(0x401E, SECONDARY_VM_EXEC_CONTROL,     W32, CTL, "Secondary processor-based VM-execution controls", LNX) \
    X(0x4020, PLE_GAP,                       W32, CTL, "PLE_Gap", LNX) \
    X(0x4022, PLE_WINDOW,                    W32, CTL, "PLE_Window", LNX) \
    X(0x4024, NOTIFY_WINDOW,                 W32, CTL, "Instruction-timeout control", LNX) \
    /* B.3.2 32-bit read-only data fields */ \
    X(0x4400, VM_INSTRUCTION_ERROR,          W32, RO,  "VM-instruction error", LNX) \
    X(0x4402, VM_EXIT_REASON,                W32, RO,  "Exit reason", LNX) \
    X(0x4404, VM_EXIT_INTR_INFO,             W32, RO,  "VM-exit interruption information", LNX) \
    X(0x4406, VM_EXIT_INTR_ERROR_CODE,       W32, RO,  "VM-exit interruption error code", LNX) \
    X(0x4408, IDT_VECTORING_INFO_FIELD,      W32, RO,  "IDT-vectoring information field", LNX) \
    X(0x440A, IDT_VECTORING_ERROR_CODE,      W32, RO,  "IDT-vectoring error code", LNX) \
    X(0x440C, VM_EXIT_INSTRUCTION_LEN,       W32, RO,  "VM-exit instruction length", LNX) \
    X(0x440E, VMX_INSTRUCTION_INFO,          W32, RO,  "VM-exit instruction information", LNX) \
    /* B.3.3 32-bit guest-state fields */ \
    X(0x4800, GUEST_ES_LIMIT,                W32, GST, "Guest ES limit", LNX) \
    X(0x4802, GUEST_CS_LIMIT,                W32, GST, "Guest CS limit", LNX) \
    X(0x4804, GUEST_SS_LIMIT,                W32, GST, "Guest SS limit", LNX) \
    X(0x4806, GUEST_DS_LIMIT,                W32, GST, "Guest DS limit", LNX) \
    X(0x4808, GUEST_FS_LIMIT,                W32, GST, "Guest FS limit", LNX) \
    X(0x480A, GUEST_GS_LIMIT,                W32, GST, "Guest GS limit", LNX) \
    X(0x480C, GUEST_LDTR_LIMIT,              W32, GST, "Guest LDTR limit", LNX) \
    X(0x480E, GUEST_TR_LIMIT,                W32, GST, "Guest TR limit", LNX) \
    X(0x4810, GUEST_GDTR_LIMIT,              W32, GST, "Guest GDTR limit", LNX) \
    X(0x4812, GUEST_IDTR_LIMIT,              W32, GST, "Guest IDTR limit", LNX) \
    X(0x4814, GUEST_ES_AR_BYTES,             W32, GST, "Guest ES access rights", LNX) \
    X(0x4816, GUEST_CS_AR_BYTES,             W32, GST, "Guest CS access rights", LNX) \
    X(0x4818, GUEST_SS_AR_BYTES,             W32, GST, "Guest SS access rights", LNX) \
    X(0x481A, GUEST_DS_AR_BYTES,             W32, GST, "Guest DS access rights", LNX) \
    X(0x481C, GUEST_FS_AR_BYTES,             W32, GST, "Guest FS access rights", LNX) \
    X(0x481E, GUEST_GS_AR_BYTES,             W32, GST, "Guest GS access rights", LNX) \
    X(0x4820, GUEST_LDTR_AR_BYTES,           W32, GST, "Guest LDTR access rights", LNX) \
    X(0x4822, GUEST_TR_AR_BYTES,             W32, GST, "Guest TR access rights", LNX) \
    X(0x4824, GUEST_INTERRUPTIBILITY_INFO,   W32, GST, "Guest interruptibility state", LNX) \
    X(0x4826, GUEST_ACTIVITY_STATE,          W32, GST, "Guest activity state", LNX) \
    X(0x4828, GUEST_SMBASE,                  W32, GST, "Guest SMBASE", KUT) \
    X(0x482A, GUEST_SYSENTER_CS,             W32, GST, "Guest IA32_SYSENTER_CS", LNX) \
    X(0x482E, VMX_PREEMPTION_TIMER_VALUE,    W32, GST, "VMX-preemption timer value", LNX) \
    /* B.3.4 32-bit host-state field */ \
    X(0x4C00, HOST_IA32_SYSENTER_CS,         W32, HST, "Host IA32_SYSENTER_CS", LNX) \
    /* B.4.1 natural-width control fields */ \
    X(0x6000, CR0_GUEST_HOST_MASK,           WNAT, CTL, "CR0 guest/host mask", LNX) \
    X(0x6002, CR4_GUEST_HOST_MASK,           WNAT, CTL, "CR4 guest/host mask", LNX) \
    X(0x6004, CR0_READ_SHADOW,               WNAT, CTL, "CR0 read shadow", LNX) \
    X(0x6006, CR4_READ_SHADOW,               WNAT, CTL, "CR4 read shadow", LNX) \
    X(0x6008, CR3_TARGET_VALUE0,             WNAT, CTL, "CR3-target value 0", LNX) \
    X(0x600A, CR3_TARGET_VALUE1,             WNAT, CTL, "CR3-target value 1", LNX) \
    X(0x600C, CR3_TARGET_VALUE2,             WNAT, CTL, "CR3-target value 2", LNX) \
    X(0x600E, CR3_TARGET_VALUE3,             WNAT, CTL, "CR3-target value 3", LNX) \
    /* B.4.2 natural-width read-only data fields */ \
    X(0x6400, EXIT_QUALIFICATION,            WNAT, RO,  "Exit qualification", LNX) \
    X(0x6402, IO_RCX,                        WNAT, RO,  "I/O RCX", KUT) \
    X(0x6404, IO_RSI,                        WNAT, RO,  "I/O RSI", KUT) \
    X(0x6406, IO_RDI,                        WNAT, RO,  "I/O RDI", KUT) \
    X(0x6408, IO_RIP,                        WNAT, RO,  "I/O RIP", KUT) \
    X(0x640A, GUEST_LINEAR_ADDRESS,          WNAT, RO,  "Guest-linear address", LNX) \
    /* B.4.3 natural-width guest-state fields */ \
    X(0x6800, GUEST_CR0,                     WNAT, GST, "Guest CR0", LNX) \
    X(0x6802, GUEST_CR3,                     WNAT, GST, "Guest CR3", LNX) \
    X(0x6804, GUEST_CR4,                     WNAT, GST, "Guest CR4", LNX) \
    X(0x6806, GUEST_ES_BASE,                 WNAT, GST, "Guest ES base", LNX) \
    X(0x6808, GUEST_CS_BASE,                 WNAT, GST, "Guest CS base", LNX) \
    X(0x680A, GUEST_SS_BASE,                 WNAT, GST, "Guest SS base", LNX) \
    X(0x680C, GUEST_DS_BASE,                 WNAT, GST, "Guest DS base", LNX) \
    X(0x680E, GUEST_FS_BASE,                 WNAT, GST, "Guest FS base", LNX) \
    X(0x6810, GUEST_GS_BASE,                 WNAT, GST, "Guest GS base", LNX) \
    X(0x6812, GUEST_LDTR_BASE,               WNAT, GST, "Guest LDTR base", LNX) \
    X(0x6814, GUEST_TR_BASE,                 WNAT, GST, "Guest TR base", LNX) \
    X(0x6816, GUEST_GDTR_BASE,               WNAT, GST, "Guest GDTR base", LNX) \
    X(0x6818, GUEST_IDTR_BASE,               WNAT, GST, "Guest IDTR base", LNX) \
    X(0x681A, GUEST_DR7,                     WNAT, GST, "Guest DR7", LNX) \
    X(0x681C, GUEST_RSP,                     WNAT, GST, "Guest RSP", LNX) \
    X(0x681E, GUEST_RIP,                     WNAT, GST, "Guest RIP", LNX) \
    X(0x6820, GUEST_RFLAGS,                  WNAT, GST, "Guest RFLAGS", LNX) \
    X(0x6822, GUEST_PENDING_DBG_EXCEPTIONS,  WNAT, GST, "Guest pending debug exceptions", LNX) \
    X(0x6824, GUEST_SYSENTER_ESP,            WNAT, GST, "Guest IA32_SYSENTER_ESP", LNX) \
    X(0x6826, GUEST_SYSENTER_EIP,            WNAT, GST, "Guest IA32_SYSENTER_EIP", LNX) \
    X(0x6828, GUEST_S_CET,                   WNAT, GST, "Guest IA32_S_CET", LNX) \
    X(0x682A, GUEST_SSP,                     WNAT, GST, "Guest SSP", LNX) \
    X(0x682C, GUEST_INTR_SSP_TABLE,          WNAT, GST, "Guest IA32_INTERRUPT_SSP_TABLE_ADDR", LNX) \
    /* B.4.4 natural-width host-state fields */ \
    X(0x6C00, HOST_CR0,                      WNAT, HST, "Host CR0", LNX) \
    X(0x6C02, HOST_CR3,                      WNAT, HST, "Host CR3", LNX) \
    X(0x6C04, HOST_CR4,                      WNAT, HST, "Host CR4", LNX) \
    X(0x6C06, HOST_FS_BASE,                  WNAT, HST, "Host FS base", LNX) \
    X(0x6C08, HOST_GS_BASE,                  WNAT, HST, "Host GS base", LNX) \
    X(0x6C0A, HOST_TR_BASE,                  WNAT, HST, "Host TR base", LNX) \
    X(0x6C0C, HOST_GDTR_BASE,                WNAT, HST, "Host GDTR base", LNX) \
    X(0x6C0E, HOST_IDTR_BASE,                WNAT, HST, "Host IDTR base", LNX) \
    X(0x6C10, HOST_IA32_SYSENTER_ESP,        WNAT, HST, "Host IA32_SYSENTER_ESP", LNX) \
    X(0x6C12, HOST_IA32_SYSENTER_EIP,        WNAT, HST, "Host IA32_SYSENTER_EIP", LNX) \
    X(0x6C14, HOST_RSP,                      WNAT, HST, "Host RSP", LNX) \
    X(0x6C16, HOST_RIP,                      WNAT, HST, "Host RIP", LNX) \
    X(0x6C18, HOST_S_CET,                    WNAT, HST, "Host IA32_S_CET", LNX) \
    X(0x6C1A, HOST_SSP,                      WNAT, HST, "Host SSP", LNX) \
    X(0x6C1C, HOST_INTR_SSP_TABLE,           WNAT, HST, "Host IA32_INTERRUPT_SSP_TABLE_ADDR", LNX)
